//! Running balance of an account per service, summed in SQL: everything charged minus
//! everything paid. A stopgap for the staff look-up until the billing ledger allocates payments.

use super::accounts::AccountId;
use super::codec::{code_opt, money};
use super::{Store, StoreResult};
use crate::billing::{Money, Service};
use rust_decimal::Decimal;

/// Charged and paid on one service over the account's whole history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceTotals {
    pub service: Service,
    pub charged: Money,
    pub paid: Money,
}

impl ServiceTotals {
    /// What is owed on this service (negative: paid in advance).
    pub fn due(&self) -> Money {
        self.charged - self.paid
    }
}

/// Sums of an account's charges and payments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    /// One entry per service that has a charge or a payment, in [`Service`] order.
    pub by_service: Vec<ServiceTotals>,
    /// Payments made "for everything", not yet allocated to a service.
    pub unassigned_paid: Money,
}

impl Totals {
    /// What the account owes overall (negative: paid in advance).
    pub fn due(&self) -> Money {
        self.by_service
            .iter()
            .map(ServiceTotals::due)
            .sum::<Money>()
            - self.unassigned_paid
    }
}

impl Store {
    /// Charges and payments of an account summed per service.
    pub async fn totals(&self, account: AccountId) -> StoreResult<Totals> {
        let rows: Vec<(Option<String>, Decimal, Decimal)> = sqlx::query_as(
            "WITH c AS (SELECT service, sum(amount) AS amount FROM charges
                        WHERE account_id = $1 GROUP BY service),
                  p AS (SELECT service, sum(amount) AS amount FROM payments
                        WHERE account_id = $1 GROUP BY service)
             SELECT coalesce(c.service, p.service),
                    coalesce(c.amount, 0)::numeric(14,2), coalesce(p.amount, 0)::numeric(14,2)
             FROM c FULL JOIN p ON c.service = p.service",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        let mut totals = Totals {
            by_service: Vec::new(),
            unassigned_paid: Money::ZERO,
        };
        for (service, charged, paid) in rows {
            match code_opt::<Service>("service", service.as_deref())? {
                Some(service) => totals.by_service.push(ServiceTotals {
                    service,
                    charged: money(charged)?,
                    paid: money(paid)?,
                }),
                None => totals.unassigned_paid = money(paid)?,
            }
        }
        totals.by_service.sort_by_key(|t| t.service);
        Ok(totals)
    }
}
