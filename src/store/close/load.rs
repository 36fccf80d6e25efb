//! The batch load: the accounts first, then one query per table for their id range, run
//! concurrently on separate connections. Sorting and de-duplicating happen in Rust rather than in
//! SQL: the database is the busier of the two cores.

use super::{BatchScope, CloseAccount, CloseBatch, CloseGlobals, ClosedAccounts};
use crate::billing::{Category, KeyRate, Money, Period, Rate, Service};
use crate::store::{Store, StoreError, StoreResult};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use sqlx::ConnectOptions;
use sqlx::postgres::PgPoolOptions;
use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

/// Connections a close run opens: a batch load runs three chains of queries at once, the opening
/// payments one, the batch writes two (see `close::WRITES_IN_FLIGHT`).
const CLOSE_CONNECTIONS: u32 = 7;

/// The longest statement of a close run.
const CLOSE_STATEMENT_TIMEOUT: &str = "10min";

/// A close statement slower than this is logged as slow. The store's own alert (a second) is
/// for chat turns: a close's batch reads take a good part of one, and its opening payments, a
/// pass over the whole table, take seconds at every run (8.5 s at 24 million payments).
const CLOSE_SLOW_STATEMENT: Duration = Duration::from_secs(60);

impl Store {
    /// A store on a pool of its own for a close run, on the same database. Its sessions run
    /// without JIT compilation: the run's queries are many and each reads a few thousand rows,
    /// so compiling one costs more than it saves, and the planner's estimates of its cost
    /// (which decide on JIT) grow with the tables. Close it with [`Store::disconnect`].
    pub async fn for_close(&self) -> StoreResult<Store> {
        let options = (*self.pool().connect_options())
            .clone()
            .options([
                ("jit", "off"),
                ("work_mem", "64MB"),
                // The opening payments of a million accounts are one statement of many seconds:
                // the service's short statement timeout is for chat turns, not for this.
                ("statement_timeout", CLOSE_STATEMENT_TIMEOUT),
            ])
            .log_slow_statements(log::LevelFilter::Warn, CLOSE_SLOW_STATEMENT);
        let pool = PgPoolOptions::new()
            .max_connections(CLOSE_CONNECTIONS)
            .connect_with(options)
            .await?;
        Ok(Store::from_pool(pool))
    }

    /// Closes the pool's connections.
    pub async fn disconnect(&self) {
        self.pool().close().await;
    }

