//! The reading window: which days of a month readings count for that month (Decree 354).

use super::period::Period;
use chrono::{Datelike, NaiveDate};

/// The days of a month on which readings are expected, `start_day..=end_day`: a company setting.
/// A reading up to `end_day` counts for the current month; one after it, for the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReadingWindow {
    start_day: u32,
    end_day: u32,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "a reading window runs from day 1..=28 to a later or equal day ≤ 28, not {start_day}..={end_day}"
)]
pub struct BadWindow {
    pub start_day: u32,
    pub end_day: u32,
}

/// Where a reading taken on some day lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    /// The billing month the reading counts for.
    pub period: Period,
    /// Taken within the window. When false the consumer is told which period it counts for.
    pub in_window: bool,
}

impl ReadingWindow {
    /// Days up to 28 only, so the window exists in every month, February included.
    pub fn new(start_day: u32, end_day: u32) -> Result<ReadingWindow, BadWindow> {
        if 1 <= start_day && start_day <= end_day && end_day <= 28 {
            Ok(ReadingWindow { start_day, end_day })
        } else {
            Err(BadWindow { start_day, end_day })
        }
    }

    pub fn start_day(self) -> u32 {
        self.start_day
    }

    pub fn end_day(self) -> u32 {
        self.end_day
    }

    /// Whether a reading taken on `day` of a month falls within the window.
    pub fn contains(self, day: u32) -> bool {
        (self.start_day..=self.end_day).contains(&day)
    }

    /// The period a reading taken `today` counts for. Before the window it still counts for the
    /// current month (it is just early); after `end_day` it counts for the next one.
    pub fn placement(self, today: NaiveDate) -> Placement {
        let day = today.day();
        let current = Period::of(today);
        if day <= self.end_day {
            Placement {
                period: current,
                in_window: day >= self.start_day,
            }
        } else {
            Placement {
                period: current.next(),
                in_window: false,
            }
        }
    }
}

/// The 15th to the 25th: after the 25th a reading is not used for the current month.
impl Default for ReadingWindow {
    fn default() -> ReadingWindow {
        ReadingWindow {
            start_day: 15,
            end_day: 25,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn march() -> Period {
        Period::new(2026, 3).unwrap()
    }

    #[test]
    fn the_default_window_is_the_15th_to_the_25th() {
        let w = ReadingWindow::default();
        assert_eq!((w.start_day(), w.end_day()), (15, 25));
    }

    #[test]
    fn the_first_day_of_the_window_is_in_it() {
        let p = ReadingWindow::default().placement(d(2026, 3, 15));
        assert_eq!(
            p,
            Placement {
                period: march(),
                in_window: true
            }
        );
    }

    #[test]
    fn the_last_day_of_the_window_is_in_it() {
        let p = ReadingWindow::default().placement(d(2026, 3, 25));
        assert_eq!(
            p,
            Placement {
                period: march(),
                in_window: true
            }
        );
    }

    #[test]
    fn the_day_after_the_window_counts_for_the_next_period() {
        let p = ReadingWindow::default().placement(d(2026, 3, 26));
        assert_eq!(
            p,
            Placement {
                period: march().next(),
                in_window: false
            }
        );
        let p = ReadingWindow::default().placement(d(2026, 3, 31));
        assert_eq!(p.period, march().next());
    }

    #[test]
    fn before_the_window_a_reading_counts_for_this_month_outside_the_window() {
        let p = ReadingWindow::default().placement(d(2026, 3, 14));
        assert_eq!(
            p,
            Placement {
                period: march(),
                in_window: false
            }
        );
        assert_eq!(
            ReadingWindow::default().placement(d(2026, 3, 1)).period,
            march()
        );
    }

    #[test]
    fn after_the_window_in_december_counts_for_january_of_the_next_year() {
        let p = ReadingWindow::default().placement(d(2026, 12, 27));
        assert_eq!(p.period, Period::new(2027, 1).unwrap());
        assert!(!p.in_window);
    }

    #[test]
    fn a_one_day_window_works() {
        let w = ReadingWindow::new(25, 25).unwrap();
        assert!(w.placement(d(2026, 2, 25)).in_window);
        assert!(!w.placement(d(2026, 2, 24)).in_window);
        assert_eq!(
            w.placement(d(2026, 2, 26)).period,
            Period::new(2026, 3).unwrap()
        );
    }

    #[test]
    fn windows_outside_1_to_28_or_reversed_are_refused() {
        assert!(ReadingWindow::new(0, 25).is_err());
        assert!(ReadingWindow::new(15, 29).is_err());
        assert_eq!(
            ReadingWindow::new(26, 15),
            Err(BadWindow {
                start_day: 26,
                end_day: 15
            })
        );
        assert!(ReadingWindow::new(1, 28).is_ok());
    }
}
