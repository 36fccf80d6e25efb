use super::*;
use crate::billing::due::DueDay;
use crate::billing::key_rates::{KeyRate, KeyRates};
use Service::{Electricity, Odn, Penalty};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn p(y: i32, m: u32) -> Period {
    Period::new(y, m).unwrap()
}

fn rub(v: Decimal) -> Money {
    Money::from_decimal(v)
}

fn charge(period: Period, service: Service, amount: Decimal) -> ChargeTotal {
    ChargeTotal {
        period,
        service,
        amount: rub(amount),
    }
}

fn pay(date: NaiveDate, amount: Decimal, service: Option<Service>) -> Payment {
    Payment {
        date,
        amount: rub(amount),
        service,
    }
}

fn build(charges: &[ChargeTotal], payments: &[Payment]) -> Ledger {
    Ledger::build(charges, payments, &DueSchedule::default()).unwrap()
}

/// 21 % from 2025 (capped to 9.5 % until 2027), 14 % from 2027.
fn rates() -> PenaltyRates {
    let at = |y, percent| KeyRate {
        valid_from: d(y, 1, 1),
        percent,
    };
    PenaltyRates::new(KeyRates::new(vec![at(2025, dec!(21)), at(2027, dec!(14))]).unwrap())
}

fn piece(l: &Ledger, period: Period, service: Service) -> DebtPiece {
    *l.pieces()
        .iter()
        .find(|x| x.period == period && x.service == service)
        .expect("piece exists")
}

#[test]
fn a_payment_for_a_chosen_service_settles_only_that_service() {
    let l = build(
        &[
            charge(p(2026, 1), Electricity, dec!(1000)),
            charge(p(2026, 1), Odn, dec!(100)),
            charge(p(2026, 2), Electricity, dec!(800)),
        ],
        &[pay(d(2026, 3, 2), dec!(150), Some(Odn))],
    );
    assert_eq!(l.balances().of(Electricity), rub(dec!(1800)));
    assert_eq!(l.balances().of(Odn), rub(dec!(-50)));
    assert!(piece(&l, p(2026, 1), Odn).outstanding.is_zero());
}

#[test]
fn a_payment_for_no_service_settles_the_oldest_debts_first() {
    let l = build(
        &[
            charge(p(2025, 12), Odn, dec!(50)),
            charge(p(2025, 12), Electricity, dec!(500)),
            charge(p(2026, 1), Electricity, dec!(600)),
        ],
        &[pay(d(2026, 2, 20), dec!(600), None)],
    );
    assert!(piece(&l, p(2025, 12), Electricity).outstanding.is_zero());
    assert!(piece(&l, p(2025, 12), Odn).outstanding.is_zero());
    let jan = piece(&l, p(2026, 1), Electricity);
    assert_eq!(jan.outstanding, rub(dec!(550)));
    assert_eq!(
        l.settlements_of(&jan),
        &[Settlement {
            piece: 2,
            date: d(2026, 2, 20),
            amount: rub(dec!(50)),
            by: SettledBy::Payment(0)
        }]
    );
}

#[test]
fn pieces_are_ordered_by_period_then_electricity_odn_other_penalty() {
    let l = build(
        &[
            charge(p(2026, 1), Penalty, dec!(3)),
            charge(p(2026, 1), Service::Other, dec!(300)),
            charge(p(2026, 1), Odn, dec!(30)),
            charge(p(2026, 1), Electricity, dec!(1000)),
            charge(p(2026, 2), Electricity, dec!(900)),
        ],
        &[],
    );
    let order: Vec<_> = l.pieces().iter().map(|x| (x.period, x.service)).collect();
    assert_eq!(
        order,
        [
            (p(2026, 1), Electricity),
            (p(2026, 1), Odn),
            (p(2026, 1), Service::Other),
            (p(2026, 1), Penalty),
            (p(2026, 2), Electricity)
        ]
    );
}

#[test]
fn penalties_are_paid_after_every_other_debt_of_every_period() {
    let l = build(
        &[
            charge(p(2026, 1), Penalty, dec!(10)),
            charge(p(2026, 2), Electricity, dec!(100)),
        ],
        &[pay(d(2026, 3, 5), dec!(105), None)],
    );
    assert_eq!(l.balances().of(Electricity), Money::ZERO);
    assert_eq!(l.balances().of(Penalty), rub(dec!(5)));
}

#[test]
fn an_overpayment_is_an_advance_that_later_charges_consume() {
    let l = build(
        &[
            charge(p(2026, 1), Electricity, dec!(1000)),
            charge(p(2026, 1), Odn, dec!(100)),
            charge(p(2026, 2), Electricity, dec!(800)),
        ],
        &[pay(d(2026, 1, 20), dec!(1500), None)],
    );
    let feb = piece(&l, p(2026, 2), Electricity);
    assert_eq!(feb.outstanding, rub(dec!(400)));
    assert_eq!(l.settlements_of(&feb)[0].by, SettledBy::Advance);
    assert_eq!(l.settlements_of(&feb)[0].date, d(2026, 3, 1));
    assert_eq!(l.balances().of(Electricity), rub(dec!(400)));
    assert_eq!(l.balances().unassigned_advance(), Money::ZERO);
}

