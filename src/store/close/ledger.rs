//! What a batch's ledgers need: charges and payments, summed before the ledger window.

use super::load::{midnight, money, parse, period_of, service_opt};
use super::{BatchScope, ChargeSum, OpeningPayments, PaymentIn};
use crate::store::{Store, StoreResult};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

type PaymentRow = (i64, DateTime<Utc>, NaiveDate, Option<String>, Decimal);

impl Store {
    /// Charges before the ledger window summed per service, and those inside it line by line.
    pub(super) async fn batch_charges(
        &self,
        scope: &BatchScope,
        lo: i64,
        hi: i64,
    ) -> StoreResult<(Vec<ChargeSum>, Vec<ChargeSum>)> {
        let opening_period = scope.ledger_from.prev();
        let rows: Vec<(i64, String, Decimal)> = sqlx::query_as(
            "SELECT account_id, service, sum(amount) FROM charges
             WHERE account_id BETWEEN $1 AND $2 AND period < $3 GROUP BY account_id, service",
        )
        .bind(lo)
        .bind(hi)
        .bind(scope.ledger_from.first_day())
        .fetch_all(self.pool())
        .await?;
        let mut opening = rows
            .into_iter()
            .map(|(account_id, service, amount)| {
                Ok(ChargeSum {
                    account_id,
                    period: opening_period,
                    service: parse("charges.service", &service)?,
                    amount: money(amount)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        opening.sort_unstable_by_key(|c| (c.account_id, c.service));
        let rows: Vec<(i64, NaiveDate, String, Decimal)> = sqlx::query_as(
            "SELECT account_id, period, service, amount FROM charges
             WHERE account_id BETWEEN $1 AND $2 AND period >= $3 AND period < $4",
        )
        .bind(lo)
        .bind(hi)
        .bind(scope.ledger_from.first_day())
        .bind(scope.period.first_day())
        .fetch_all(self.pool())
        .await?;
        let mut window = rows
            .into_iter()
            .map(|(account_id, period, service, amount)| {
                Ok(ChargeSum {
                    account_id,
                    period: period_of(period)?,
                    service: parse("charges.service", &service)?,
                    amount: money(amount)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        window.sort_unstable_by_key(|c| (c.account_id, c.period, c.service));
        Ok((opening, window))
    }

    /// Every account's payments before the ledger window, summed per service: one sequential
    /// pass over the table per run rather than a scattered read per batch (payments arrive in
    /// time order, so an account's payments lie on as many pages as it has payments).
    pub async fn load_opening_payments(&self, scope: &BatchScope) -> StoreResult<OpeningPayments> {
        let opening_day = scope
            .ledger_from
            .first_day()
            .pred_opt()
            .expect("a period after the first representable day");
        let mut tx = self.pool().begin().await?;
        // A million accounts make a million groups: hash them in memory, not on disk.
        sqlx::query("SET LOCAL work_mem = '256MB'")
            .execute(&mut *tx)
            .await?;
        let rows: Vec<(i64, Option<String>, Decimal)> = sqlx::query_as(
            "SELECT account_id, service, sum(amount) FROM payments
             WHERE paid_at < ($1::timestamp AT TIME ZONE $2) GROUP BY account_id, service",
        )
        .bind(midnight(scope.ledger_from.first_day()))
        .bind(&scope.time_zone)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut opening = rows
            .into_iter()
            .map(|(account_id, service, amount)| {
                Ok(PaymentIn {
                    account_id,
                    date: opening_day,
                    service: service_opt(service)?,
                    amount: money(amount)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        opening.sort_unstable_by_key(|p| (p.account_id, p.service));
        Ok(OpeningPayments(opening))
    }

    /// The payments inside the ledger window, by account and time.
    pub(super) async fn batch_payments(
        &self,
        scope: &BatchScope,
        lo: i64,
        hi: i64,
    ) -> StoreResult<Vec<PaymentIn>> {
        let rows: Vec<PaymentRow> = sqlx::query_as(
            "SELECT account_id, paid_at, (paid_at AT TIME ZONE $5)::date, service, amount
             FROM payments
             WHERE account_id BETWEEN $1 AND $2
               AND paid_at >= ($3::timestamp AT TIME ZONE $5)
               AND paid_at < ($4::timestamp AT TIME ZONE $5)",
        )
        .bind(lo)
        .bind(hi)
        .bind(midnight(scope.ledger_from.first_day()))
        .bind(midnight(scope.period.next().first_day()))
        .bind(&scope.time_zone)
        .fetch_all(self.pool())
        .await?;
        let mut timed = rows
            .into_iter()
            .map(|(account_id, paid_at, date, service, amount)| {
                Ok((
                    paid_at,
                    PaymentIn {
                        account_id,
                        date,
                        service: service_opt(service)?,
                        amount: money(amount)?,
                    },
                ))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        timed.sort_by_key(|(at, p)| (p.account_id, *at));
        Ok(timed.into_iter().map(|(_, p)| p).collect())
    }
}
