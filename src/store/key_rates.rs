//! The Central Bank key rate by date, for penalties.

use super::{Store, StoreResult};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The key rate, percent a year, in force from `valid_from` until the next entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct KeyRate {
    pub valid_from: NaiveDate,
    /// Percent, e.g. 16.5 for 16.5 %.
    pub rate: Decimal,
}

impl Store {
    /// The whole table, oldest first (it has a few entries a year).
    pub async fn key_rates(&self) -> StoreResult<Vec<KeyRate>> {
        Ok(
            sqlx::query_as("SELECT valid_from, rate FROM key_rates ORDER BY valid_from")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Adds an entry; [`StoreError::Conflict`](super::StoreError::Conflict) when that day has
    /// one, [`StoreError::Rejected`](super::StoreError::Rejected) outside 0 < rate < 100.
    pub async fn insert_key_rate(&self, rate: &KeyRate) -> StoreResult<()> {
        sqlx::query("INSERT INTO key_rates (valid_from, rate) VALUES ($1, $2)")
            .bind(rate.valid_from)
            .bind(rate.rate)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
