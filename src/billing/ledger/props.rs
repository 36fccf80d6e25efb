//! Properties of the replay over arbitrary charges and payments.

use super::*;
use crate::billing::key_rates::{KeyRate, KeyRates};
use proptest::prelude::*;
use rust_decimal_macros::dec;

fn service() -> impl Strategy<Value = Service> {
    prop::sample::select(Service::ALL.to_vec())
}

/// Charges over 2025–2027, sorted by period; some negative (recalculations).
fn charges() -> impl Strategy<Value = Vec<ChargeTotal>> {
    prop::collection::vec((0i32..36, service(), -50_000i64..500_000), 0..30).prop_map(|mut v| {
        v.sort_by_key(|c| c.0);
        v.into_iter()
            .map(|(month, service, kopecks)| ChargeTotal {
                period: Period::new(2025, 1).unwrap().plus(month),
                service,
                amount: Money::from_kopecks(kopecks),
            })
            .collect()
    })
}

/// Payments over 2025–2027, sorted by date, with or without a chosen service.
fn payments() -> impl Strategy<Value = Vec<Payment>> {
    prop::collection::vec(
        (0i64..1100, 1i64..800_000, prop::option::of(service())),
        0..20,
    )
    .prop_map(|mut v| {
        v.sort_by_key(|p| p.0);
        v.into_iter()
            .map(|(day, kopecks, service)| Payment {
                date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Duration::days(day),
                amount: Money::from_kopecks(kopecks),
                service,
            })
            .collect()
    })
}

fn replay(charges: &[ChargeTotal], payments: &[Payment]) -> Ledger {
    Ledger::build(charges, payments, &DueSchedule::default()).unwrap()
}

/// What each service still owes across its pieces.
fn owed(l: &Ledger, service: Service) -> Money {
    l.pieces()
        .iter()
        .filter(|p| p.service == service)
        .map(|p| p.outstanding)
        .sum()
}

proptest! {
    /// Every kopeck paid (or credited by a recalculation) ends up on a piece or in an advance.
    #[test]
    fn allocation_never_creates_or_loses_a_kopeck(charges in charges(), payments in payments()) {
        let l = replay(&charges, &payments);
        let paid: Money = payments.iter().map(|p| p.amount).sum();
        let credited: Money = ALLOCATION_ORDER
            .iter()
            .flat_map(|&s| {
                let mut by_period: Vec<(Period, Money)> = Vec::new();
                for c in charges.iter().filter(|c| c.service == s) {
                    match by_period.last_mut() {
                        Some((p, m)) if *p == c.period => *m = *m + c.amount,
                        _ => by_period.push((c.period, c.amount)),
                    }
                }
                by_period.into_iter().map(|(_, m)| (-m).max(Money::ZERO))
            })
            .sum();
        let settled: Money = l.pieces().iter().flat_map(|p| l.settlements_of(p)).map(|s| s.amount).sum();
        let advances: Money = ALLOCATION_ORDER.iter().map(|&s| owed(&l, s) - l.balances().of(s)).sum();
        prop_assert_eq!(
            settled + advances + l.balances().unassigned_advance(),
            paid + credited
        );
        for (i, payment) in payments.iter().enumerate() {
            let from_it: Money = l
                .pieces()
                .iter()
                .flat_map(|p| l.settlements_of(p))
                .filter(|s| s.by == SettledBy::Payment(i as u32))
                .map(|s| s.amount)
                .sum();
            prop_assert!(from_it <= payment.amount);
        }
    }

    #[test]
    fn balances_are_charges_minus_payments(charges in charges(), payments in payments()) {
        let l = replay(&charges, &payments);
        let charged: Money = charges.iter().map(|c| c.amount).sum();
        let paid: Money = payments.iter().map(|p| p.amount).sum();
        prop_assert_eq!(l.balances().total(), charged - paid);
    }

    #[test]
    fn with_chosen_services_each_balance_is_its_charges_minus_its_payments(
        charges in charges(),
        payments in payments(),
    ) {
        let chosen: Vec<Payment> = payments
            .into_iter()
            .map(|p| Payment { service: p.service.or(Some(Service::Electricity)), ..p })
            .collect();
        let l = replay(&charges, &chosen);
        for s in Service::ALL {
            let charged: Money = charges.iter().filter(|c| c.service == s).map(|c| c.amount).sum();
            let paid: Money = chosen.iter().filter(|p| p.service == Some(s)).map(|p| p.amount).sum();
            prop_assert_eq!(l.balances().of(s), charged - paid);
        }
    }

    /// A debt and an advance for it never stand side by side: the advance would have paid it.
    #[test]
    fn pieces_are_consistent_and_advances_never_coexist_with_debt(
        charges in charges(),
        payments in payments(),
    ) {
        let l = replay(&charges, &payments);
        for p in l.pieces() {
            let settled: Money = l.settlements_of(p).iter().map(|s| s.amount).sum();
            prop_assert_eq!(p.amount - settled, p.outstanding);
            prop_assert!(!p.outstanding.is_negative() && p.amount.is_positive());
            prop_assert!(l.settlements_of(p).windows(2).all(|w| w[0].date <= w[1].date));
        }
        let any_owed = Service::ALL.iter().any(|&s| owed(&l, s).is_positive());
        prop_assert!(!(any_owed && l.balances().unassigned_advance().is_positive()));
        for s in Service::ALL {
            let advance = owed(&l, s) - l.balances().of(s);
            prop_assert!(!advance.is_negative());
            prop_assert!(!(advance.is_positive() && owed(&l, s).is_positive()));
        }
    }

    /// Closing every month in turn charges, in total, the penalty of the whole span.
    #[test]
    fn monthly_penalties_add_up_to_the_whole_span(charges in charges(), payments in payments()) {
        let l = replay(&charges, &payments);
        let flat = PenaltyRates::with_caps(
            KeyRates::new(vec![KeyRate {
                valid_from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                percent: dec!(16),
            }])
            .unwrap(),
            vec![],
        );
        let first = Period::new(2025, 1).unwrap();
        let last = Period::new(2028, 6).unwrap();
        let mut sum = Money::ZERO;
        let mut month = first;
        while month <= last {
            sum = sum + l.penalty_for_period(month, &flat).unwrap();
            month = month.next();
        }
        prop_assert_eq!(sum, l.penalty_between(NaiveDate::MIN, last.last_day(), &flat).unwrap());
    }
}
