//! The queries of a batch load: one per table, by ranges of account ids or `= ANY($1)`, run
//! concurrently on separate connections. Sorting and de-duplicating happen here, in Rust, rather
//! than in SQL: the database is the busier of the two cores.

use super::{
    ActualReading, BatchScope, ChargeSum, CloseAccount, CloseBatch, CloseGlobals, CloseMeter,
    EstimatedLine, OpeningPayments, PaymentIn,
};
use crate::billing::{Category, KeyRate, Money, Period, Rate, Service, TariffKind, Zone};
use crate::store::{Store, StoreError, StoreResult};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

/// Readings of this many periods up to the closed one come for every meter; older ones only for
/// the meters that need them (a zone unread this period, or not read in the recent ones).
const RECENT_MONTHS: i32 = 2;

impl Store {
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
            let meters: std::collections::HashSet<i64> = batch
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

    /// The meters in service, their readings, and the estimated lines since their last reading.
    async fn batch_meters(
        &self,
        scope: &BatchScope,
        lo: i64,
        hi: i64,
    ) -> StoreResult<(Vec<CloseMeter>, Vec<ActualReading>, Vec<EstimatedLine>)> {
        let period = scope.period;
        let rows: Vec<(i64, i64, String, i16, i16)> = sqlx::query_as(
            "SELECT id, account_id, tariff_kind, digits, fraction_digits FROM meters
             WHERE account_id BETWEEN $1 AND $2
               AND installed_on <= $3 AND (removed_on IS NULL OR removed_on >= $4)",
        )
        .bind(lo)
        .bind(hi)
        .bind(period.last_day())
        .bind(period.first_day())
        .fetch_all(self.pool())
        .await?;
        let mut meters = rows
            .into_iter()
            .map(|(id, account_id, kind, digits, fraction_digits)| {
                Ok(CloseMeter {
                    id,
                    account_id,
                    kind: parse::<TariffKind>("meters.tariff_kind", &kind)?,
                    digits,
                    fraction_digits,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        meters.sort_unstable_by_key(|m| (m.account_id, m.id));
        let readings = self.batch_readings(scope, &meters).await?;
        let estimates = self.batch_estimates(scope, &meters, &readings).await?;
        Ok((meters, readings, estimates))
    }

    /// The latest actual reading per meter, zone and period: the recent periods for every
    /// meter; the history window too for meters with a zone unread this period or in the recent
    /// ones; and, for a zone still without a reading before the period, its last one ever.
    async fn batch_readings(
        &self,
        scope: &BatchScope,
        meters: &[CloseMeter],
    ) -> StoreResult<Vec<ActualReading>> {
        const SQL: &str = "SELECT meter_id, zone, period, taken_on, value FROM readings
             WHERE meter_id = ANY($1) AND period >= $2 AND period < $3 AND source <> 'estimate'";
        let period = scope.period;
        let recent_from = period.plus(-RECENT_MONTHS).max(scope.history_from);
        let ids: Vec<i64> = meters.iter().map(|m| m.id).collect();
        let rows: Vec<ReadingRow> = sqlx::query_as(SQL)
            .bind(&ids)
            .bind(recent_from.first_day())
            .bind(period.next().first_day())
            .fetch_all(self.pool())
            .await?;
        let mut readings = latest_per_period(rows)?;
        let lacking = |readings: &[ActualReading], need_current: bool| -> Vec<i64> {
            let mut seen: HashMap<(i64, Zone), (bool, bool)> = HashMap::new();
            for r in readings {
                let e = seen.entry((r.meter_id, r.zone)).or_default();
                e.0 |= r.period < period;
                e.1 |= r.period == period;
            }
            meters
                .iter()
                .filter(|m| {
                    m.kind.zones().iter().any(|z| {
                        let (based, current) = seen.get(&(m.id, *z)).copied().unwrap_or_default();
                        !based || (need_current && !current)
                    })
                })
                .map(|m| m.id)
                .collect()
        };
        let needy = lacking(&readings, true);
        if !needy.is_empty() && scope.history_from < recent_from {
            let rows: Vec<ReadingRow> = sqlx::query_as(SQL)
                .bind(&needy)
                .bind(scope.history_from.first_day())
                .bind(recent_from.first_day())
                .fetch_all(self.pool())
                .await?;
            readings.extend(latest_per_period(rows)?);
            readings.sort_unstable_by_key(|r| (r.meter_id, r.zone, r.period));
        }
        let unbased = lacking(&readings, false);
        if !unbased.is_empty() {
            let rows: Vec<ReadingRow> = sqlx::query_as(
                "SELECT DISTINCT ON (meter_id, zone) meter_id, zone, period, taken_on, value
                 FROM readings WHERE meter_id = ANY($1) AND period < $2 AND source <> 'estimate'
                 ORDER BY meter_id, zone, period DESC, taken_on DESC",
            )
            .bind(&unbased)
            .bind(scope.history_from.first_day())
            .fetch_all(self.pool())
            .await?;
            readings.extend(latest_per_period(rows)?);
            readings.sort_unstable_by_key(|r| (r.meter_id, r.zone, r.period));
        }
        Ok(readings)
    }

    /// The estimated electricity lines of the accounts with a zone not read last period, since
    /// the oldest last reading among them.
    async fn batch_estimates(
        &self,
        scope: &BatchScope,
        meters: &[CloseMeter],
        readings: &[ActualReading],
    ) -> StoreResult<Vec<EstimatedLine>> {
        let period = scope.period;
        // The last reading before the period, per meter zone: readings are sorted by period.
        let mut last: HashMap<(i64, Zone), Period> = HashMap::new();
        for r in readings.iter().filter(|r| r.period < period) {
            last.insert((r.meter_id, r.zone), r.period);
        }
        let owner: HashMap<i64, i64> = meters.iter().map(|m| (m.id, m.account_id)).collect();
        let mut accounts: Vec<i64> = Vec::new();
        let mut since = period.prev();
        for ((meter, _), read_in) in &last {
            if *read_in < period.prev() {
                since = since.min(*read_in);
                accounts.extend(owner.get(meter));
            }
        }
        if accounts.is_empty() {
            return Ok(Vec::new());
        }
        accounts.sort_unstable();
        accounts.dedup();
        let rows: Vec<EstimateRow> = sqlx::query_as(
            "SELECT account_id, zone, period, line, volume FROM charges
             WHERE account_id = ANY($1) AND period > $2 AND period < $3
               AND service = 'electricity' AND estimated",
        )
        .bind(&accounts)
        .bind(since.first_day())
        .bind(period.first_day())
        .fetch_all(self.pool())
        .await?;
        let mut lines = rows
            .into_iter()
            .map(|(account_id, zone, period, line, volume)| {
                Ok(EstimatedLine {
                    account_id,
                    zone: parse("charges.zone", zone.as_deref().unwrap_or(""))?,
                    period: period_of(period)?,
                    line,
                    volume: volume.unwrap_or_default(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        lines.sort_unstable_by_key(|l| (l.account_id, l.zone, l.period, l.line));
        Ok(lines)
    }

    /// Charges before the ledger window summed per service, and those inside it line by line.
    async fn batch_charges(
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
    async fn batch_payments(
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

type ReadingRow = (i64, String, NaiveDate, NaiveDate, Decimal);
type EstimateRow = (i64, Option<String>, NaiveDate, i16, Option<Decimal>);
type PaymentRow = (i64, DateTime<Utc>, NaiveDate, Option<String>, Decimal);

/// The readings of `rows`, only the latest taken of each meter, zone and period, sorted by
/// meter, zone and period.
fn latest_per_period(rows: Vec<ReadingRow>) -> StoreResult<Vec<ActualReading>> {
    let mut readings = rows
        .into_iter()
        .map(|(meter_id, zone, period, taken_on, value)| {
            Ok(ActualReading {
                meter_id,
                zone: parse("readings.zone", &zone)?,
                period: period_of(period)?,
                taken_on,
                value,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    readings.sort_unstable_by_key(|r| (r.meter_id, r.zone, r.period, r.taken_on));
    readings.dedup_by(|later, earlier| {
        // `dedup_by` keeps the first of a run: move the later reading into its place.
        let same = (later.meter_id, later.zone, later.period)
            == (earlier.meter_id, earlier.zone, earlier.period);
        if same {
            *earlier = *later;
        }
        same
    });
    Ok(readings)
}

fn midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).expect("midnight exists")
}

fn parse<T: FromStr>(column: &str, value: &str) -> StoreResult<T> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{column}: unknown code {value:?}")))
}

fn service_opt(value: Option<String>) -> StoreResult<Option<Service>> {
    value.map(|s| parse("payments.service", &s)).transpose()
}

fn period_of(date: NaiveDate) -> StoreResult<Period> {
    if date.day() == 1 {
        Ok(Period::of(date))
    } else {
        Err(StoreError::Corrupt(format!(
            "period {date} is not the first day of a month"
        )))
    }
}

fn money(value: Decimal) -> StoreResult<Money> {
    let m = Money::from_decimal(value);
    if m.amount() == value {
        Ok(m)
    } else {
        Err(StoreError::Corrupt(format!(
            "amount {value} has fractions of a kopeck"
        )))
    }
}
