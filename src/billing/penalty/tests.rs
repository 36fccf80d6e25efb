use super::*;
use crate::billing::key_rates::{KeyRate, KeyRates};
use crate::billing::period::Period;
use proptest::prelude::*;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn rub(amount: Decimal) -> Money {
    Money::from_decimal(amount)
}

/// 21 % from 2025 (capped to 9.5 % until 2027), 14 % from 2027.
fn rates() -> PenaltyRates {
    PenaltyRates::new(
        KeyRates::new(vec![
            KeyRate {
                valid_from: d(2025, 1, 1),
                percent: dec!(21),
            },
            KeyRate {
                valid_from: d(2027, 1, 1),
                percent: dec!(14),
            },
        ])
        .unwrap(),
    )
}

fn paid(amount: Decimal, on: NaiveDate) -> DebtPart {
    DebtPart {
        amount: rub(amount),
        settled_on: Some(on),
    }
}

#[test]
fn the_domain_example_costs_33_62() {
    // 60 days × 1000 × 0.095 / 300 = 19,00 plus 20 days × 1000 × 0.095 / 130 = 14,62.
    let p = penalty(rub(dec!(1000)), d(2026, 1, 10), d(2026, 4, 30), &rates());
    assert_eq!(p, Ok(rub(dec!(33.62))));
}

#[test]
fn day_one_is_the_day_after_the_due_date() {
    assert_eq!(day_of_lateness(d(2026, 1, 10), d(2026, 1, 11)), 1);
    assert_eq!(day_of_lateness(d(2026, 1, 10), d(2026, 1, 10)), 0);
}

#[test]
fn the_first_30_days_are_free() {
    let due = d(2026, 1, 10);
    assert_eq!(day_of_lateness(due, d(2026, 2, 9)), 30);
    assert_eq!(
        penalty(rub(dec!(1000)), due, d(2026, 2, 9), &rates()),
        Ok(Money::ZERO)
    );
    assert_eq!(
        penalty(rub(dec!(1000)), due, due, &rates()),
        Ok(Money::ZERO)
    );
    assert_eq!(
        penalty(rub(dec!(1000)), due, d(2025, 12, 1), &rates()),
        Ok(Money::ZERO)
    );
}

#[test]
fn day_31_costs_one_three_hundredth_of_the_rate() {
    // 1000 × 0.095 / 300 = 0.31666…
    let p = penalty(rub(dec!(1000)), d(2026, 1, 10), d(2026, 2, 10), &rates());
    assert_eq!(p, Ok(rub(dec!(0.32))));
}

#[test]
fn day_90_closes_the_first_band_at_sixty_days() {
    let due = d(2026, 1, 10);
    assert_eq!(day_of_lateness(due, d(2026, 4, 10)), 90);
    assert_eq!(
        penalty(rub(dec!(1000)), due, d(2026, 4, 10), &rates()),
        Ok(rub(dec!(19.00)))
    );
}

#[test]
fn day_91_costs_one_hundred_thirtieth_of_the_rate() {
    // 19,00 + 1000 × 0.095 / 130 = 19.7307…
    let p = penalty(rub(dec!(1000)), d(2026, 1, 10), d(2026, 4, 11), &rates());
    assert_eq!(p, Ok(rub(dec!(19.73))));
}

#[test]
fn the_29th_of_february_is_a_day_of_lateness_in_2028() {
    // Due 30 January: day 30 is 29 February 2028 but 1 March 2027.
    let r = rates();
    assert_eq!(
        penalty(rub(dec!(1000)), d(2028, 1, 30), d(2028, 2, 29), &r),
        Ok(Money::ZERO)
    );
    // Day 31 at 14 %: 1000 × 0.14 / 300 = 0.4666…
    assert_eq!(
        penalty(rub(dec!(1000)), d(2028, 1, 30), d(2028, 3, 1), &r),
        Ok(rub(dec!(0.47)))
    );
    assert_eq!(
        penalty(rub(dec!(1000)), d(2027, 1, 30), d(2027, 3, 1), &r),
        Ok(Money::ZERO)
    );
}

#[test]
fn a_debt_spanning_29_february_reaches_day_91_on_1_march_2028() {
    // Due 1 December 2027: day 90 is 29 February 2028, day 91 is 1 March.
    // 60 × 1000 × 0.14 / 300 + 1 × 1000 × 0.14 / 130 = 28 + 1.0769…
    let p = penalty(rub(dec!(1000)), d(2027, 12, 1), d(2028, 3, 1), &rates());
    assert_eq!(p, Ok(rub(dec!(29.08))));
}

#[test]
fn february_2028_charges_29_days() {
    // Due 15 December 2027 and unpaid: 31 January is day 47, 29 February day 76.
    let feb = Period::new(2028, 2).unwrap();
    let owed = DebtPart {
        amount: rub(dec!(1000)),
        settled_on: None,
    };
    let p = penalty_between(
        d(2027, 12, 15),
        [owed],
        feb.first_day(),
        feb.last_day(),
        &rates(),
    );
    // round(46 × 1000 × 0.14 / 300) − round(17 × 1000 × 0.14 / 300) = 21.47 − 7.93
    assert_eq!(p, Ok(rub(dec!(13.54))));
}

