//! Rates per category and zone, ₽ per kWh, each valid on `[valid_from, valid_to)`.

use super::codec::code;
use super::{Store, StoreError, StoreResult};
use crate::billing::{Category, Zone};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One rate of one category and zone over its validity interval.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tariff {
    pub category: Category,
    pub zone: Zone,
    /// ₽ per kWh, up to 4 decimals.
    pub rate: Decimal,
    pub valid_from: NaiveDate,
    /// First day it no longer applies; `None` while it is current.
    pub valid_to: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct Row {
    category: String,
    zone: String,
    rate: Decimal,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
}

impl TryFrom<Row> for Tariff {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Tariff> {
        Ok(Tariff {
            category: code("tariffs.category", &r.category)?,
            zone: code("tariffs.zone", &r.zone)?,
            rate: r.rate,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
        })
    }
}

impl Store {
    /// The rates of a category that apply on at least one day of `from..=to`, by zone then date.
    pub async fn tariffs_between(
        &self,
        category: Category,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<Tariff>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT category, zone, rate, valid_from, valid_to FROM tariffs
             WHERE category = $1 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $2)
             ORDER BY zone, valid_from",
        )
        .bind(category.code())
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Tariff::try_from).collect()
    }

    /// Adds a rate; [`StoreError::Conflict`] when the category and zone already have one from
    /// that day, [`StoreError::Rejected`] for a rate ≤ 0 or an empty interval.
    pub async fn insert_tariff(&self, tariff: &Tariff) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO tariffs (category, zone, rate, valid_from, valid_to)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(tariff.category.code())
        .bind(tariff.zone.code())
        .bind(tariff.rate)
        .bind(tariff.valid_from)
        .bind(tariff.valid_to)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