#[test]
fn an_advance_left_unconsumed_shows_as_unassigned() {
    let l = build(
        &[charge(p(2026, 1), Electricity, dec!(1000))],
        &[pay(d(2026, 2, 3), dec!(1200), None)],
    );
    assert_eq!(l.balances().unassigned_advance(), rub(dec!(200)));
    assert_eq!(l.balances().total(), rub(dec!(-200)));
}

#[test]
fn an_advance_for_a_chosen_service_is_kept_for_that_service() {
    let l = build(
        &[
            charge(p(2026, 1), Electricity, dec!(1000)),
            charge(p(2026, 1), Odn, dec!(100)),
        ],
        &[pay(d(2026, 1, 20), dec!(300), Some(Odn))],
    );
    assert_eq!(l.balances().of(Electricity), rub(dec!(1000)));
    assert_eq!(l.balances().of(Odn), rub(dec!(-200)));
}

#[test]
fn a_negative_recalculation_settles_the_oldest_debt_of_its_service_then_becomes_an_advance() {
    let l = build(
        &[
            charge(p(2025, 12), Electricity, dec!(1000)),
            charge(p(2025, 12), Odn, dec!(100)),
            charge(p(2026, 1), Electricity, dec!(-300)),
            charge(p(2026, 2), Electricity, dec!(-1000)),
            charge(p(2026, 3), Electricity, dec!(500)),
        ],
        &[],
    );
    let dec_piece = piece(&l, p(2025, 12), Electricity);
    let s = l.settlements_of(&dec_piece);
    assert_eq!(
        (s[0].date, s[0].amount, s[0].by),
        (d(2026, 2, 1), rub(dec!(300)), SettledBy::Recalculation)
    );
    assert_eq!((s[1].date, s[1].amount), (d(2026, 3, 1), rub(dec!(700))));
    // 300 of advance left after February, consumed by March's 500.
    assert_eq!(
        piece(&l, p(2026, 3), Electricity).outstanding,
        rub(dec!(200))
    );
    assert_eq!(l.balances().of(Electricity), rub(dec!(200)));
    assert_eq!(l.balances().of(Odn), rub(dec!(100)));
    assert_eq!(l.pieces().len(), 3);
}

#[test]
fn charges_of_a_period_post_before_payments_of_the_next_months_first_day() {
    let l = build(
        &[charge(p(2026, 1), Electricity, dec!(1000))],
        &[pay(d(2026, 2, 1), dec!(1000), None)],
    );
    let jan = piece(&l, p(2026, 1), Electricity);
    assert_eq!(l.settlements_of(&jan)[0].by, SettledBy::Payment(0));
}

#[test]
fn pieces_are_due_by_the_dated_rule() {
    let charges = [
        charge(p(2026, 2), Electricity, dec!(1)),
        charge(p(2026, 3), Electricity, dec!(1)),
        charge(p(2026, 4), Electricity, dec!(1)),
    ];
    let l = build(&charges, &[]);
    let dues: Vec<_> = l.pieces().iter().map(|x| x.due).collect();
    assert_eq!(dues, [d(2026, 3, 10), d(2026, 4, 15), d(2026, 5, 15)]);
    let twentieth = DueSchedule::new(DueDay::new(20).unwrap());
    let l = Ledger::build(&charges, &[], &twentieth).unwrap();
    assert_eq!(l.pieces()[2].due, d(2026, 5, 20));
}

#[test]
fn the_domain_example_accrues_33_62_in_monthly_slices() {
    let l = build(
        &[charge(p(2025, 12), Electricity, dec!(1000))],
        &[pay(d(2026, 4, 30), dec!(1000), None)],
    );
    let slices: Vec<Money> = (1..=5)
        .map(|m| l.penalty_for_period(p(2026, m), &rates()).unwrap())
        .collect();
    assert_eq!(
        slices,
        [
            Money::ZERO,
            rub(dec!(6.02)),
            rub(dec!(9.81)),
            rub(dec!(17.79)),
            Money::ZERO
        ]
    );
    let whole = l.penalty_between(NaiveDate::MIN, d(2026, 12, 31), &rates());
    assert_eq!(whole, Ok(rub(dec!(33.62))));
}

#[test]
fn a_debt_paid_in_parts_accrues_each_part_until_its_payment_day() {
    let l = build(
        &[charge(p(2025, 12), Electricity, dec!(1000))],
        &[
            pay(d(2026, 2, 20), dec!(400), None),
            pay(d(2026, 4, 30), dec!(600), Some(Electricity)),
        ],
    );
    let whole = l.penalty_between(NaiveDate::MIN, d(2026, 6, 30), &rates());
    assert_eq!(whole, Ok(rub(dec!(21.56))));
    let months: Money = (1..=6)
        .map(|m| l.penalty_for_period(p(2026, m), &rates()).unwrap())
        .sum();
    assert_eq!(months, rub(dec!(21.56)));
}

