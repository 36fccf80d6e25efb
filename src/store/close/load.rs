//! The queries of a batch load: one per table, by ranges of account ids or `= ANY($1)`.

use super::{
    ActualReading, BatchScope, ChargeSum, CloseAccount, CloseBatch, CloseGlobals, CloseMeter,
    EstimatedLine, PaymentIn, SERVICES, ZONES,
};
use crate::billing::{Category, KeyRate, Money, Period, Rate, Service, TariffKind, Zone};
use crate::store::{Store, StoreError, StoreResult};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use std::str::FromStr;

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
    /// scope's period, and everything their close needs. No accounts: nothing is left.
    pub async fn load_close_batch(
        &self,
        scope: &BatchScope,
        after: i64,
        limit: usize,
    ) -> StoreResult<CloseBatch> {
        let mut batch = CloseBatch {
            accounts: self.batch_accounts(scope.period, after, limit).await?,
            ..CloseBatch::default()
        };
        let (Some(first), Some(last)) = (batch.accounts.first(), batch.accounts.last()) else {
            return Ok(batch);
        };
        let (lo, hi) = (first.id, last.id);
        let period = scope.period;
        let meters: Vec<(i64, i64, String, i16, i16)> = sqlx::query_as(
            "SELECT id, account_id, tariff_kind, digits, fraction_digits FROM meters
             WHERE account_id BETWEEN $1 AND $2
               AND installed_on <= $3 AND (removed_on IS NULL OR removed_on >= $4)
             ORDER BY account_id, id",
        )
        .bind(lo)
        .bind(hi)
        .bind(period.last_day())
        .bind(period.first_day())
        .fetch_all(self.pool())
        .await?;
        // The range may hold accounts closed by an earlier run: leave their rows out.
        let wanted = |account: i64| {
            batch
                .accounts
                .binary_search_by_key(&account, |a| a.id)
                .is_ok()
        };
        let mut kept = Vec::with_capacity(meters.len());
        for (id, account_id, kind, digits, fraction_digits) in meters {
            if wanted(account_id) {
                kept.push(CloseMeter {
                    id,
                    account_id,
                    kind: parse::<TariffKind>("meters.tariff_kind", &kind)?,
                    digits,
                    fraction_digits,
                });
            }
        }
        batch.meters = kept;
        batch.readings = self.batch_readings(scope, &batch.meters).await?;
        batch.estimates = self.batch_estimates(scope, lo, hi, &batch).await?;
        batch.estimates.retain(|e| wanted(e.account_id));
        batch.charges = self.batch_charges(scope, lo, hi).await?;
        batch.charges.retain(|c| wanted(c.account_id));
        let (opening, payments) = self.batch_payments(scope, lo, hi).await?;
        batch.opening_payments = opening;
        batch.opening_payments.retain(|p| wanted(p.account_id));
        batch.payments = payments;
        batch.payments.retain(|p| wanted(p.account_id));
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

    /// The latest actual reading per meter, zone and period of the history window; for the zones
    /// with none before the period inside the window, the last one before it.
    async fn batch_readings(
        &self,
        scope: &BatchScope,
        meters: &[CloseMeter],
    ) -> StoreResult<Vec<ActualReading>> {
        let ids: Vec<i64> = meters.iter().map(|m| m.id).collect();
        let rows: Vec<ReadingRow> = sqlx::query_as(concat!(
            "SELECT DISTINCT ON (r.meter_id, r.zone, r.period) r.meter_id, ",
            zone_index!("r.zone"),
            ", r.period, r.taken_on, r.value FROM readings r
             WHERE r.meter_id = ANY($1) AND r.period >= $2 AND r.period <= $3
               AND r.source <> 'estimate'
             ORDER BY r.meter_id, r.zone, r.period, r.taken_on DESC"
        ))
        .bind(&ids)
        .bind(scope.history_from.first_day())
        .bind(scope.period.first_day())
        .fetch_all(self.pool())
        .await?;
        let mut readings = rows
            .into_iter()
            .map(reading)
            .collect::<StoreResult<Vec<_>>>()?;
        let based: HashSet<(i64, Zone)> = readings
            .iter()
            .filter(|r| r.period < scope.period)
            .map(|r| (r.meter_id, r.zone))
            .collect();
        let unbased: Vec<i64> = meters
            .iter()
            .filter(|m| m.kind.zones().iter().any(|z| !based.contains(&(m.id, *z))))
            .map(|m| m.id)
            .collect();
        if unbased.is_empty() {
            return Ok(readings);
        }
        let older: Vec<ReadingRow> = sqlx::query_as(concat!(
            "SELECT DISTINCT ON (r.meter_id, r.zone) r.meter_id, ",
            zone_index!("r.zone"),
            ", r.period, r.taken_on, r.value FROM readings r
             WHERE r.meter_id = ANY($1) AND r.period < $2 AND r.source <> 'estimate'
             ORDER BY r.meter_id, r.zone, r.period DESC, r.taken_on DESC"
        ))
        .bind(&unbased)
        .bind(scope.history_from.first_day())
        .fetch_all(self.pool())
        .await?;
        for row in older {
            let r = reading(row)?;
            if !based.contains(&(r.meter_id, r.zone)) {
                readings.push(r);
            }
        }
        readings.sort_by_key(|r| (r.meter_id, r.zone, r.period));
        Ok(readings)
    }

    /// Estimated electricity lines of the history window, and for accounts whose last actual
    /// reading is older, those since that reading.
    async fn batch_estimates(
        &self,
        scope: &BatchScope,
        lo: i64,
        hi: i64,
        batch: &CloseBatch,
    ) -> StoreResult<Vec<EstimatedLine>> {
        let mut rows: Vec<EstimateRow> = sqlx::query_as(concat!(
            "SELECT account_id, ",
            zone_index!("zone"),
            ", period, line, volume FROM charges
             WHERE account_id BETWEEN $1 AND $2 AND period >= $3 AND period < $4
               AND service = 'electricity' AND estimated AND volume IS NOT NULL"
        ))
        .bind(lo)
        .bind(hi)
        .bind(scope.history_from.first_day())
        .bind(scope.period.first_day())
        .fetch_all(self.pool())
        .await?;
        // Readings older than the window came only for zones read last before it.
        let old: Vec<&ActualReading> = batch
            .readings
            .iter()
            .filter(|r| r.period < scope.history_from)
            .collect();
        if let Some(oldest) = old.iter().map(|r| r.period).min() {
            let owner: HashMap<i64, i64> =
                batch.meters.iter().map(|m| (m.id, m.account_id)).collect();
            let mut accounts: Vec<i64> = old
                .iter()
                .filter_map(|r| owner.get(&r.meter_id).copied())
                .collect();
            accounts.sort_unstable();
            accounts.dedup();
            let older: Vec<EstimateRow> = sqlx::query_as(concat!(
                "SELECT account_id, ",
                zone_index!("zone"),
                ", period, line, volume FROM charges
                 WHERE account_id = ANY($1) AND period > $2 AND period < $3
                   AND service = 'electricity' AND estimated AND volume IS NOT NULL"
            ))
            .bind(&accounts)
            .bind(oldest.first_day())
            .bind(scope.history_from.first_day())
            .fetch_all(self.pool())
            .await?;
            rows.extend(older);
        }
        let mut lines = rows
            .into_iter()
            .map(|(account_id, zone, period, line, volume)| {
                Ok(EstimatedLine {
                    account_id,
                    zone: zone_at(zone)?,
                    period: period_of(period)?,
                    line,
                    volume: volume.unwrap_or_default(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        lines.sort_by_key(|l| (l.account_id, l.zone, l.period, l.line));
        Ok(lines)
    }

    /// Charge totals per period and service before the closed period; those before the ledger
    /// window summed into the period just before it.
    async fn batch_charges(
        &self,
        scope: &BatchScope,
        lo: i64,
        hi: i64,
    ) -> StoreResult<Vec<ChargeSum>> {
        let rows: Vec<(i64, NaiveDate, Option<i32>, Decimal)> = sqlx::query_as(concat!(
            "SELECT account_id, greatest(period, $3) AS p, ",
            service_index!("service"),
            ", sum(amount) FROM charges
             WHERE account_id BETWEEN $1 AND $2 AND period < $4
             GROUP BY account_id, p, service ORDER BY account_id, p"
        ))
        .bind(lo)
        .bind(hi)
        .bind(scope.ledger_from.prev().first_day())
        .bind(scope.period.first_day())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(account_id, period, service, amount)| {
                Ok(ChargeSum {
                    account_id,
                    period: period_of(period)?,
                    service: service_at(service)?.ok_or_else(|| corrupt("charges.service"))?,
                    amount: money(amount)?,
                })
            })
            .collect()
    }

    /// The payments summed per service before the ledger window, and one by one inside it.
    async fn batch_payments(
        &self,
        scope: &BatchScope,
        lo: i64,
        hi: i64,
    ) -> StoreResult<(Vec<PaymentIn>, Vec<PaymentIn>)> {
        let window_start = midnight(scope.ledger_from.first_day());
        let opening_day = scope
            .ledger_from
            .first_day()
            .pred_opt()
            .expect("a period after the first representable day");
        let rows: Vec<(i64, Option<i32>, Decimal)> = sqlx::query_as(concat!(
            "SELECT account_id, ",
            service_index!("service"),
            " AS s, sum(amount) FROM payments
             WHERE account_id BETWEEN $1 AND $2 AND paid_at < ($3::timestamp AT TIME ZONE $4)
             GROUP BY account_id, s ORDER BY account_id, s NULLS FIRST"
        ))
        .bind(lo)
        .bind(hi)
        .bind(window_start)
        .bind(&scope.time_zone)
        .fetch_all(self.pool())
        .await?;
        let opening = rows
            .into_iter()
            .map(|(account_id, service, amount)| {
                Ok(PaymentIn {
                    account_id,
                    date: opening_day,
                    service: service_at(service)?,
                    amount: money(amount)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let rows: Vec<(i64, NaiveDate, Option<i32>, Decimal)> = sqlx::query_as(concat!(
            "SELECT account_id, (paid_at AT TIME ZONE $5)::date, ",
            service_index!("service"),
            ", amount FROM payments
             WHERE account_id BETWEEN $1 AND $2
               AND paid_at >= ($3::timestamp AT TIME ZONE $5)
               AND paid_at < ($4::timestamp AT TIME ZONE $5)
             ORDER BY account_id, paid_at, id"
        ))
        .bind(lo)
        .bind(hi)
        .bind(window_start)
        .bind(midnight(scope.period.next().first_day()))
        .bind(&scope.time_zone)
        .fetch_all(self.pool())
        .await?;
        let payments = rows
            .into_iter()
            .map(|(account_id, date, service, amount)| {
                Ok(PaymentIn {
                    account_id,
                    date,
                    service: service_at(service)?,
                    amount: money(amount)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((opening, payments))
    }
}

type ReadingRow = (i64, Option<i32>, NaiveDate, NaiveDate, Decimal);
type EstimateRow = (i64, Option<i32>, NaiveDate, i16, Option<Decimal>);

fn reading((meter_id, zone, period, taken_on, value): ReadingRow) -> StoreResult<ActualReading> {
    Ok(ActualReading {
        meter_id,
        zone: zone_at(zone)?,
        period: period_of(period)?,
        taken_on,
        value,
    })
}

fn midnight(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(0, 0, 0).expect("midnight exists")
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("{what}: unexpected value"))
}

fn parse<T: FromStr>(column: &str, value: &str) -> StoreResult<T> {
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{column}: unknown code {value:?}")))
}

fn zone_at(index: Option<i32>) -> StoreResult<Zone> {
    index
        .and_then(|i| usize::try_from(i - 1).ok())
        .and_then(|i| ZONES.get(i).copied())
        .ok_or_else(|| corrupt("zone"))
}

fn service_at(index: Option<i32>) -> StoreResult<Option<Service>> {
    index
        .map(|i| {
            usize::try_from(i - 1)
                .ok()
                .and_then(|i| SERVICES.get(i).copied())
                .ok_or_else(|| corrupt("service"))
        })
        .transpose()
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
