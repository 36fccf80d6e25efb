//! The ledger of one account over a bounded window, opened with the balance of everything older.
//!
//! Replaying an account's whole history at every close would load years of charges and payments
//! per account. The penalty of the closed period only depends on the debts still owed in it and
//! on their due dates, and a debt charged five periods or more before the closed one is past its
//! 90th day of lateness on every day of it (a bill is due by the 28th of the next month at the
//! latest): such debts all accrue at the same 1/130 rate, whatever their exact age. So, with a
//! window of the six periods before the closed one, charges and payments before the window are
//! summed per service, the sum is netted into an opening balance,
//! and that balance enters the ledger as one debt per service charged in the period just before
//! the window (or an advance paid the day before it).
//!
//! The trade-off, compared with a full replay: old debts are merged into one piece per service,
//! which is rounded once instead of piece by piece (a kopeck at most per piece), and money paid
//! for no service before the window is taken as settling the old principal first and penalties
//! last, in [`ALLOCATION_ORDER`], rather than in the exact time order of events.

use crate::billing::balances::ALLOCATION_ORDER;
use crate::billing::{ChargeTotal, Money, Payment, Period, Service};
use crate::store::close::{ChargeSum, PaymentIn};

/// What an account's rows of a [`crate::store::close::CloseBatch`] hold for its ledger.
pub(super) struct History<'a> {
    /// Summed per service before the window.
    pub opening_charges: &'a [ChargeSum],
    /// Inside the window, by period.
    pub charges: &'a [ChargeSum],
    /// Summed per service before the window.
    pub opening_payments: &'a [PaymentIn],
    /// Inside the window, by date.
    pub payments: &'a [PaymentIn],
}

/// The ledger input of an account whose window starts with `ledger_from`, into `out_charges`
/// and `out_payments` (cleared first).
pub(super) fn ledger_input(
    history: &History<'_>,
    ledger_from: Period,
    out_charges: &mut Vec<ChargeTotal>,
    out_payments: &mut Vec<Payment>,
) {
    out_charges.clear();
    out_payments.clear();
    let opening = ledger_from.prev();
    let (old, window) = (history.opening_charges, history.charges);
    let (opening_payments, payments) = (history.opening_payments, history.payments);

    let mut net = [Money::ZERO; 4];
    let mut unassigned = Money::ZERO;
    for c in old {
        net[slot(c.service)] = net[slot(c.service)] + c.amount;
    }
    for p in opening_payments {
        match p.service {
            Some(s) => net[slot(s)] = net[slot(s)] - p.amount,
            None => unassigned = unassigned + p.amount,
        }
    }
    for (k, owed) in net.iter_mut().enumerate() {
        let take = unassigned.min(*owed);
        if take.is_positive() {
            *owed = *owed - take;
            unassigned = unassigned - take;
        }
        let service = ALLOCATION_ORDER[k];
        if owed.is_positive() {
            out_charges.push(ChargeTotal {
                period: opening,
                service,
                amount: *owed,
            });
        } else if owed.is_negative() {
            out_payments.push(Payment {
                date: ledger_from.first_day().pred_opt().expect("a day before"),
                amount: -*owed,
                service: Some(service),
            });
        }
    }
    if unassigned.is_positive() {
        out_payments.push(Payment {
            date: ledger_from.first_day().pred_opt().expect("a day before"),
            amount: unassigned,
            service: None,
        });
    }
    out_charges.extend(window.iter().map(|c| ChargeTotal {
        period: c.period,
        service: c.service,
        amount: c.amount,
    }));
    out_payments.extend(payments.iter().map(|p| Payment {
        date: p.date,
        amount: p.amount,
        service: p.service,
    }));
}

/// The position of `service` in [`ALLOCATION_ORDER`].
fn slot(service: Service) -> usize {
    ALLOCATION_ORDER
        .iter()
        .position(|s| *s == service)
        .expect("every service is in the allocation order")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn p(y: i32, m: u32) -> Period {
        Period::new(y, m).unwrap()
    }

    fn rub(r: i64) -> Money {
        Money::from_kopecks(r * 100)
    }

    fn sum(period: Period, service: Service, amount: Money) -> ChargeSum {
        ChargeSum {
            account_id: 1,
            period,
            service,
            amount,
        }
    }

    fn paid(date: NaiveDate, service: Option<Service>, amount: Money) -> PaymentIn {
        PaymentIn {
            account_id: 1,
            date,
            service,
            amount,
        }
    }

    #[test]
    fn old_debt_opens_as_one_charge_per_service_net_of_old_payments() {
        let from = p(2026, 1);
        let day = from.first_day().pred_opt().unwrap();
        let opening_charges = [
            sum(p(2025, 12), Service::Electricity, rub(1000)),
            sum(p(2025, 12), Service::Penalty, rub(30)),
        ];
        let charges = [sum(p(2026, 1), Service::Electricity, rub(200))];
        let opening = [
            paid(day, None, rub(700)),
            paid(day, Some(Service::Penalty), rub(10)),
        ];
        let window = [paid(
            NaiveDate::from_ymd_opt(2026, 2, 3).unwrap(),
            None,
            rub(5),
        )];
        let (mut c, mut pay) = (Vec::new(), Vec::new());
        let history = History {
            opening_charges: &opening_charges,
            charges: &charges,
            opening_payments: &opening,
            payments: &window,
        };
        ledger_input(&history, from, &mut c, &mut pay);
        let opened: Vec<(Period, Service, Money)> =
            c.iter().map(|c| (c.period, c.service, c.amount)).collect();
        assert_eq!(
            opened,
            [
                (p(2025, 12), Service::Electricity, rub(300)),
                (p(2025, 12), Service::Penalty, rub(20)),
                (p(2026, 1), Service::Electricity, rub(200)),
            ]
        );
        assert_eq!(pay.len(), 1);
        assert_eq!(pay[0].amount, rub(5));
    }

    #[test]
    fn old_overpayment_opens_as_advances() {
        let from = p(2026, 1);
        let day = from.first_day().pred_opt().unwrap();
        let opening_charges = [sum(p(2025, 12), Service::Odn, rub(50))];
        let opening = [
            paid(day, None, rub(30)),
            paid(day, Some(Service::Odn), rub(100)),
        ];
        let (mut c, mut pay) = (Vec::new(), Vec::new());
        let history = History {
            opening_charges: &opening_charges,
            charges: &[],
            opening_payments: &opening,
            payments: &[],
        };
        ledger_input(&history, from, &mut c, &mut pay);
        assert!(c.is_empty());
        assert_eq!(
            pay,
            [
                Payment {
                    date: day,
                    amount: rub(50),
                    service: Some(Service::Odn)
                },
                Payment {
                    date: day,
                    amount: rub(30),
                    service: None
                },
            ]
        );
    }
}
