//! What the histories need beyond the rows themselves: where an account's history begins, and
//! the totals before a day (the opening balance of a statement).

use super::accounts::AccountId;
use super::codec::money;
use super::{Store, StoreResult};
use crate::billing::{Money, Period};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

impl Store {
    /// The first day the account has anything stored for: a charged month, a payment or a
    /// reading of one of its meters. `None` for an account with no history at all.
    pub async fn history_start(&self, account: AccountId) -> StoreResult<Option<NaiveDate>> {
        let first: Option<NaiveDate> = sqlx::query_scalar(
            "SELECT LEAST(
                 (SELECT min(period) FROM charges WHERE account_id = $1),
                 (SELECT min(paid_at AT TIME ZONE 'UTC')::date FROM payments WHERE account_id = $1),
                 (SELECT min(r.taken_on) FROM readings r JOIN meters m ON m.id = r.meter_id
                  WHERE m.account_id = $1))",
        )
        .bind(account)
        .fetch_one(&self.pool)
        .await?;
        Ok(first)
    }

    /// Everything charged for the periods before `period`, and everything paid before `paid_before`:
    /// what a statement starting with `period` opens with.
    pub async fn totals_before(
        &self,
        account: AccountId,
        period: Period,
        paid_before: DateTime<Utc>,
    ) -> StoreResult<(Money, Money)> {
        let (charged, paid): (Decimal, Decimal) = sqlx::query_as(
            "SELECT
                 (SELECT COALESCE(sum(amount), 0) FROM charges WHERE account_id = $1 AND period < $2),
                 (SELECT COALESCE(sum(amount), 0) FROM payments WHERE account_id = $1 AND paid_at < $3)",
        )
        .bind(account)
        .bind(period.first_day())
        .bind(paid_before)
        .fetch_one(&self.pool)
        .await?;
        Ok((money(charged)?, money(paid)?))
    }
}
