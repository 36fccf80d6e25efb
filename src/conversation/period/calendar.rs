//! The inline calendar: one month as a grid of day buttons, Monday first, with the previous
//! and next month around its title. Pressing a button edits the same message.

use super::{Bounds, DATA, PeriodText};
use crate::billing::Period;
use crate::conversation::Btn;
use chrono::{Datelike, NaiveDate};

/// The button rows of `shown`: title with previous / next, weekdays, weeks. Days after today
/// and before the stored history are blank; so are the arrows past them.
pub fn grid(shown: Period, start: Option<NaiveDate>, bounds: Bounds) -> Vec<Vec<Btn>> {
    // Buttons that do nothing still need data of their own: a keyboard keeps one button per
    // data, so equal data would merge the blanks away.
    let mut cells = 0u32;
    let mut noop = |label: PeriodText| {
        cells += 1;
        Btn::new(label, format!("{DATA}x:{cells}"))
    };
    let go = |label: PeriodText, to: Period| Btn::new(label, format!("{DATA}m:{to}"));
    let title = vec![
        if shown > Period::of(bounds.earliest) {
            go(PeriodText::Prev, shown.prev())
        } else {
            noop(PeriodText::Blank)
        },
        if shown < Period::of(bounds.today) {
            go(PeriodText::Next, shown.next())
        } else {
            noop(PeriodText::Blank)
        },
    ];
    let weekdays = (1..=7)
        .map(|day| noop(PeriodText::Weekday { day }))
        .collect();
    let mut rows = vec![title, weekdays];
    let lead = shown.first_day().weekday().num_days_from_monday();
    let mut week: Vec<Btn> = (0..lead).map(|_| noop(PeriodText::Blank)).collect();
    for day in 1..=shown.days() {
        let date = shown.day(day);
        let day_number = i64::from(day);
        let button = if date > bounds.today || date < bounds.earliest {
            noop(PeriodText::Blank)
        } else if start == Some(date) {
            noop(PeriodText::Chosen { day: day_number })
        } else {
            Btn::new(
                PeriodText::Day { day: day_number },
                format!("{DATA}d:{date}"),
            )
        };
        week.push(button);
        if week.len() == 7 {
            rows.push(std::mem::take(&mut week));
        }
    }
    if !week.is_empty() {
        while week.len() < 7 {
            week.push(noop(PeriodText::Blank));
        }
        rows.push(week);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_month_is_laid_out_monday_first_with_past_days_pressable() {
        let bounds = Bounds {
            today: d(2026, 11, 20),
            earliest: d(2024, 10, 19),
        };
        let rows = grid(Period::new(2026, 11).unwrap(), None, bounds);
        // Title, weekdays, and November 2026 starts on a Sunday: six weeks.
        assert_eq!(rows.len(), 2 + 6);
        assert!(rows[2..].iter().all(|week| week.len() == 7));
        assert_eq!(rows[2][6].data, "pd:d:2026-11-01");
        assert!(rows[2][0].data.starts_with("pd:x:"));
        // The next month is in the future: no arrow to it; the 21st is blank.
        assert!(rows[0][1].data.starts_with("pd:x:"));
        assert_eq!(rows[0][0].data, "pd:m:2026-10");
        let days: Vec<&str> = rows.iter().flatten().map(|b| b.data.as_str()).collect();
        assert!(days.contains(&"pd:d:2026-11-20"));
        assert!(!days.contains(&"pd:d:2026-11-21"));
        assert!(
            days.iter()
                .all(|d| d.len() <= crate::conversation::MAX_BUTTON_DATA)
        );
        let unique: std::collections::HashSet<&&str> = days.iter().collect();
        assert_eq!(unique.len(), days.len(), "every button has data of its own");
    }

    #[test]
    fn the_chosen_first_day_is_marked_and_history_bounds_the_past() {
        let bounds = Bounds {
            today: d(2026, 11, 20),
            earliest: d(2024, 10, 19),
        };
        let rows = grid(
            Period::new(2024, 10).unwrap(),
            Some(d(2024, 10, 25)),
            bounds,
        );
        assert!(
            rows[0][0].data.starts_with("pd:x:"),
            "nothing before the history"
        );
        let labels: Vec<_> = rows.iter().flatten().map(|b| &b.label).collect();
        assert!(labels.contains(&&PeriodText::Chosen { day: 25 }.into()));
        let days: Vec<&str> = rows.iter().flatten().map(|b| b.data.as_str()).collect();
        assert!(!days.contains(&"pd:d:2024-10-18"));
        assert!(days.contains(&"pd:d:2024-10-19"));
    }
}
