//! Messages (SMS, email, chat) to deliver at least once. Workers claim due messages for a lease,
//! so two workers do not send the same message at the same time; a failure backs off.

use super::codec::code;
use super::{Store, StoreError, StoreResult};
use crate::billing::types::UnknownCode;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgExecutor;
use std::fmt;
use std::str::FromStr;

mod marks;

pub use marks::{AfterFailure, DeadLetter, OutboxStatus};

/// Where a message goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    Sms,
    Email,
    Telegram,
}

impl Channel {
    /// The name stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Telegram => "telegram",
        }
    }
}

impl FromStr for Channel {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        [Channel::Sms, Channel::Email, Channel::Telegram]
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A message to queue: a template name and its arguments, rendered by the sender.
#[derive(Clone, Debug, PartialEq)]
pub struct NewMessage {
    pub channel: Channel,
    /// Phone (`+7…`), email address or chat id, as the channel needs.
    pub recipient: String,
    pub template: String,
    pub payload: serde_json::Value,
}

/// A queued message handed to a worker.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxMessage {
    pub id: i64,
    pub channel: Channel,
    pub recipient: String,
    pub template: String,
    pub payload: serde_json::Value,
    /// Failed attempts so far.
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    /// The token of the claim that handed the message out (0 when it was read unclaimed): the
    /// worker's mark must present it (see `marks`).
    pub claim: i64,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    channel: String,
    recipient: String,
    template: String,
    payload: String,
    attempts: i32,
    created_at: DateTime<Utc>,
    claim: i64,
}

impl TryFrom<Row> for OutboxMessage {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<OutboxMessage> {
        Ok(OutboxMessage {
            id: r.id,
            channel: code("outbox.channel", &r.channel)?,
            recipient: r.recipient,
            template: r.template,
            payload: serde_json::from_str(&r.payload)
                .map_err(|e| StoreError::Corrupt(format!("outbox.payload {}: {e}", r.id)))?,
            attempts: r.attempts,
            created_at: r.created_at,
            claim: r.claim,
        })
    }
}

/// How long to wait after the `attempts`-th failure: one minute, doubling, at most six hours.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 20) - 1;
    Duration::minutes(1_i64 << exponent).min(Duration::hours(6))
}

/// Queues a message on `db`: inside a transaction, it is sent only if the transaction commits.
pub async fn enqueue_with<'e>(db: impl PgExecutor<'e>, message: &NewMessage) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (channel, recipient, template, payload)
         VALUES ($1, $2, $3, $4::jsonb) RETURNING id",
    )
    .bind(message.channel.code())
    .bind(&message.recipient)
    .bind(&message.template)
    .bind(message.payload.to_string())
    .fetch_one(db)
    .await?)
}

impl Store {
    /// Queues a message for delivery now; returns its id.
    pub async fn enqueue(&self, message: &NewMessage) -> StoreResult<i64> {
        enqueue_with(&self.pool, message).await
    }

    /// Claims up to `limit` undelivered messages due at `now`, oldest first, and hides them from
    /// other workers until `now + lease`. A worker that dies mid-send thus only delays them.
    /// Each claim gets a fresh random token, which every mark of the claim must present.
    pub async fn fetch_due(
        &self,
        now: DateTime<Utc>,
        limit: u32,
        lease: Duration,
    ) -> StoreResult<Vec<OutboxMessage>> {
        let rows: Vec<Row> = sqlx::query_as(
            "UPDATE outbox SET next_attempt_at = $3,
                               claim = (random() * 9.2e18)::int8
             WHERE id IN (SELECT id FROM outbox
                          WHERE delivered_at IS NULL AND dead_at IS NULL
                            AND next_attempt_at <= $1
                          ORDER BY next_attempt_at, id LIMIT $2
                          FOR UPDATE SKIP LOCKED)
             RETURNING id, channel, recipient, template, payload::text AS payload,
                       attempts, created_at, claim",
        )
        .bind(now)
        .bind(i64::from(limit))
        .bind(now + lease)
        .fetch_all(&self.pool)
        .await?;
        let mut messages: Vec<OutboxMessage> = rows
            .into_iter()
            .map(OutboxMessage::try_from)
            .collect::<StoreResult<_>>()?;
        messages.sort_by_key(|m| (m.created_at, m.id));
        Ok(messages)
    }

    /// Marks a message sent without a claim: for a reader that is itself the delivery (the
    /// terminal chat's mailbox). Workers mark their claims (`marks`).
    pub async fn mark_delivered(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let done =
            sqlx::query("UPDATE outbox SET delivered_at = $2, last_error = NULL WHERE id = $1")
                .bind(id)
                .bind(now)
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "outbox message",
            });
        }
        Ok(())
    }
}

impl Store {
    /// Marks a message sent and empties its payload: a password or a code it carried is not
    /// kept once it has reached its recipient. Unclaimed, like [`Store::mark_delivered`].
    pub async fn mark_delivered_erasing_payload(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE outbox SET delivered_at = $2, last_error = NULL, payload = '{}'::jsonb
             WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "outbox message",
            });
        }
        Ok(())
    }

    /// The id of the newest message queued (0 when none).
    pub async fn outbox_last_id(&self) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT COALESCE(max(id), 0) FROM outbox")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Undelivered messages queued after `id`, oldest first (the terminal chat shows them).
    pub async fn outbox_after(&self, id: i64) -> StoreResult<Vec<OutboxMessage>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, channel, recipient, template, payload::text AS payload, attempts,
                    created_at, 0::int8 AS claim
             FROM outbox WHERE id > $1 AND delivered_at IS NULL AND dead_at IS NULL ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(OutboxMessage::try_from).collect()
    }

    /// How many messages wait for delivery (due now or later).
    pub async fn outbox_depth(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?)
    }
}
