//! Balances per service, the order in which debts are paid off, and what to suggest paying.

use super::money::Money;
use super::types::Service;

/// The order of services when a payment names none: within one period electricity, then ОДН,
/// then other services; penalties only after every other debt of every period.
///
/// Penalties come last because they accrue no penalty themselves: paying the principal first
/// stops further penalties soonest, which is the consumer's interest.
pub const ALLOCATION_ORDER: [Service; 4] = [
    Service::Electricity,
    Service::Odn,
    Service::Other,
    Service::Penalty,
];

/// The position of `service` in [`ALLOCATION_ORDER`].
pub(crate) fn slot(service: Service) -> usize {
    match service {
        Service::Electricity => 0,
        Service::Odn => 1,
        Service::Other => 2,
        Service::Penalty => 3,
    }
}

/// An account's balance per service: positive is a debt, negative an advance for that service.
///
/// Money paid for no particular service and not yet used by a charge is kept apart as
/// [`Balances::unassigned_advance`]: it will go to whichever service is charged next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Balances {
    by_slot: [Money; 4],
    unassigned_advance: Money,
}

impl Balances {
    /// Balances as stored elsewhere (services not listed are zero; a service listed twice adds up).
    pub fn new(
        by_service: impl IntoIterator<Item = (Service, Money)>,
        unassigned_advance: Money,
    ) -> Balances {
        let mut b = Balances {
            by_slot: [Money::ZERO; 4],
            unassigned_advance,
        };
        for (service, amount) in by_service {
            b.by_slot[slot(service)] = b.by_slot[slot(service)] + amount;
        }
        b
    }

    /// The balance of `service` (positive = owed).
    pub fn of(&self, service: Service) -> Money {
        self.by_slot[slot(service)]
    }

    /// Every service with its balance, in [`ALLOCATION_ORDER`].
    pub fn iter(&self) -> impl Iterator<Item = (Service, Money)> + '_ {
        ALLOCATION_ORDER.iter().map(|&s| (s, self.of(s)))
    }

    /// Paid for no service and not yet consumed by a charge (zero or positive).
    pub fn unassigned_advance(&self) -> Money {
        self.unassigned_advance
    }

    /// The account's net balance: all services minus the unassigned advance.
    pub fn total(&self) -> Money {
        self.by_slot.iter().sum::<Money>() - self.unassigned_advance
    }
}

/// What to offer the consumer to pay, per service: the services in debt, in [`ALLOCATION_ORDER`].
/// An unassigned advance is taken off these debts in that order (an advance for one service stays
/// with that service). Empty when nothing is owed.
pub fn suggest_payment(balances: &Balances) -> Vec<(Service, Money)> {
    let mut advance = balances.unassigned_advance.max(Money::ZERO);
    let mut out = Vec::new();
    for (service, balance) in balances.iter() {
        let covered = advance.min(balance.max(Money::ZERO));
        advance = advance - covered;
        let due = balance - covered;
        if due.is_positive() {
            out.push((service, due));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn rub(v: rust_decimal::Decimal) -> Money {
        Money::from_decimal(v)
    }

    #[test]
    fn only_services_in_debt_are_suggested_in_allocation_order() {
        let b = Balances::new(
            [
                (Service::Penalty, rub(dec!(12.40))),
                (Service::Odn, rub(dec!(-50))),
                (Service::Electricity, rub(dec!(1520.33))),
            ],
            Money::ZERO,
        );
        assert_eq!(
            suggest_payment(&b),
            vec![
                (Service::Electricity, rub(dec!(1520.33))),
                (Service::Penalty, rub(dec!(12.40)))
            ]
        );
    }

    #[test]
    fn nothing_is_suggested_without_debt() {
        let b = Balances::new([(Service::Electricity, rub(dec!(-10)))], Money::ZERO);
        assert!(suggest_payment(&b).is_empty());
        assert!(suggest_payment(&Balances::default()).is_empty());
    }

    #[test]
    fn an_unassigned_advance_is_taken_off_debts_in_allocation_order() {
        let b = Balances::new(
            [
                (Service::Electricity, rub(dec!(100))),
                (Service::Odn, rub(dec!(30))),
                (Service::Penalty, rub(dec!(5))),
            ],
            rub(dec!(110)),
        );
        assert_eq!(
            suggest_payment(&b),
            vec![
                (Service::Odn, rub(dec!(20))),
                (Service::Penalty, rub(dec!(5)))
            ]
        );
        assert_eq!(b.total(), rub(dec!(25)));
    }

    #[test]
    fn the_net_balance_counts_advances_against_debts() {
        let b = Balances::new(
            [
                (Service::Electricity, rub(dec!(100))),
                (Service::Odn, rub(dec!(-30))),
            ],
            Money::ZERO,
        );
        assert_eq!(b.total(), rub(dec!(70)));
        assert_eq!(b.of(Service::Other), Money::ZERO);
    }
}
