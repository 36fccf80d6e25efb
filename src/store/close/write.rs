//! The write of a batch: every charge line and close marker in one transaction.

use super::AccountLine;
use crate::billing::Period;
use crate::store::{Store, StoreError, StoreResult};
use rust_decimal::Decimal;
use std::collections::HashSet;

impl Store {
    /// Inserts the charge lines of a batch and marks `closed` accounts closed for `period`, in
    /// one transaction: a batch is closed entirely or not at all, so no account is ever left
    /// half-closed (this is how the close is "transactional per account"). Accounts already marked
    /// are left alone, and only accounts this write marks closed get lines: writing a batch twice, or two
    /// runs writing the same account with different lines, changes nothing the second time.
    /// Returns the number of lines inserted.
    ///
    /// The commit does not wait for the WAL flush (`synchronous_commit = off`, this transaction
    /// only): a crash may lose the last batches of a run, which are then simply not marked
    /// closed, and the next run closes them again. The run's record
    /// ([`Store::record_close_run`]) is committed durably, which flushes these commits too.
    pub async fn write_close_batch(
        &self,
        period: Period,
        lines: &[AccountLine],
        closed: &[i64],
    ) -> StoreResult<u64> {
        match self.copy_close_batch(period, lines, closed).await {
            Err(StoreError::Conflict { .. }) => {
                // Lines of an account and period already there without its marker (written by
                // hand, or by an old version): the statement that skips conflicting lines.
                tracing::warn!(%period, "charge lines already there: writing the batch line by line");
                self.insert_close_batch(period, lines, closed).await
            }
            other => other,
        }
    }

    /// The fast write: the markers inserted (those already there come back missing), then the
    /// lines of the newly marked accounts streamed with `COPY`, which skips the per-statement
    /// work of an `INSERT` (array decoding, conflict checks) — the heaviest part of a close
    /// for the database. Fails on a line already there (see [`Store::write_close_batch`]).
    async fn copy_close_batch(
        &self,
        period: Period,
        lines: &[AccountLine],
        closed: &[i64],
    ) -> StoreResult<u64> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("SET LOCAL synchronous_commit = off")
            .execute(&mut *tx)
            .await?;
        let marked: Vec<i64> = sqlx::query_scalar(
            "INSERT INTO period_closes (account_id, period)
             SELECT unnest($1::int8[]), $2 ON CONFLICT DO NOTHING
             RETURNING account_id",
        )
        .bind(closed)
        .bind(period.first_day())
        .fetch_all(&mut *tx)
        .await?;
        let all = marked.len() == closed.len();
        let marked: HashSet<i64> = if all {
            HashSet::new()
        } else {
            marked.into_iter().collect()
        };
        let rows = copy_rows(
            period,
            lines
                .iter()
                .filter(|(account, _)| all || marked.contains(account)),
        );
        let inserted = if rows.is_empty() {
            0
        } else {
            let mut copy = tx
                .copy_in_raw(
                    "COPY charges (account_id, period, service, zone, line, volume, rate, \
                     amount, estimated) FROM STDIN",
                )
                .await?;
            copy.send(rows).await?;
            copy.finish().await?
        };
        tx.commit().await?;
        Ok(inserted)
    }

    /// The same write as one `INSERT`, skipping lines already there.
    async fn insert_close_batch(
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
        // Lines only for the accounts this write marks closed: an account another run closed
        // meanwhile (its marker already there) gets nothing from this one, even if this run
        // computed other lines for it.
        let inserted = sqlx::query(
            "WITH marked AS (
               INSERT INTO period_closes (account_id, period)
               SELECT unnest($10::int8[]), $2 ON CONFLICT DO NOTHING
               RETURNING account_id)
             INSERT INTO charges
               (account_id, period, service, zone, line, volume, rate, amount, estimated)
             SELECT a, $2, s, z, l, v, r, m, e
             FROM UNNEST($1::int8[], $3::text[], $4::text[], $5::int2[], $6::numeric[],
                         $7::numeric[], $8::numeric[], $9::bool[]) AS t(a, s, z, l, v, r, m, e)
             WHERE a IN (SELECT account_id FROM marked)
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
        .bind(closed)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(inserted)
    }
}

/// `COPY … FROM STDIN` text rows of `lines`: tab-separated, `\\N` for NULL. Every value is a
/// number, a date or a code, so nothing needs escaping.
fn copy_rows<'a>(period: Period, lines: impl Iterator<Item = &'a AccountLine>) -> Vec<u8> {
    use std::io::Write;
    let mut out = Vec::with_capacity(64 * 1024);
    let day = period.first_day();
    for (account, l) in lines {
        let opt = |v: Option<Decimal>| v.map_or_else(|| "\\N".to_owned(), |v| v.to_string());
        let _ = writeln!(
            out,
            "{account}\t{day}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            l.service.code(),
            l.zone.map_or("\\N", |z| z.code()),
            l.line,
            opt(l.volume),
            opt(l.rate),
            l.amount.amount(),
            if l.estimated { 't' } else { 'f' },
        );
    }
    out
}

/// The run lock of one period's close: a session-level Postgres advisory lock held on a
/// connection of its own. Released by [`CloseLock::release`], or by Postgres when the connection
/// drops (the process died or the lock was dropped), so a crashed run never blocks the next.
pub struct CloseLock {
    conn: sqlx::PgConnection,
    period: Period,
}

impl Store {
    /// Takes the run lock of `period`'s close; `None` when another run holds it.
    pub async fn try_lock_close(&self, period: Period) -> StoreResult<Option<CloseLock>> {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect_with(&self.pool().connect_options()).await?;
        let locked: bool =
            sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtextextended($1, 0))")
                .bind(close_lock_key(period))
                .fetch_one(&mut conn)
                .await?;
        Ok(locked.then_some(CloseLock { conn, period }))
    }

    /// Records a finished run, durably (`synchronous_commit` as the server has it, on by
    /// default): its commit also flushes the batches the run committed without waiting.
    pub async fn record_close_run(&self, run: &CloseRun) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO close_runs (period, started_at, closed, failed, lines, forced)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(run.period.first_day())
        .bind(run.started_at)
        .bind(i64::try_from(run.closed).unwrap_or(i64::MAX))
        .bind(i64::try_from(run.failed).unwrap_or(i64::MAX))
        .bind(i64::try_from(run.lines).unwrap_or(i64::MAX))
        .bind(run.forced)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}

/// What [`Store::record_close_run`] keeps of a run.
#[derive(Clone, Debug)]
pub struct CloseRun {
    pub period: Period,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub closed: u64,
    pub failed: u64,
    pub lines: u64,
    pub forced: bool,
}

impl CloseLock {
    /// Gives the lock back and closes its connection.
    pub async fn release(mut self) -> StoreResult<()> {
        use sqlx::Connection;
        sqlx::query("SELECT pg_advisory_unlock(hashtextextended($1, 0))")
            .bind(close_lock_key(self.period))
            .execute(&mut self.conn)
            .await?;
        self.conn.close().await?;
        Ok(())
    }
}

fn close_lock_key(period: Period) -> String {
    format!("kabinet:close:{period}")
}