    /// The accounts already closed for `period`: read once per run and left out of its batches
    /// in this process. (Asking the database per batch, `NOT EXISTS` in the accounts' query, is
    /// at the planner's mercy: statistics taken while the period had no marker make it scan all
    /// of the period's markers for every account, and the run goes quadratic as they grow.)
    pub async fn closed_accounts(&self, period: Period) -> StoreResult<ClosedAccounts> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT account_id FROM period_closes WHERE period = $1 ORDER BY account_id",
        )
        .bind(period.first_day())
        .fetch_all(self.pool())
        .await?;
        Ok(ClosedAccounts(ids))
    }

    /// How many accounts are not among `closed`.
    pub async fn count_accounts_to_close(&self, closed: &ClosedAccounts) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
            .fetch_one(self.pool())
            .await?;
        Ok(u64::try_from(n)
            .unwrap_or(0)
            .saturating_sub(closed.len() as u64))
    }

    /// Every tariff and key rate: a few rows a year each.
    pub async fn close_globals(&self) -> StoreResult<CloseGlobals> {
        let rows: Vec<(String, String, Decimal, NaiveDate, Option<NaiveDate>)> = sqlx::query_as(
            "SELECT category, zone, rate, valid_from, valid_to FROM tariffs
             ORDER BY category, zone, valid_from",
        )
        .fetch_all(self.pool())
        .await?;
        let mut tariffs = Vec::with_capacity(rows.len());
        for (category, zone, rate, valid_from, valid_to) in rows {
            let rate = Rate {
                zone: parse("tariffs.zone", &zone)?,
                rate,
                valid_from,
                valid_to,
            };
            tariffs.push((parse::<Category>("tariffs.category", &category)?, rate));
        }
        let key_rates = sqlx::query_as::<_, (NaiveDate, Decimal)>(
            "SELECT valid_from, rate FROM key_rates ORDER BY valid_from",
        )
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|(valid_from, percent)| KeyRate {
            valid_from,
            percent,
        })
        .collect();
        Ok(CloseGlobals { tariffs, key_rates })
    }

    /// The next batch: the accounts among the `limit` ones with an id above `after` that are not
    /// `closed`, and everything their close needs but the opening payments (see
    /// [`Store::load_opening_payments`]). It may hold no account when all of them are closed;
    /// [`CloseBatch::last_id`] says where the next one starts, or that nothing is left.
    pub async fn load_close_batch(
        &self,
        scope: &BatchScope,
        after: i64,
        limit: usize,
        closed: &ClosedAccounts,
    ) -> StoreResult<CloseBatch> {
        let mut accounts = self.batch_accounts(after, limit).await?;
        let last_id = accounts.last().map(|a| a.id);
        accounts.retain(|a| !closed.contains(a.id));
        let (Some(first), Some(last)) = (accounts.first(), accounts.last()) else {
            return Ok(CloseBatch {
                last_id,
                ..CloseBatch::default()
            });
        };
        let (lo, hi) = (first.id, last.id);
        let (meters, (opening_charges, charges), payments) = tokio::try_join!(
            self.batch_meters(scope, lo, hi),
            self.batch_charges(scope, lo, hi),
            self.batch_payments(scope, lo, hi),
        )?;
        let (meters, readings, estimates) = meters;
        let mut batch = CloseBatch {
            accounts,
            meters,
            readings,
            estimates,
            opening_charges,
            charges,
            opening_payments: Vec::new(),
            payments,
            last_id,
        };
        // The range may hold accounts closed by an earlier run: leave their rows out.
        if batch.accounts.len() as i64 != hi - lo + 1 {
            let accounts = std::mem::take(&mut batch.accounts);
            let wanted = |id: i64| accounts.binary_search_by_key(&id, |a| a.id).is_ok();
            let meters: HashSet<i64> = batch
                .meters
                .iter()
                .filter(|m| wanted(m.account_id))
                .map(|m| m.id)
                .collect();
            batch.meters.retain(|m| meters.contains(&m.id));
            batch.readings.retain(|r| meters.contains(&r.meter_id));
            batch.estimates.retain(|e| wanted(e.account_id));
            batch.opening_charges.retain(|c| wanted(c.account_id));
            batch.charges.retain(|c| wanted(c.account_id));
            batch.payments.retain(|p| wanted(p.account_id));
            batch.accounts = accounts;
        }
        Ok(batch)
    }

    async fn batch_accounts(&self, after: i64, limit: usize) -> StoreResult<Vec<CloseAccount>> {
        let rows: Vec<(i64, String, Decimal, Decimal)> = sqlx::query_as(
            "SELECT id, category, odn_kwh, norm_kwh FROM accounts
             WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(id, category, odn_kwh, norm_kwh)| {
                Ok(CloseAccount {
                    id,
                    category: parse("accounts.category", &category)?,
                    odn_kwh,
                    norm_kwh,
                })
            })
            .collect()
    }
}

/// The start of a local day, for comparisons with `AT TIME ZONE`.
pub(super) fn midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).expect("midnight exists")
}

/// A code column (zone, service, …) as its enum; an unknown code is corrupt data.
pub(super) fn parse<T: FromStr>(column: &str, value: &str) -> StoreResult<T> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{column}: unknown code {value:?}")))
}

/// A nullable service column.
pub(super) fn service_opt(value: Option<String>) -> StoreResult<Option<Service>> {
    value.map(|s| parse("payments.service", &s)).transpose()
}

/// A period column: the first day of its month.
pub(super) fn period_of(date: NaiveDate) -> StoreResult<Period> {
    if date.day() == 1 {
        Ok(Period::of(date))
    } else {
        Err(StoreError::Corrupt(format!(
            "period {date} is not the first day of a month"
        )))
    }
}

/// A NUMERIC(14,2) amount; fractions of a kopeck are corrupt data.
pub(super) fn money(value: Decimal) -> StoreResult<Money> {
    let m = Money::from_decimal(value);
    if m.amount() == value {
        Ok(m)
    } else {
        Err(StoreError::Corrupt(format!(
            "amount {value} has fractions of a kopeck"
        )))
    }
}
