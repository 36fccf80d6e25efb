//! What a worker records of a claimed message: delivered, failed (retried later or, past the
//! attempt cap, dead-lettered) or dead at once (it can never be delivered). Every mark presents
//! the claim's token and changes nothing when the claim is no longer the worker's — its lease
//! ran out and another worker took the message over — so two workers never both record one
//! message, and a slow worker cannot mark "delivered" what another is still sending.

use super::{NewMessage, OutboxMessage, backoff, enqueue_with};
use crate::store::{Store, StoreResult};
use chrono::{DateTime, Utc};

/// What became of a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// Tried again at this time.
    Retry(DateTime<Utc>),
    /// The attempt cap was reached: dead-lettered.
    Dead,
    /// The claim was no longer this worker's: nothing recorded.
    ClaimLost,
}

/// The queue at a glance, for `kabinet outbox status`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxStatus {
    /// Waiting for delivery, due now or later.
    pub depth: i64,
    /// Of those, due now.
    pub due: i64,
    /// Of those, failed at least once.
    pub retrying: i64,
    /// When the oldest waiting message was queued.
    pub oldest: Option<DateTime<Utc>>,
    /// Dead letters kept.
    pub dead: i64,
}

/// A dead-lettered message, as staff see it (no payload: secrets are erased).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DeadLetter {
    pub id: i64,
    pub channel: String,
    pub template: String,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub dead_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

fn clipped(error: &str) -> String {
    error.chars().take(1000).collect()
}

impl Store {
    /// Marks a claimed message delivered, emptying its payload when `erase` (it held a
    /// secret). False when the claim is no longer this worker's.
    pub async fn mark_claim_delivered(
        &self,
        message: &OutboxMessage,
        now: DateTime<Utc>,
        erase: bool,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE outbox SET delivered_at = $3, last_error = NULL, claim = NULL,
                    payload = CASE WHEN $4 THEN '{}'::jsonb ELSE payload END
             WHERE id = $1 AND claim = $2 AND delivered_at IS NULL AND dead_at IS NULL",
        )
        .bind(message.id)
        .bind(message.claim)
        .bind(now)
        .bind(erase)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed attempt of a claimed message: the next try after [`backoff`], or, at
    /// the `max_attempts`-th failure, a dead letter (payload emptied when `erase`, and
    /// `notices` queued in the same transaction).
    pub async fn mark_claim_failed(
        &self,
        message: &OutboxMessage,
        now: DateTime<Utc>,
        error: &str,
        max_attempts: i32,
        erase: bool,
        notices: &[NewMessage],
    ) -> StoreResult<AfterFailure> {
        let attempts = message.attempts + 1;
        if attempts >= max_attempts {
            let buried = self.bury_claim(message, now, error, erase, notices).await?;
            return Ok(if buried {
                AfterFailure::Dead
            } else {
                AfterFailure::ClaimLost
            });
        }
        let next = now + backoff(attempts);
        let done = sqlx::query(
            "UPDATE outbox SET attempts = $3, next_attempt_at = $4, last_error = $5, claim = NULL
             WHERE id = $1 AND claim = $2 AND delivered_at IS NULL AND dead_at IS NULL",
        )
        .bind(message.id)
        .bind(message.claim)
        .bind(attempts)
        .bind(next)
        .bind(clipped(error))
        .execute(self.pool())
        .await?;
        Ok(if done.rows_affected() == 1 {
            AfterFailure::Retry(next)
        } else {
            AfterFailure::ClaimLost
        })
    }

    /// Dead-letters a claimed message at once (it can never be delivered: no transport for a
    /// secret, a recipient the channel refuses), erasing its payload when `erase` and queueing
    /// `notices` in the same transaction. False when the claim is no longer this worker's.
    pub async fn bury_claim(
        &self,
        message: &OutboxMessage,
        now: DateTime<Utc>,
        error: &str,
        erase: bool,
        notices: &[NewMessage],
    ) -> StoreResult<bool> {
        let mut tx = self.pool().begin().await?;
        let done = sqlx::query(
            "UPDATE outbox SET dead_at = $3, attempts = attempts + 1, last_error = $4,
                    claim = NULL, payload = CASE WHEN $5 THEN '{}'::jsonb ELSE payload END
             WHERE id = $1 AND claim = $2 AND delivered_at IS NULL AND dead_at IS NULL",
        )
        .bind(message.id)
        .bind(message.claim)
        .bind(now)
        .bind(clipped(error))
        .bind(erase)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        for notice in notices {
            enqueue_with(&mut *tx, notice).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The queue's depth, what is due, the oldest waiting message and the dead letters.
    pub async fn outbox_status(&self, now: DateTime<Utc>) -> StoreResult<OutboxStatus> {
        let (depth, due, retrying, oldest, dead): (i64, i64, i64, Option<DateTime<Utc>>, i64) =
            sqlx::query_as(
                "SELECT count(*) FILTER (WHERE dead_at IS NULL),
                        count(*) FILTER (WHERE dead_at IS NULL AND next_attempt_at <= $1),
                        count(*) FILTER (WHERE dead_at IS NULL AND attempts > 0),
                        min(created_at) FILTER (WHERE dead_at IS NULL),
                        count(*) FILTER (WHERE dead_at IS NOT NULL)
                 FROM outbox WHERE delivered_at IS NULL",
            )
            .bind(now)
            .fetch_one(self.pool())
            .await?;
        Ok(OutboxStatus {
            depth,
            due,
            retrying,
            oldest,
            dead,
        })
    }

    /// The newest dead letters, at most `limit`.
    pub async fn dead_letters(&self, limit: i64) -> StoreResult<Vec<DeadLetter>> {
        Ok(sqlx::query_as(
            "SELECT id, channel, template, attempts, created_at, dead_at, last_error
             FROM outbox WHERE dead_at IS NOT NULL ORDER BY dead_at DESC, id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }
}
