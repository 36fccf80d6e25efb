use super::*;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The scripts' day.
fn today() -> NaiveDate {
    d(2026, 11, 20)
}

fn range(text: &str) -> Result<(NaiveDate, NaiveDate), ParseError> {
    parse_range(text, today())
}

#[test]
fn full_dates_with_a_dash_in_any_spelling() {
    let want = Ok((d(2026, 9, 1), d(2026, 11, 30)));
    assert_eq!(range("01.09.2026 - 30.11.2026"), want);
    assert_eq!(range("01.09.2026-30.11.2026"), want);
    assert_eq!(range("1.9.2026 – 30.11.2026"), want);
    assert_eq!(range("01/09/2026 — 30/11/2026"), want);
    assert_eq!(range("2026-09-01 - 2026-11-30"), want);
    assert_eq!(range("2026-09-01..2026-11-30"), want);
    assert_eq!(range("с 01.09.2026 по 30.11.2026"), want);
    assert_eq!(range("from 01.09.26 to 30.11.26"), want);
}

#[test]
fn months_with_the_year_cover_whole_months() {
    let want = Ok((d(2026, 9, 1), d(2026, 11, 30)));
    assert_eq!(range("09.2026-11.2026"), want);
    assert_eq!(range("сентябрь–ноябрь 2026"), want);
    assert_eq!(range("Сентябрь 2026 — ноябрь 2026"), want);
    assert_eq!(range("September–November 2026"), want);
    assert_eq!(range("sep 2026 - nov 2026"), want);
    assert_eq!(range("с сентября по ноябрь 2026 г."), want);
    assert_eq!(
        range("02.2024-02.2024"),
        Ok((d(2024, 2, 1), d(2024, 2, 29)))
    );
    assert_eq!(range("2025-2026"), Ok((d(2025, 1, 1), d(2026, 12, 31))));
}

#[test]
fn days_with_month_names_take_this_year_when_left_out() {
    let want = Ok((d(2026, 9, 1), d(2026, 11, 30)));
    assert_eq!(range("с 1 сентября по 30 ноября"), want);
    assert_eq!(range("1 сентября - 30 ноября 2026"), want);
    assert_eq!(range("from 1 September to 30 November"), want);
    assert_eq!(range("1 Sept 2026 until 30 Nov 2026"), want);
    assert_eq!(range("01.09 - 30.11"), want);
}

#[test]
fn a_range_over_new_year_starts_the_year_before() {
    assert_eq!(
        range("ноябрь – февраль 2026"),
        Ok((d(2025, 11, 1), d(2026, 2, 28)))
    );
    assert_eq!(
        range("декабрь 2025 - январь"),
        Ok((d(2025, 12, 1), d(2026, 1, 31)))
    );
    // Without any year: the latest such range that has begun.
    assert_eq!(
        range("декабрь - март"),
        Ok((d(2025, 12, 1), d(2026, 3, 31)))
    );
}

#[test]
fn one_month_one_year_or_one_day_is_the_whole_of_it() {
    assert_eq!(range("октябрь 2026"), Ok((d(2026, 10, 1), d(2026, 10, 31))));
    assert_eq!(range("10.2026"), Ok((d(2026, 10, 1), d(2026, 10, 31))));
    assert_eq!(range("2025"), Ok((d(2025, 1, 1), d(2025, 12, 31))));
    assert_eq!(range("15.10.2026"), Ok((d(2026, 10, 15), d(2026, 10, 15))));
    // December without a year is last December: this one is still to come.
    assert_eq!(range("декабрь"), Ok((d(2025, 12, 1), d(2025, 12, 31))));
    assert_eq!(range("май"), Ok((d(2026, 5, 1), d(2026, 5, 31))));
}

#[test]
fn the_order_is_kept_for_the_picker_to_judge() {
    assert_eq!(
        range("30.11.2026 - 01.09.2026"),
        Ok((d(2026, 11, 30), d(2026, 9, 1)))
    );
}

#[test]
fn dates_that_do_not_exist_are_told_apart_from_nonsense() {
    assert_eq!(
        range("31.02.2026 - 01.03.2026"),
        Err(ParseError::NoSuchDate)
    );
    assert_eq!(range("13.2026-14.2026"), Err(ParseError::NoSuchDate));
    assert_eq!(range("32 января 2026"), Err(ParseError::NoSuchDate));
    for nonsense in [
        "",
        "   ",
        "вчера",
        "в мае",
        "последние полгода",
        "1 - 2 - 3",
        "12345",
        "01.09.2026 - ",
        "💡",
        "'; DROP TABLE payments; --",
        "сентябрь 26",
    ] {
        assert_eq!(
            range(nonsense),
            Err(ParseError::NotUnderstood),
            "{nonsense:?}"
        );
    }
}

proptest! {
    #[test]
    fn no_input_makes_the_parser_panic(text in "\\PC{0,60}") {
        let _ = parse_range(&text, today());
    }

    #[test]
    fn no_mix_of_its_own_pieces_makes_it_panic(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("-"), Just(".."), Just("по"), Just("с"), Just("9999"), Just("0"),
                Just("31.12.9999"), Just("00.00.0000"), Just("2026-"), Just("-09-"),
                Just("декабря"), Just("may"), Just("."), Just("/"), Just(" "),
            ],
            0..12,
        )
    ) {
        let _ = parse_range(&parts.concat(), today());
    }

    #[test]
    fn any_dotted_range_round_trips(a in 0i64..20_000, len in 0i64..2_000) {
        let from = d(2000, 1, 1) + chrono::Duration::days(a);
        let to = from + chrono::Duration::days(len);
        let text = format!("{} - {}", from.format("%d.%m.%Y"), to.format("%d.%m.%Y"));
        prop_assert_eq!(parse_range(&text, today()), Ok((from, to)));
    }
}
