//! The meters of a batch, their readings and the estimated lines billed since them.

use super::load::{parse, period_of};
use super::{ActualReading, BatchScope, CloseMeter, EstimatedLine};
use crate::billing::{Period, TariffKind, Zone};
use crate::store::{Store, StoreResult};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Readings of this many periods up to the closed one come for every meter; older ones only for
/// the meters that need them (a zone unread this period, or not read in the recent ones).
const RECENT_MONTHS: i32 = 2;

type ReadingRow = (i64, String, NaiveDate, NaiveDate, Decimal);
type EstimateRow = (i64, Option<String>, NaiveDate, i16, Option<Decimal>);

impl Store {
    /// The meters in service, their readings, and the estimated lines since their last reading.
    pub(super) async fn batch_meters(
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
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(meter: i64, zone: &str, period: &str, taken_on: &str, value: i64) -> ReadingRow {
        (
            meter,
            zone.to_owned(),
            period.parse().unwrap(),
            taken_on.parse().unwrap(),
            Decimal::from(value),
        )
    }

    #[test]
    fn only_the_latest_reading_of_a_period_counts() {
        let rows = vec![
            row(2, "total", "2026-03-01", "2026-03-20", 150),
            row(1, "night", "2026-03-01", "2026-03-18", 40),
            row(2, "total", "2026-03-01", "2026-03-24", 155),
            row(2, "total", "2026-02-01", "2026-02-20", 100),
            row(1, "day", "2026-03-01", "2026-03-18", 90),
        ];
        let got: Vec<(i64, Zone, i64)> = latest_per_period(rows)
            .unwrap()
            .iter()
            .map(|r| (r.meter_id, r.zone, r.value.try_into().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                (1, Zone::Day, 90),
                (1, Zone::Night, 40),
                (2, Zone::Total, 100),
                (2, Zone::Total, 155)
            ]
        );
    }

    #[test]
    fn an_unknown_zone_is_corrupt_data() {
        let rows = vec![row(1, "evening", "2026-03-01", "2026-03-20", 1)];
        assert!(latest_per_period(rows).is_err());
    }
}
