//! A billing period: one calendar month.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A calendar month, the unit of billing. Ordered chronologically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    year: i32,
    /// 1..=12
    month: u32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a period is written YYYY-MM with a month 01..12")]
pub struct BadPeriod;

impl Period {
    pub fn new(year: i32, month: u32) -> Result<Period, BadPeriod> {
        if (1..=12).contains(&month) && (1900..=9999).contains(&year) {
            Ok(Period { year, month })
        } else {
            Err(BadPeriod)
        }
    }

    /// The month that contains `date`.
    pub fn of(date: NaiveDate) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("valid period")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("valid date")
    }

    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    /// The date of `day` in this month, clamped to the month's last day.
    pub fn day(self, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, day.clamp(1, self.days()))
            .expect("valid date")
    }

    pub fn next(self) -> Period {
        self.plus(1)
    }

    pub fn prev(self) -> Period {
        self.plus(-1)
    }

    /// This period moved by `months` (negative goes back).
    pub fn plus(self, months: i32) -> Period {
        let index = self.year * 12 + (self.month as i32 - 1) + months;
        Period {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// How many months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Period) -> i32 {
        (later.year * 12 + later.month as i32) - (self.year * 12 + self.month as i32)
    }
}

/// `YYYY-MM`
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = BadPeriod;
    fn from_str(s: &str) -> Result<Period, BadPeriod> {
        let (y, m) = s.trim().split_once('-').ok_or(BadPeriod)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(BadPeriod);
        }
        Period::new(
            y.parse().map_err(|_| BadPeriod)?,
            m.parse().map_err(|_| BadPeriod)?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_crosses_years() {
        let p: Period = "2026-01".parse().unwrap();
        assert_eq!(p.prev().to_string(), "2025-12");
        assert_eq!(p.plus(13).to_string(), "2027-02");
        assert_eq!(p.months_until(p.plus(-25)), -25);
    }

    #[test]
    fn february_of_a_leap_year_has_29_days() {
        assert_eq!(Period::new(2028, 2).unwrap().days(), 29);
        assert_eq!(Period::new(2026, 2).unwrap().days(), 28);
    }

    #[test]
    fn malformed_periods_are_refused() {
        for s in ["2026-13", "2026-00", "26-01", "2026/01", "", "2026-1"] {
            assert_eq!(s.parse::<Period>(), Err(BadPeriod), "{s}");
        }
    }
}
