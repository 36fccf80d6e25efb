//! Forgetting what is no longer needed: counted attempts, one-time codes and delivered outbox
//! messages older than the retention period.

use super::{Store, StoreResult};
use chrono::{DateTime, Duration, Utc};

/// What one purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub attempts: u64,
    pub codes: u64,
    pub outbox: u64,
    /// Answered Telegram updates older than two days (Telegram redelivers within one).
    pub inbox: u64,
}

impl Store {
    /// Deletes attempts, and delivered or dead-lettered outbox messages, older than `retention`, and one-time
    /// codes older than a day (they are useless after minutes).
    pub async fn purge(&self, now: DateTime<Utc>, retention: Duration) -> StoreResult<Purged> {
        let before = now - retention;
        let attempts = sqlx::query("DELETE FROM attempts WHERE at < $1")
            .bind(before)
            .execute(self.pool())
            .await?
            .rows_affected();
        let outbox = sqlx::query("DELETE FROM outbox WHERE delivered_at < $1 OR dead_at < $1")
            .bind(before)
            .execute(self.pool())
            .await?
            .rows_affected();
        let codes = self
            .purge_codes(now - Duration::days(1).min(retention))
            .await?;
        let inbox = self.inbox_purge(now - Duration::days(2)).await?;
        Ok(Purged {
            attempts,
            codes,
            outbox,
            inbox,
        })
    }
}
