//! What receipts read beyond charges and payments: the months that have one, the balance a
//! month opens with, the readings per meter and zone, and the kept PDFs of closed months.

use super::accounts::AccountId;
use super::codec::{code, money, period};
use super::meters::MeterId;
use super::{Store, StoreResult};
use crate::billing::{Money, Period, Zone};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// The last actual reading of a zone counted for an earlier month, and for the month itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZoneReadings {
    pub zone: Zone,
    pub previous: Option<Decimal>,
    pub current: Option<Decimal>,
}

impl Store {
    /// The months with charges of an account (closed months: only a close writes charges),
    /// newest first.
    pub async fn charged_months(&self, account: AccountId) -> StoreResult<Vec<Period>> {
        let days: Vec<NaiveDate> = sqlx::query_scalar(
            "SELECT DISTINCT period FROM charges WHERE account_id = $1 ORDER BY period DESC",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        days.into_iter().map(period).collect()
    }

    /// What the account owed when `of` began: every charge of earlier months less every payment
    /// made before `start` (the month's first instant in the company's zone). Negative: an
    /// advance.
    pub async fn opening_balance(
        &self,
        account: AccountId,
        of: Period,
        start: DateTime<Utc>,
    ) -> StoreResult<Decimal> {
        Ok(sqlx::query_scalar(
            "SELECT (SELECT coalesce(sum(amount), 0) FROM charges
                     WHERE account_id = $1 AND period < $2)
                  - (SELECT coalesce(sum(amount), 0) FROM payments
                     WHERE account_id = $1 AND paid_at < $3)",
        )
        .bind(account)
        .bind(of.first_day())
        .bind(start)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Per zone of a meter: its last actual reading counted for a month before `of`, and its
    /// last actual one counted for `of` (none when the month was estimated).
    pub async fn zone_readings(
        &self,
        meter: MeterId,
        of: Period,
    ) -> StoreResult<Vec<ZoneReadings>> {
        let rows: Vec<(String, bool, Decimal)> = sqlx::query_as(
            "SELECT DISTINCT ON (zone, period = $2) zone, period = $2, value FROM readings
             WHERE meter_id = $1 AND period <= $2 AND source <> 'estimate'
             ORDER BY zone, period = $2, taken_on DESC",
        )
        .bind(meter)
        .bind(of.first_day())
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<ZoneReadings> = Vec::new();
        for (zone, current, value) in rows {
            let zone: Zone = code("readings.zone", &zone)?;
            let at = match out.iter().position(|z| z.zone == zone) {
                Some(i) => i,
                None => {
                    out.push(ZoneReadings {
                        zone,
                        previous: None,
                        current: None,
                    });
                    out.len() - 1
                }
            };
            if current {
                out[at].current = Some(value);
            } else {
                out[at].previous = Some(value);
            }
        }
        Ok(out)
    }

    /// The kept PDF of an account's month and its total due, if it was rendered before.
    pub async fn kept_receipt(
        &self,
        account: AccountId,
        of: Period,
    ) -> StoreResult<Option<(Vec<u8>, Money)>> {
        let row: Option<(Vec<u8>, Decimal)> = sqlx::query_as(
            "SELECT pdf, total_due FROM receipts WHERE account_id = $1 AND period = $2",
        )
        .bind(account)
        .bind(of.first_day())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(pdf, due)| Ok((pdf, money(due)?))).transpose()
    }

    /// Keeps a month's PDF unless one is kept already; whether this one was kept.
    pub async fn keep_receipt(
        &self,
        account: AccountId,
        of: Period,
        pdf: &[u8],
        total_due: Money,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO receipts (account_id, period, pdf, total_due) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
        )
        .bind(account)
        .bind(of.first_day())
        .bind(pdf)
        .bind(total_due.amount())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Store {
    /// The accounts with charges in `of` (the accounts a month's receipts go to), by id.
    pub async fn accounts_charged_in(&self, of: Period) -> StoreResult<Vec<AccountId>> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT account_id FROM charges WHERE period = $1 ORDER BY account_id",
        )
        .bind(of.first_day())
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(AccountId).collect())
    }
}
