//! The period picker every history asks with: presets (this year, the last 3 / 6 / 12 months,
//! all the time), an inline calendar that edits one message, or dates typed in any common form
//! (see [`parse`]).
//!
//! ```text
//! < За какой период? Выберите или напишите даты, например: 01.09.2026 - 30.11.2026 …
//! < [Этот год] [Всё время] [3 месяца] [6 месяцев] [12 месяцев] [Календарь] [Назад] [Отмена]
//! > с 1 сентября по 30 ноября
//! (the flow gets 01.09.2026–20.11.2026: the end is clipped to today)
//! ```
//!
//! The picker owns no state of the dialogue: the flow keeps a [`Picker`] in its step (a few
//! bytes of JSON) and hands every event to [`on_event`].

mod calendar;
pub mod parse;

use super::{Btn, Event, Out, say};
use crate::billing::Period;
use crate::i18n::texts;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

texts! {
    /// What the period picker says.
    pub enum PeriodText {
        Ask => "period-ask",
        ThisYear => "period-this-year",
        LastMonths { months: i64 } => "period-last-months",
        All => "period-all",
        Calendar => "period-calendar",
        /// The calendar, waiting for the first day.
        PickStart { month: Period } => "period-pick-start",
        /// The calendar, the first day chosen, waiting for the last.
        PickEnd { from: NaiveDate, month: Period } => "period-pick-end",
        Prev => "period-prev",
        Next => "period-next",
        /// A weekday's short name, 1 = Monday.
        Weekday { day: i64 } => "period-weekday",
        /// A day of the month on a calendar button.
        Day { day: i64 } => "period-day",
        /// An empty calendar cell.
        Blank => "period-blank",
        /// The chosen first day on the calendar.
        Chosen { day: i64 } => "period-chosen",
        NotUnderstood => "period-not-understood",
        NoSuchDate => "period-no-such-date",
        StartAfterEnd { from: NaiveDate, to: NaiveDate } => "period-start-after-end",
        InFuture { today: NaiveDate } => "period-in-future",
        BeforeHistory { earliest: NaiveDate } => "period-before-history",
    }
}

/// Prefix of the picker's buttons.
const DATA: &str = "pd:";

/// Where the picker is: the presets, or the calendar showing a month (and the first day once
/// one is chosen). Saved inside the flow's step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Picker {
    #[default]
    Presets,
    Calendar {
        shown: Period,
        start: Option<NaiveDate>,
    },
}

/// A chosen period: first and last day, both included, `from <= to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    /// The months the range touches, oldest first.
    pub fn months(self) -> Vec<Period> {
        let (mut month, last) = (Period::of(self.from), Period::of(self.to));
        let mut months = Vec::new();
        while month <= last {
            months.push(month);
            month = month.next();
        }
        months
    }
}

/// What a range is checked against: today and the first day the account has history for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub today: NaiveDate,
    /// The first day of stored history (today when there is none).
    pub earliest: NaiveDate,
}

/// What an event did to the picker.
#[derive(Debug, PartialEq)]
pub enum Picked {
    /// A period, checked and clipped to today and the stored history.
    Range(DateRange),
    /// Still asking: the picker as it is now and what to say (a complaint first, if any).
    Ask(Picker, Vec<Out>),
    /// A button that is not the picker's: the flow decides.
    NotMine,
}

/// The picker's question for `picker`, after `complaint` if there is one; `back` is the flow's
/// way back (the last button row).
pub fn ask(picker: Picker, bounds: Bounds, complaint: Option<PeriodText>, back: Btn) -> Vec<Out> {
    let (text, mut rows) = match picker {
        Picker::Presets => (PeriodText::Ask, presets()),
        Picker::Calendar { shown, start } => {
            let text = match start {
                None => PeriodText::PickStart { month: shown },
                Some(from) => PeriodText::PickEnd { from, month: shown },
            };
            (text, calendar::grid(shown, start, bounds))
        }
    };
    // On the calendar «Назад» returns to the presets; on the presets, to the flow.
    let back = match picker {
        Picker::Presets => back,
        Picker::Calendar { .. } => Btn::back(format!("{DATA}presets")),
    };
    let nav = vec![back, Btn::cancel()];
    rows.push(nav);
    let mut outs: Vec<Out> = complaint.map(|c| say(c).into()).into_iter().collect();
    outs.push(say(text).buttons(rows).into());
    outs
}

