//! When a period's bill falls due: a dated rule, like a tariff.
//!
//! Bills for months up to February 2026 were due on the 10th of the following month; from the
//! March 2026 bill on, they are due on a configurable day (default the 15th) of the following month.
//! History keeps the 10th, so a bill is always judged by the rule of its own period.

use super::period::Period;
use chrono::NaiveDate;

/// Day of the following month on which a bill falls due; 1..=28 so that it exists in every month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DueDay(u32);

/// A due-date setting that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DueError {
    #[error("a due day is 1..=28, not {0}")]
    DayOutOfRange(u32),
    #[error("a due schedule needs at least one rule")]
    NoRules,
    #[error("two due rules start in the same period {0}")]
    DuplicatePeriod(Period),
}

impl DueDay {
    /// The current legal default: the 15th (since the March 2026 bill).
    pub const DEFAULT: DueDay = DueDay(15);
    /// The day that applied to bills up to February 2026.
    pub const BEFORE_MARCH_2026: DueDay = DueDay(10);

    pub fn new(day: u32) -> Result<DueDay, DueError> {
        if (1..=28).contains(&day) {
            Ok(DueDay(day))
        } else {
            Err(DueError::DayOutOfRange(day))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for DueDay {
    fn default() -> DueDay {
        DueDay::DEFAULT
    }
}

/// From the bill of period `from` on, bills are due on `day` of the month after their period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueRule {
    pub from: Period,
    pub day: DueDay,
}

/// The dated due rules, ordered by `from`. The first rule also covers every earlier period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueSchedule {
    rules: Vec<DueRule>,
}

impl DueSchedule {
    /// The first period billed under the current rule (ЖК РФ art. 155 p.1 as amended).
    pub fn change_period() -> Period {
        Period::new(2026, 3).expect("valid period")
    }

    /// The legal history (the 10th up to the February 2026 bill) followed by `current_day` from
    /// the March 2026 bill on.
    pub fn new(current_day: DueDay) -> DueSchedule {
        DueSchedule {
            rules: vec![
                DueRule {
                    from: Period::new(1900, 1).expect("valid period"),
                    day: DueDay::BEFORE_MARCH_2026,
                },
                DueRule {
                    from: DueSchedule::change_period(),
                    day: current_day,
                },
            ],
        }
    }

    /// A schedule of arbitrary rules (any order; no two may start in the same period).
    pub fn from_rules(mut rules: Vec<DueRule>) -> Result<DueSchedule, DueError> {
        if rules.is_empty() {
            return Err(DueError::NoRules);
        }
        rules.sort_by_key(|r| r.from);
        if let Some(w) = rules.windows(2).find(|w| w[0].from == w[1].from) {
            return Err(DueError::DuplicatePeriod(w[0].from));
        }
        Ok(DueSchedule { rules })
    }

    pub fn rules(&self) -> &[DueRule] {
        &self.rules
    }

    /// The due day that applies to the bill of `period`.
    pub fn day_for(&self, period: Period) -> DueDay {
        let after = self.rules.partition_point(|r| r.from <= period);
        self.rules[after.saturating_sub(1)].day
    }

    /// The last day on which the bill of `period` may be paid without becoming overdue.
    pub fn due_date(&self, period: Period) -> NaiveDate {
        period.next().day(self.day_for(period).get())
    }
}

impl Default for DueSchedule {
    fn default() -> DueSchedule {
        DueSchedule::new(DueDay::DEFAULT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(y: i32, m: u32) -> Period {
        Period::new(y, m).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn bills_up_to_february_2026_are_due_on_the_10th() {
        let s = DueSchedule::default();
        assert_eq!(s.due_date(p(2025, 12)), d(2026, 1, 10));
        assert_eq!(s.due_date(p(2026, 1)), d(2026, 2, 10));
        assert_eq!(s.due_date(p(2026, 2)), d(2026, 3, 10));
    }

    #[test]
    fn bills_from_march_2026_are_due_on_the_15th_by_default() {
        let s = DueSchedule::default();
        assert_eq!(s.due_date(p(2026, 3)), d(2026, 4, 15));
        assert_eq!(s.due_date(p(2026, 12)), d(2027, 1, 15));
    }

    #[test]
    fn the_due_day_setting_moves_only_bills_from_march_2026() {
        let s = DueSchedule::new(DueDay::new(20).unwrap());
        assert_eq!(s.due_date(p(2026, 4)), d(2026, 5, 20));
        assert_eq!(s.due_date(p(2026, 2)), d(2026, 3, 10));
    }

    #[test]
    fn periods_before_the_first_rule_use_the_first_rule() {
        let s = DueSchedule::from_rules(vec![DueRule {
            from: p(2030, 1),
            day: DueDay::new(5).unwrap(),
        }])
        .unwrap();
        assert_eq!(s.due_date(p(2020, 1)), d(2020, 2, 5));
    }

    #[test]
    fn rules_are_ordered_whatever_order_they_come_in() {
        let s = DueSchedule::from_rules(vec![
            DueRule {
                from: p(2026, 3),
                day: DueDay::new(15).unwrap(),
            },
            DueRule {
                from: p(2000, 1),
                day: DueDay::new(10).unwrap(),
            },
        ])
        .unwrap();
        assert_eq!(s.rules()[0].from, p(2000, 1));
        assert_eq!(s.due_date(p(2026, 2)), d(2026, 3, 10));
        assert_eq!(s.due_date(p(2026, 3)), d(2026, 4, 15));
    }

    #[test]
    fn due_days_outside_1_to_28_are_refused() {
        assert_eq!(DueDay::new(0), Err(DueError::DayOutOfRange(0)));
        assert_eq!(DueDay::new(29), Err(DueError::DayOutOfRange(29)));
        assert_eq!(DueDay::new(28).unwrap().get(), 28);
        assert_eq!(DueDay::new(1).unwrap().get(), 1);
    }

    #[test]
    fn empty_or_ambiguous_schedules_are_refused() {
        assert_eq!(DueSchedule::from_rules(vec![]), Err(DueError::NoRules));
        let rule = DueRule {
            from: p(2026, 3),
            day: DueDay::DEFAULT,
        };
        assert_eq!(
            DueSchedule::from_rules(vec![rule, rule]),
            Err(DueError::DuplicatePeriod(p(2026, 3)))
        );
    }
}
