//! The Telegram inbox: updates taken in durably before they are acknowledged, and the per-chat
//! leases under which one instance at a time handles a chat's updates, in update order.
//!
//! A lease is a row per chat with a random token and an expiry. The holder renews it while its
//! turn runs (a heartbeat); a holder that dies or stalls past the expiry loses it to the next
//! claimant, and every write the old holder then tries — the turn's answer, the mark «sent» —
//! presents its token and changes nothing. The `fence` counts holders, for logs and tests.

use super::{Store, StoreResult};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::time::Duration;

/// An update taken in and not yet fully answered.
#[derive(Clone, Debug, PartialEq)]
pub struct InboxUpdate {
    pub update_id: i64,
    pub chat_id: i64,
    pub payload: Value,
    /// The turn's replies once handled, until they are sent.
    pub answer: Option<Value>,
}

/// A chat's lease, held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    pub chat_id: i64,
    pub token: String,
    pub fence: i64,
}

/// The inbox at a glance (`/metrics`, tests).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InboxStatus {
    /// Taken in, not yet handled.
    pub waiting: i64,
    /// Handled, replies not yet sent.
    pub unsent: i64,
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl Store {
    /// Takes an update in, and lifts the chat's «blocked the bot» mark. False: it was taken in
    /// before (a duplicate delivery).
    pub async fn inbox_take(
        &self,
        update_id: i64,
        chat_id: i64,
        payload: &Value,
    ) -> StoreResult<bool> {
        // A chat that writes has unblocked the bot: notices reach it again (same statement).
        let done = sqlx::query(
            "WITH unblocked AS (DELETE FROM blocked_chats WHERE chat_id = $2)
             INSERT INTO tg_inbox (update_id, chat_id, payload) VALUES ($1, $2, $3)
             ON CONFLICT (update_id) DO NOTHING",
        )
        .bind(update_id)
        .bind(chat_id)
        .bind(payload)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Claims the chat for `ttl` when nobody holds it (or the holder's lease ran out).
    pub async fn inbox_claim(&self, chat_id: i64, ttl: Duration) -> StoreResult<Option<Lease>> {
        let token = format!("{:032x}", rand::random::<u128>());
        let fence: Option<i64> = sqlx::query_scalar(
            "INSERT INTO tg_chat_leases AS l (chat_id, token, until, fence, since, told_wait)
             VALUES ($1, $2, now() + make_interval(secs => $3 / 1000.0), 1, now(), false)
             ON CONFLICT (chat_id) DO UPDATE
                SET token = EXCLUDED.token, until = EXCLUDED.until, fence = l.fence + 1,
                    since = now(), told_wait = false
                WHERE l.token IS NULL OR l.until < now()
             RETURNING fence",
        )
        .bind(chat_id)
        .bind(&token)
        .bind(millis(ttl))
        .fetch_optional(&self.pool)
        .await?;
        Ok(fence.map(|fence| Lease {
            chat_id,
            token,
            fence,
        }))
    }

    /// Renews a held lease for `ttl` from now. False: it was lost (it ran out and another
    /// instance took the chat).
    pub async fn inbox_renew(&self, lease: &Lease, ttl: Duration) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE tg_chat_leases SET until = now() + make_interval(secs => $3 / 1000.0)
             WHERE chat_id = $1 AND token = $2",
        )
        .bind(lease.chat_id)
        .bind(&lease.token)
        .bind(millis(ttl))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives the chat back. True when the chat has open updates (taken in by someone while it
    /// was held): the caller looks again.
    pub async fn inbox_release(&self, lease: &Lease) -> StoreResult<bool> {
        Ok(sqlx::query_scalar(
            "WITH released AS (
                UPDATE tg_chat_leases SET token = NULL WHERE chat_id = $1 AND token = $2)
             SELECT EXISTS (SELECT 1 FROM tg_inbox WHERE chat_id = $1 AND sent_at IS NULL)",
        )
        .bind(lease.chat_id)
        .bind(&lease.token)
        .fetch_one(&self.pool)
        .await?)
    }

    /// The chat's oldest update not yet fully answered.
    pub async fn inbox_next(&self, chat_id: i64) -> StoreResult<Option<InboxUpdate>> {
        let row: Option<(i64, i64, Value, Option<Value>)> = sqlx::query_as(
            "SELECT update_id, chat_id, payload, answer FROM tg_inbox
             WHERE chat_id = $1 AND sent_at IS NULL ORDER BY update_id LIMIT 1",
        )
        .bind(chat_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(
            row.map(|(update_id, chat_id, payload, answer)| InboxUpdate {
                update_id,
                chat_id,
                payload,
                answer,
            }),
        )
    }

    /// Records the turn's answer: from now on the update is never handled again. False: the
    /// lease passed to another holder (or the update was handled already) and nothing was
    /// written. A lease that ran out but was not taken over still records: its token is ours.
    pub async fn inbox_handled(
        &self,
        lease: &Lease,
        update_id: i64,
        answer: &Value,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE tg_inbox SET handled_at = now(), answer = $3
             WHERE update_id = $1 AND handled_at IS NULL
               AND EXISTS (SELECT 1 FROM tg_chat_leases WHERE chat_id = $2 AND token = $4)",
        )
        .bind(update_id)
        .bind(lease.chat_id)
        .bind(answer)
        .bind(&lease.token)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records that the update's replies were sent (and drops them). False: the lease was lost.
    pub async fn inbox_sent(&self, lease: &Lease, update_id: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE tg_inbox SET sent_at = now(), answer = NULL,
                                 handled_at = COALESCE(handled_at, now())
             WHERE update_id = $1 AND sent_at IS NULL
               AND EXISTS (SELECT 1 FROM tg_chat_leases WHERE chat_id = $2 AND token = $3)",
        )
        .bind(update_id)
        .bind(lease.chat_id)
        .bind(&lease.token)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Counts a failed turn of the update; the count so far.
    pub async fn inbox_failed(&self, update_id: i64) -> StoreResult<i32> {
        Ok(sqlx::query_scalar(
            "UPDATE tg_inbox SET failures = failures + 1 WHERE update_id = $1 RETURNING failures",
        )
        .bind(update_id)
        .fetch_optional(&self.pool)
        .await?
        .unwrap_or(0))
    }

    /// True once per holding when the chat's holder has been at it for `after` or longer: the
    /// caller tells the user to wait (once, not per waiting update).
    pub async fn inbox_should_tell_wait(&self, chat_id: i64, after: Duration) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE tg_chat_leases SET told_wait = true
             WHERE chat_id = $1 AND token IS NOT NULL AND until > now() AND NOT told_wait
               AND since <= now() - make_interval(secs => $2 / 1000.0)",
        )
        .bind(chat_id)
        .bind(millis(after))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Chats with updates waiting longer than `older_than` and no live holder: an instance
    /// died with them, or a drain was missed. At most `limit`.
    pub async fn inbox_stalled_chats(
        &self,
        older_than: Duration,
        limit: i64,
    ) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT i.chat_id FROM tg_inbox i
             LEFT JOIN tg_chat_leases l ON l.chat_id = i.chat_id
             WHERE i.sent_at IS NULL
               AND i.received_at < now() - make_interval(secs => $1 / 1000.0)
               AND (l.token IS NULL OR l.until < now())
             LIMIT $2",
        )
        .bind(millis(older_than))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn inbox_status(&self) -> StoreResult<InboxStatus> {
        let (waiting, unsent): (i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE handled_at IS NULL),
                    count(*) FILTER (WHERE handled_at IS NOT NULL)
             FROM tg_inbox WHERE sent_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(InboxStatus { waiting, unsent })
    }

    /// Forgets answered updates older than `before` (Telegram redelivers within a day).
    pub async fn inbox_purge(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM tg_inbox WHERE sent_at IS NOT NULL AND sent_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
