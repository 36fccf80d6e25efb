use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn bounds() -> Bounds {
    Bounds {
        today: d(2026, 11, 20),
        earliest: d(2024, 10, 19),
    }
}

fn back() -> Btn {
    Btn::back("hs:kinds")
}

fn press(picker: Picker, data: &str) -> Picked {
    on_event(picker, &Event::Button(data.into()), bounds(), back())
}

fn typed(text: &str) -> Picked {
    on_event(Picker::Presets, &Event::Text(text.into()), bounds(), back())
}

fn range(from: NaiveDate, to: NaiveDate) -> Picked {
    Picked::Range(DateRange { from, to })
}

/// The first thing said: the complaint when there is one.
fn complaint(picked: Picked) -> Msg {
    match picked {
        Picked::Ask(_, outs) => match outs.into_iter().next() {
            Some(Out::Say(said)) => said.text,
            other => panic!("not a message: {other:?}"),
        },
        other => panic!("not asking again: {other:?}"),
    }
}

use crate::i18n::Msg;

#[test]
fn presets_end_today_and_start_no_earlier_than_the_history() {
    let today = bounds().today;
    assert_eq!(
        press(Picker::Presets, "pd:year"),
        range(d(2026, 1, 1), today)
    );
    assert_eq!(
        press(Picker::Presets, "pd:last:3"),
        range(d(2026, 9, 1), today)
    );
    assert_eq!(
        press(Picker::Presets, "pd:last:12"),
        range(d(2025, 12, 1), today)
    );
    assert_eq!(
        press(Picker::Presets, "pd:all"),
        range(d(2024, 10, 19), today)
    );
    assert_eq!(press(Picker::Presets, "pd:last:999"), Picked::NotMine);
    assert_eq!(press(Picker::Presets, "rd:ok"), Picked::NotMine);
}

#[test]
fn a_typed_range_is_clipped_to_today() {
    assert_eq!(
        typed("с 1 сентября по 30 ноября"),
        range(d(2026, 9, 1), d(2026, 11, 20))
    );
}

#[test]
fn wrong_ranges_are_told_apart_and_asked_again() {
    assert_eq!(
        complaint(typed("30.11.2026 - 01.09.2026")),
        PeriodText::StartAfterEnd {
            from: d(2026, 11, 30),
            to: d(2026, 9, 1)
        }
        .into()
    );
    assert_eq!(
        complaint(typed("01.01.2027 - 31.01.2027")),
        PeriodText::InFuture {
            today: bounds().today
        }
        .into()
    );
    assert_eq!(
        complaint(typed("2023")),
        PeriodText::BeforeHistory {
            earliest: bounds().earliest
        }
        .into()
    );
    assert_eq!(
        complaint(typed("когда-нибудь")),
        PeriodText::NotUnderstood.into()
    );
    assert_eq!(
        complaint(typed("30.02.2026")),
        PeriodText::NoSuchDate.into()
    );
}

#[test]
fn the_calendar_picks_a_first_then_a_last_day() {
    let Picked::Ask(cal, _) = press(Picker::Presets, "pd:cal") else {
        panic!("the calendar")
    };
    let november = Period::new(2026, 11).unwrap();
    assert_eq!(
        cal,
        Picker::Calendar {
            shown: november,
            start: None
        }
    );
    let Picked::Ask(october, _) = press(cal, "pd:m:2026-10") else {
        panic!("a month back")
    };
    let Picked::Ask(started, _) = press(october, "pd:d:2026-10-05") else {
        panic!("the first day")
    };
    assert_eq!(
        started,
        Picker::Calendar {
            shown: Period::new(2026, 10).unwrap(),
            start: Some(d(2026, 10, 5))
        }
    );
    assert_eq!(
        press(started, "pd:d:2026-10-25"),
        range(d(2026, 10, 5), d(2026, 10, 25))
    );
    // A last day before the first: said so, and the choice starts over.
    let Picked::Ask(over, outs) = press(started, "pd:d:2026-10-01") else {
        panic!("asked again")
    };
    assert_eq!(
        over,
        Picker::Calendar {
            shown: Period::new(2026, 10).unwrap(),
            start: None
        }
    );
    assert_eq!(outs.len(), 2);
    // A day in the future (from an old message) is refused.
    assert_eq!(
        complaint(press(cal, "pd:d:2026-11-25")),
        PeriodText::InFuture {
            today: bounds().today
        }
        .into()
    );
}

#[test]
fn the_picker_state_is_small_json() {
    let picker = Picker::Calendar {
        shown: Period::new(2026, 10).unwrap(),
        start: Some(d(2026, 10, 5)),
    };
    let json = serde_json::to_string(&picker).unwrap();
    assert!(json.len() < 80, "{json}");
    assert_eq!(serde_json::from_str::<Picker>(&json).unwrap(), picker);
}

#[test]
fn a_range_lists_the_months_it_touches() {
    let r = DateRange {
        from: d(2025, 11, 20),
        to: d(2026, 2, 3),
    };
    let months: Vec<String> = r.months().iter().map(ToString::to_string).collect();
    assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);
}
