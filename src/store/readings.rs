//! Meter readings: one per meter, zone and day; a second one on the same day replaces the first.

use super::codec::{code, period};
use super::meters::MeterId;
use super::{Store, StoreError, StoreResult};
use crate::billing::{Period, ReadingSource, TariffKind, Zone};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A stored reading of one zone of a meter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub meter_id: MeterId,
    pub zone: Zone,
    /// kWh on the display.
    pub value: Decimal,
    /// The billing month the reading counts for (the next one when taken outside the window).
    pub period: Period,
    pub taken_on: NaiveDate,
    pub source: ReadingSource,
}

#[derive(sqlx::FromRow)]
struct Row {
    meter_id: i64,
    zone: String,
    value: Decimal,
    period: NaiveDate,
    taken_on: NaiveDate,
    source: String,
}

impl TryFrom<Row> for Reading {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Reading> {
        Ok(Reading {
            meter_id: MeterId(r.meter_id),
            zone: code("readings.zone", &r.zone)?,
            value: r.value,
            period: period(r.period)?,
            taken_on: r.taken_on,
            source: code("readings.source", &r.source)?,
        })
    }
}

impl Store {
    /// The latest reading of one zone taken strictly before `before`, estimates left out.
    pub async fn last_actual_reading(
        &self,
        meter: MeterId,
        zone: Zone,
        before: NaiveDate,
    ) -> StoreResult<Option<Reading>> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT meter_id, zone, value, period, taken_on, source FROM readings
             WHERE meter_id = $1 AND zone = $2 AND taken_on < $3 AND source <> 'estimate'
             ORDER BY taken_on DESC LIMIT 1",
        )
        .bind(meter)
        .bind(zone.code())
        .bind(before)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Reading::try_from).transpose()
    }

    /// For each zone of the meter that has one, its latest reading taken strictly before `before`,
    /// estimates left out; ordered by zone code.
    pub async fn last_actual_readings(
        &self,
        meter: MeterId,
        before: NaiveDate,
    ) -> StoreResult<Vec<Reading>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT DISTINCT ON (zone) meter_id, zone, value, period, taken_on, source
             FROM readings
             WHERE meter_id = $1 AND taken_on < $2 AND source <> 'estimate'
             ORDER BY zone, taken_on DESC",
        )
        .bind(meter)
        .bind(before)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Reading::try_from).collect()
    }

    /// The readings of a meter taken in `from..=to`, estimates included, by day then zone.
    pub async fn readings_between(
        &self,
        meter: MeterId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Reading>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT meter_id, zone, value, period, taken_on, source FROM readings
             WHERE meter_id = $1 AND taken_on BETWEEN $2 AND $3
             ORDER BY taken_on, zone",
        )
        .bind(meter)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Reading::try_from).collect()
    }

    /// Records the readings of several zones of one meter taken on one day, all or none.
    /// A reading already there for the same meter, zone and day is replaced.
    ///
    /// Errors: [`StoreError::NotFound`] for an unknown meter, [`StoreError::Rejected`] for a
    /// zone the meter does not count or a negative value.
    pub async fn record_readings(
        &self,
        meter: MeterId,
        taken_on: NaiveDate,
        period: Period,
        source: ReadingSource,
        values: &[(Zone, Decimal)],
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        // FOR SHARE keeps the meter from changing kind while its readings go in.
        let kind: Option<String> =
            sqlx::query_scalar("SELECT tariff_kind FROM meters WHERE id = $1 FOR SHARE")
                .bind(meter)
                .fetch_optional(&mut *tx)
                .await?;
        let kind: TariffKind = code(
            "meters.tariff_kind",
            &kind.ok_or(StoreError::NotFound { what: "meter" })?,
        )?;
        for (zone, value) in values {
            if !kind.zones().contains(zone) {
                return Err(StoreError::Rejected {
                    constraint: format!("zone {zone} is not counted by a {kind} meter"),
                });
            }
            sqlx::query(
                "INSERT INTO readings (meter_id, zone, value, period, taken_on, source)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (meter_id, zone, taken_on) DO UPDATE
                 SET value = EXCLUDED.value, period = EXCLUDED.period,
                     source = EXCLUDED.source, created_at = now()",
            )
            .bind(meter)
            .bind(zone.code())
            .bind(value)
            .bind(period.first_day())
            .bind(taken_on)
            .bind(source.code())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