#[test]
fn each_part_of_a_debt_paid_in_parts_accrues_until_its_own_payment_day() {
    // 400 paid on day 41 (11 days charged), 600 paid on day 110 (60 + 20 days):
    // (400 × 9.5 × 143 + 600 × 9.5 × 1380) / 390 000 = 21.5625…
    let parts = [
        paid(dec!(400), d(2026, 2, 20)),
        paid(dec!(600), d(2026, 4, 30)),
    ];
    let p = penalty_between(
        d(2026, 1, 10),
        parts,
        NaiveDate::MIN,
        d(2026, 4, 30),
        &rates(),
    );
    assert_eq!(p, Ok(rub(dec!(21.56))));
}

#[test]
fn the_unpaid_rest_of_a_debt_keeps_accruing_through_today() {
    let due = d(2026, 1, 10);
    let parts = [
        paid(dec!(400), d(2026, 2, 20)),
        DebtPart {
            amount: rub(dec!(600)),
            settled_on: None,
        },
    ];
    let p = penalty_between(due, parts, NaiveDate::MIN, d(2026, 4, 30), &rates());
    assert_eq!(p, Ok(rub(dec!(21.56))));
}

#[test]
fn the_rate_of_the_payment_day_prices_the_whole_delay() {
    // Late from 16 October 2026, paid 10 February 2027 (day 118), when 14 % applies uncapped:
    // (60 × 13 + 28 × 30) × 1000 × 14 / 390 000 = 58.1538…
    let p = penalty(rub(dec!(1000)), d(2026, 10, 15), d(2027, 2, 10), &rates());
    assert_eq!(p, Ok(rub(dec!(58.15))));
    // Paid on 31 December 2026 instead (day 77), under the 9.5 % cap: 47 × 1000 × 0.095 / 300.
    let p = penalty(rub(dec!(1000)), d(2026, 10, 15), d(2026, 12, 31), &rates());
    assert_eq!(p, Ok(rub(dec!(14.88))));
}

#[test]
fn a_payment_day_without_a_known_rate_is_an_error() {
    let p = penalty(rub(dec!(1000)), d(2024, 1, 10), d(2024, 4, 30), &rates());
    assert_eq!(p, Err(RateError::Unknown(d(2024, 4, 30))));
}

#[test]
fn a_window_within_the_free_days_costs_nothing_and_needs_no_rate() {
    let p = penalty(rub(dec!(1000)), d(2024, 1, 10), d(2024, 1, 25), &rates());
    assert_eq!(p, Ok(Money::ZERO));
}

#[test]
fn monthly_windows_of_the_domain_example_are_6_02_9_81_17_79() {
    let due = d(2026, 1, 10);
    let part = [paid(dec!(1000), d(2026, 4, 30))];
    let month = |m| {
        let p = Period::new(2026, m).unwrap();
        penalty_between(due, part, p.first_day(), p.last_day(), &rates()).unwrap()
    };
    assert_eq!(month(1), Money::ZERO);
    assert_eq!(month(2), rub(dec!(6.02)));
    assert_eq!(month(3), rub(dec!(9.81)));
    assert_eq!(month(4), rub(dec!(17.79)));
    assert_eq!(month(5), Money::ZERO);
}

proptest! {
    /// Closing month after month charges, in total, the one-shot penalty to the kopeck.
    #[test]
    fn monthly_windows_add_up_to_the_one_shot_penalty(
        due_offset in 0i64..700,
        paid_offsets in proptest::collection::vec(1i64..400, 1..4),
        kopecks in proptest::collection::vec(1i64..10_000_000, 4),
        unpaid_rest in any::<bool>(),
    ) {
        let due = d(2025, 1, 1) + chrono::Duration::days(due_offset);
        let mut parts: Vec<DebtPart> = paid_offsets
            .iter()
            .zip(&kopecks)
            .map(|(days, k)| DebtPart {
                amount: Money::from_kopecks(*k),
                settled_on: Some(due + chrono::Duration::days(*days)),
            })
            .collect();
        if unpaid_rest {
            parts.push(DebtPart { amount: Money::from_kopecks(kopecks[3]), settled_on: None });
        }
        let today = due + chrono::Duration::days(420);
        // One rate over the span, so the sum must match exactly.
        let flat = PenaltyRates::with_caps(
            KeyRates::new(vec![KeyRate { valid_from: d(2020, 1, 1), percent: dec!(16.5) }]).unwrap(),
            vec![],
        );
        let whole = penalty_between(due, parts.iter().copied(), NaiveDate::MIN, today, &flat).unwrap();
        let mut sum = Money::ZERO;
        let mut month = Period::of(due);
        while month.first_day() <= today {
            let through = month.last_day().min(today);
            let slice = penalty_between(due, parts.iter().copied(), month.first_day(), through, &flat).unwrap();
            prop_assert!(!slice.is_negative());
            sum = sum + slice;
            month = month.next();
        }
        prop_assert_eq!(sum, whole);
    }
}
