//! The write of a batch: every charge line and close marker in one transaction.

use super::AccountLine;
use crate::billing::Period;
use crate::store::{Store, StoreResult};
use rust_decimal::Decimal;

impl Store {
    /// Inserts the charge lines of a batch and marks `closed` accounts closed for `period`, in
    /// one transaction: a batch is closed entirely or not at all, so no account is ever left
    /// half-closed (this is how the close is "transactional per account"). Lines that already
    /// exist (same account, period, service, zone and line) and accounts already marked are left
    /// alone, so writing a batch twice changes nothing. Returns the number of lines inserted.
    ///
    /// The commit does not wait for the WAL flush (`synchronous_commit = off`, this transaction
    /// only): a crash may lose the last batches of a run, which are then simply not marked
    /// closed, and the next run closes them again.
    pub async fn write_close_batch(
        &self,
        period: Period,
        lines: &[AccountLine],
        closed: &[i64],
    ) -> StoreResult<u64> {
        let mut accounts = Vec::with_capacity(lines.len());
        let mut services = Vec::with_capacity(lines.len());
        let mut zones = Vec::with_capacity(lines.len());
        let mut numbers = Vec::with_capacity(lines.len());
        let mut volumes: Vec<Option<Decimal>> = Vec::with_capacity(lines.len());
        let mut rates: Vec<Option<Decimal>> = Vec::with_capacity(lines.len());
        let mut amounts = Vec::with_capacity(lines.len());
        let mut estimated = Vec::with_capacity(lines.len());
        for (account, line) in lines {
            accounts.push(*account);
            services.push(line.service.code());
            zones.push(line.zone.map(|z| z.code()));
            numbers.push(i16::from(line.line));
            volumes.push(line.volume);
            rates.push(line.rate);
            amounts.push(line.amount.amount());
            estimated.push(line.estimated);
        }
        let mut tx = self.pool().begin().await?;
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
        let inserted = sqlx::query(
            "INSERT INTO charges
               (account_id, period, service, zone, line, volume, rate, amount, estimated)
             SELECT a, $2, s, z, l, v, r, m, e
             FROM UNNEST($1::int8[], $3::text[], $4::text[], $5::int2[], $6::numeric[],
                         $7::numeric[], $8::numeric[], $9::bool[]) AS t(a, s, z, l, v, r, m, e)
             ON CONFLICT DO NOTHING",
        )
        .bind(&accounts)
        .bind(period.first_day())
        .bind(&services)
        .bind(&zones)
        .bind(&numbers)
        .bind(&volumes)
        .bind(&rates)
        .bind(&amounts)
        .bind(&estimated)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "INSERT INTO period_closes (account_id, period)
             SELECT unnest($1::int8[]), $2 ON CONFLICT DO NOTHING",
        )
        .bind(closed)
        .bind(period.first_day())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(inserted)
    }
}
