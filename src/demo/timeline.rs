//! Which months generated data covers, seen from `today`.

use crate::billing::Period;
use chrono::{Datelike, NaiveDate};

/// The months of a generated history. Every account gets a baseline reading in the month before
/// `first_billed`, then a reading a month through `last_read`; bills of `first_billed` up to the
/// month before `current` are paid (as far as their pay day is before today).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeline {
    pub today: NaiveDate,
    /// Today's month, not closed yet.
    pub current: Period,
    /// The first month to close: its consumption runs from the baseline reading.
    pub first_billed: Period,
    /// The last month whose reading window has ended before today. Inside today's window the
    /// month's reading is still to come, so a demo consumer can send it.
    pub last_read: Period,
}

impl Timeline {
    /// Days of a month on which generated readings are taken (the usual window, Decree 354).
    pub const WINDOW: (u32, u32) = (15, 25);
    /// Closed months of history.
    pub const BILLED_MONTHS: i32 = 24;

    pub fn new(today: NaiveDate) -> Timeline {
        let current = Period::of(today);
        let last_read = if today.day() > Self::WINDOW.1 {
            current
        } else {
            current.prev()
        };
        Timeline {
            today,
            current,
            first_billed: current.plus(-Self::BILLED_MONTHS),
            last_read,
        }
    }

    /// The months with consumption: `first_billed..=last_read`.
    pub fn billed_and_read(&self) -> impl Iterator<Item = Period> + use<> {
        let first = self.first_billed;
        (0..=first.months_until(self.last_read)).map(move |i| first.plus(i))
    }

    /// The months to close, oldest first: `first_billed` up to the month before today's.
    pub fn to_close(&self) -> impl Iterator<Item = Period> + use<> {
        let first = self.first_billed;
        (0..first.months_until(self.current)).map(move |i| first.plus(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn inside_the_reading_window_the_month_is_still_unread() {
        let t = Timeline::new(day("2026-11-24"));
        assert_eq!(t.last_read.to_string(), "2026-10");
        assert_eq!(t.first_billed.to_string(), "2024-11");
        assert_eq!(t.to_close().count(), 24);
        assert_eq!(t.billed_and_read().count(), 24);
    }

    #[test]
    fn after_the_window_the_month_has_its_reading() {
        let t = Timeline::new(day("2026-11-26"));
        assert_eq!(t.last_read.to_string(), "2026-11");
        assert_eq!(t.billed_and_read().count(), 25);
        assert_eq!(t.to_close().last().unwrap().to_string(), "2026-10");
    }
}