#[test]
fn payments_after_the_closed_period_do_not_change_its_penalty() {
    let charges = [charge(p(2025, 12), Electricity, dec!(1000))];
    let before = build(&charges, &[]);
    let after = build(&charges, &[pay(d(2026, 5, 3), dec!(1000), None)]);
    let april = p(2026, 4);
    assert_eq!(
        before.penalty_for_period(april, &rates()),
        after.penalty_for_period(april, &rates())
    );
    assert!(
        after
            .penalty_for_period(april, &rates())
            .unwrap()
            .is_positive()
    );
    // May counts the three days until the payment only.
    let may = after.penalty_for_period(p(2026, 5), &rates()).unwrap();
    assert_eq!(may, rub(dec!(2.19)));
}

#[test]
fn penalties_accrue_no_penalty() {
    let l = build(&[charge(p(2025, 12), Penalty, dec!(1000))], &[]);
    assert_eq!(l.penalty_for_period(p(2026, 4), &rates()), Ok(Money::ZERO));
}

#[test]
fn unpaid_debt_is_priced_at_the_rate_of_the_months_last_day() {
    // The November 2026 bill, due 15 December 2026, unpaid through March 2027 (14 %, no cap).
    let l = build(&[charge(p(2026, 11), Electricity, dec!(1000))], &[]);
    // 31 January 2027 is day 47, 28 February day 75, 31 March day 106.
    // round(1000 × 14 × (60 × 13 + 16 × 30) / 390 000) − round(1000 × 14 × 45 × 13 / 390 000)
    assert_eq!(
        l.penalty_for_period(p(2027, 3), &rates()),
        Ok(rub(dec!(45.23)) - rub(dec!(21.00)))
    );
    // December 2026 holds only days 1–16, all free.
    assert_eq!(l.penalty_for_period(p(2026, 12), &rates()), Ok(Money::ZERO));
}

#[test]
fn a_replayed_ledger_forgets_its_previous_account() {
    let mut l = build(
        &[charge(p(2025, 12), Electricity, dec!(1000))],
        &[pay(d(2026, 1, 3), dec!(5000), None)],
    );
    let charges = [charge(p(2026, 1), Odn, dec!(70))];
    l.replay(&charges, &[], &DueSchedule::default()).unwrap();
    assert_eq!(l.pieces().len(), 1);
    assert_eq!(l.balances().of(Odn), rub(dec!(70)));
    assert_eq!(l.balances().unassigned_advance(), Money::ZERO);
    assert_eq!(l.settlements_of(&l.pieces()[0]), &[]);
}

#[test]
fn input_out_of_order_or_non_positive_payments_are_refused() {
    let due = DueSchedule::default();
    let charges = [
        charge(p(2026, 2), Electricity, dec!(1)),
        charge(p(2026, 1), Electricity, dec!(1)),
    ];
    assert_eq!(
        Ledger::build(&charges, &[], &due).unwrap_err(),
        LedgerError::ChargesOutOfOrder(1)
    );
    let payments = [
        pay(d(2026, 2, 2), dec!(1), None),
        pay(d(2026, 2, 1), dec!(1), None),
    ];
    assert_eq!(
        Ledger::build(&[], &payments, &due).unwrap_err(),
        LedgerError::PaymentsOutOfOrder(1)
    );
    assert_eq!(
        Ledger::build(&[], &[pay(d(2026, 2, 2), dec!(0), None)], &due).unwrap_err(),
        LedgerError::NonPositivePayment(0)
    );
}

/// Cost per account at period close; run with `cargo test --release --lib typical_account -- --ignored --nocapture`.
#[test]
#[ignore = "timing; run by hand in release"]
fn a_typical_account_closes_in_microseconds() {
    // Two years of monthly electricity and ОДН bills and a penalty line, paid late or in parts.
    let mut charges = Vec::new();
    let mut payments = Vec::new();
    for m in 0..24 {
        let period = p(2025, 1).plus(m);
        charges.push(charge(period, Electricity, dec!(1520.37)));
        charges.push(charge(period, Odn, dec!(84.12)));
        charges.push(charge(period, Penalty, dec!(3.15)));
        payments.push(pay(period.next().day(25), dec!(1000), None));
        payments.push(pay(
            period.next().next().day(3),
            dec!(600),
            Some(Electricity),
        ));
    }
    let due = DueSchedule::default();
    let rates = rates();
    let mut ledger = Ledger::default();
    let rounds = 20_000u32;
    let started = std::time::Instant::now();
    let mut total = Money::ZERO;
    for _ in 0..rounds {
        ledger.replay(&charges, &payments, &due).unwrap();
        total = total + ledger.penalty_for_period(p(2026, 12), &rates).unwrap();
    }
    let per_account = started.elapsed() / rounds;
    println!("{per_account:?} per account ({total})");
    assert!(total.is_positive());
}