fn presets() -> Vec<Vec<Btn>> {
    let preset = |label: PeriodText, code: &str| Btn::new(label, format!("{DATA}{code}"));
    vec![
        vec![
            preset(PeriodText::ThisYear, "year"),
            preset(PeriodText::All, "all"),
        ],
        [3, 6, 12]
            .into_iter()
            .map(|n| preset(PeriodText::LastMonths { months: n }, &format!("last:{n}")))
            .collect(),
        vec![preset(PeriodText::Calendar, "cal")],
    ]
}

/// Handles one event of the picker's question.
pub fn on_event(picker: Picker, event: &Event, bounds: Bounds, back: Btn) -> Picked {
    let again = |picker: Picker, complaint: Option<PeriodText>| {
        Picked::Ask(picker, ask(picker, bounds, complaint, back.clone()))
    };
    let checked = |from: NaiveDate, to: NaiveDate, picker: Picker| match check(from, to, bounds) {
        Ok(range) => Picked::Range(range),
        Err(complaint) => again(picker, Some(complaint)),
    };
    match event {
        Event::Text(text) => match parse::parse_range(text, bounds.today) {
            Ok((from, to)) => checked(from, to, picker),
            Err(parse::ParseError::NoSuchDate) => again(picker, Some(PeriodText::NoSuchDate)),
            Err(parse::ParseError::NotUnderstood) => again(picker, Some(PeriodText::NotUnderstood)),
        },
        Event::Button(data) => {
            let Some(code) = data.strip_prefix(DATA) else {
                return Picked::NotMine;
            };
            let today = bounds.today;
            match code.split_once(':').unwrap_or((code, "")) {
                ("year", _) => {
                    let january = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
                    checked(january, today, picker)
                }
                ("all", _) => checked(bounds.earliest, today, picker),
                ("last", n) => match n.parse::<i32>() {
                    Ok(n @ 1..=120) => {
                        checked(Period::of(today).plus(1 - n).first_day(), today, picker)
                    }
                    _ => Picked::NotMine,
                },
                ("presets", _) => again(Picker::Presets, None),
                ("cal", _) => {
                    let shown = Period::of(today);
                    again(Picker::Calendar { shown, start: None }, None)
                }
                ("m", month) => match (month.parse::<Period>(), picker) {
                    (Ok(shown), Picker::Calendar { start, .. }) => {
                        again(Picker::Calendar { shown, start }, None)
                    }
                    _ => Picked::NotMine,
                },
                ("d", day) => match (day.parse::<NaiveDate>(), picker) {
                    (Ok(day), Picker::Calendar { shown, start: None }) => {
                        if day > today {
                            again(picker, Some(PeriodText::InFuture { today }))
                        } else {
                            let start = Some(day);
                            again(Picker::Calendar { shown, start }, None)
                        }
                    }
                    (
                        Ok(day),
                        Picker::Calendar {
                            shown,
                            start: Some(from),
                        },
                    ) => {
                        // A wrong pair starts the choice over, on the month shown.
                        let fresh = Picker::Calendar { shown, start: None };
                        checked(from, day, fresh)
                    }
                    _ => Picked::NotMine,
                },
                // A blank cell or a title: nothing changes.
                ("x", _) => again(picker, None),
                _ => Picked::NotMine,
            }
        }
        _ => again(picker, Some(PeriodText::NotUnderstood)),
    }
}

/// A typed or clicked range against today and the stored history: in the wrong order, wholly
/// in the future or wholly before the history it is refused; partly outside it is clipped.
pub fn check(from: NaiveDate, to: NaiveDate, bounds: Bounds) -> Result<DateRange, PeriodText> {
    if from > to {
        return Err(PeriodText::StartAfterEnd { from, to });
    }
    if from > bounds.today {
        return Err(PeriodText::InFuture {
            today: bounds.today,
        });
    }
    if to < bounds.earliest {
        return Err(PeriodText::BeforeHistory {
            earliest: bounds.earliest,
        });
    }
    Ok(DateRange {
        from: from.max(bounds.earliest),
        to: to.min(bounds.today),
    })
}

#[cfg(test)]
mod tests;
