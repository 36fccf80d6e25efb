//! The batch load: the accounts first, then one query per table for their id range, run
//! concurrently on separate connections. Sorting and de-duplicating happen in Rust rather than in
//! SQL: the database is the busier of the two cores.

use super::{BatchScope, CloseAccount, CloseBatch, CloseGlobals};
use crate::billing::{Category, KeyRate, Money, Period, Rate, Service};
use crate::store::{Store, StoreError, StoreResult};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use sqlx::postgres::PgPoolOptions;
use std::collections::HashSet;
use std::str::FromStr;

/// Connections a close run opens: a batch load runs three chains of queries at once, the opening
/// payments one, the batch writes two (see `close::WRITES_IN_FLIGHT`).
const CLOSE_CONNECTIONS: u32 = 7;

/// The longest statement of a close run.
const CLOSE_STATEMENT_TIMEOUT: &str = "10min";

impl Store {
    /// A store on a pool of its own for a close run, on the same database. Its sessions run
    /// without JIT compilation: the run's queries are many and each reads a few thousand rows,
    /// so compiling one costs more than it saves, and the planner's estimates of its cost
    /// (which decide on JIT) grow with the tables. Close it with [`Store::disconnect`].
    pub async fn for_close(&self) -> StoreResult<Store> {
        let options = (*self.pool().connect_options()).clone().options([
            ("jit", "off"),
            ("work_mem", "64MB"),
            // The opening payments of a million accounts are one statement of many seconds:
            // the service's short statement timeout is for chat turns, not for this.
            ("statement_timeout", CLOSE_STATEMENT_TIMEOUT),
        ]);
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

    /// How many accounts are not yet closed for `period`.
    pub async fn count_accounts_to_close(&self, period: Period) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM accounts a WHERE NOT EXISTS
               (SELECT 1 FROM period_closes c WHERE c.period = $1 AND c.account_id = a.id)",
        )
        .bind(period.first_day())
        .fetch_one(self.pool())
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
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

    /// The next batch: up to `limit` accounts with an id above `after` not yet closed for the
    /// scope's period, and everything their close needs but the opening payments (see
    /// [`Store::load_opening_payments`]). No accounts: nothing is left.
    pub async fn load_close_batch(
        &self,
        scope: &BatchScope,
        after: i64,
        limit: usize,
    ) -> StoreResult<CloseBatch> {
        let accounts = self.batch_accounts(scope.period, after, limit).await?;
        let (Some(first), Some(last)) = (accounts.first(), accounts.last()) else {
            return Ok(CloseBatch::default());
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

    async fn batch_accounts(
        &self,
        period: Period,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<CloseAccount>> {
        let rows: Vec<(i64, String, Decimal, Decimal)> = sqlx::query_as(
            "SELECT a.id, a.category, a.odn_kwh, a.norm_kwh FROM accounts a
             WHERE a.id > $1 AND NOT EXISTS
               (SELECT 1 FROM period_closes c WHERE c.period = $2 AND c.account_id = a.id)
             ORDER BY a.id LIMIT $3",
        )
        .bind(after)
        .bind(period.first_day())
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
