//! One-time codes: six digits sent by SMS or email to prove that the person in the chat holds
//! a contact. Only their argon2 hash is stored; a code is bound to the chat and the account it
//! was sent for, lives a few minutes, allows a few guesses and is used at most once.

use super::accounts::AccountId;
use super::codec::code;
use super::outbox::{Channel, NewMessage, enqueue_with};
use super::{Store, StoreError, StoreResult};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// What a code proves when it is typed back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Linking the chat to the account (the phone on file, or a phone being proved).
    Link,
    /// Access recovery: a new password once the code is back.
    Recover,
    /// Before a contact changes: the holder, again.
    StepUp,
    /// A new email address belongs to the person changing it.
    NewEmail,
    /// A new phone number belongs to the person changing it.
    NewPhone,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Link => "link",
            Purpose::Recover => "recover",
            Purpose::StepUp => "step_up",
            Purpose::NewEmail => "new_email",
            Purpose::NewPhone => "new_phone",
        }
    }
}

/// A code to store and the message that carries it, queued in the same transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCode {
    pub chat_id: i64,
    pub account: AccountId,
    pub purpose: Purpose,
    pub code_hash: String,
    pub tries: i16,
    pub expires_at: DateTime<Utc>,
    pub message: NewMessage,
}

/// A code with one guess taken from it.
#[derive(Clone, PartialEq)]
pub struct Guess {
    pub account: AccountId,
    pub purpose: Purpose,
    pub channel: Channel,
    /// Where the code went: what it proves.
    pub recipient: String,
    pub code_hash: String,
    /// Guesses left after this one.
    pub tries_left: i16,
}

impl std::fmt::Debug for Guess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guess")
            .field("account", &self.account)
            .field("purpose", &self.purpose)
            .field("tries_left", &self.tries_left)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Stores a code and queues its message; earlier unused codes of the chat for the same
    /// account and purpose stop working. Returns the code's id.
    pub async fn issue_code(&self, new: &NewCode, now: DateTime<Utc>) -> StoreResult<i64> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "UPDATE one_time_codes SET tries_left = 0
             WHERE chat_id = $1 AND account_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(new.chat_id)
        .bind(new.account)
        .bind(new.purpose.code())
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO one_time_codes (chat_id, account_id, purpose, channel, recipient,
                                         code_hash, tries_left, expires_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(new.chat_id)
        .bind(new.account)
        .bind(new.purpose.code())
        .bind(new.message.channel.code())
        .bind(&new.message.recipient)
        .bind(&new.code_hash)
        .bind(new.tries)
        .bind(new.expires_at)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        enqueue_with(&mut *tx, &new.message).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes one guess from the chat's code `id`: `None` when the code is unknown, of another
    /// chat, used, expired or out of guesses. Atomic: parallel guesses never exceed the tries.
    pub async fn take_guess(
        &self,
        id: i64,
        chat_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Guess>> {
        type Row = (i64, String, String, String, String, i16);
        let row: Option<Row> = sqlx::query_as(
            "UPDATE one_time_codes SET tries_left = tries_left - 1
             WHERE id = $1 AND chat_id = $2 AND used_at IS NULL AND expires_at > $3
               AND tries_left > 0
             RETURNING account_id, purpose, channel, recipient, code_hash, tries_left",
        )
        .bind(id)
        .bind(chat_id)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        row.map(
            |(account, purpose, channel, recipient, code_hash, tries_left)| {
                Ok(Guess {
                    account: AccountId(account),
                    purpose: purpose_of(&purpose)?,
                    channel: code("one_time_codes.channel", &channel)?,
                    recipient,
                    code_hash,
                    tries_left,
                })
            },
        )
        .transpose()
    }

    /// Marks the code used; false when it was used already (the same code typed twice at once).
    pub async fn use_code(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE one_time_codes SET used_at = $2, code_hash = '' WHERE id = $1 AND used_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets codes created before `before` (used, expired or not).
    pub async fn purge_codes(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM one_time_codes WHERE created_at < $1")
            .bind(before)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

/// How long a code is good for, and how many guesses it allows.
pub const CODE_TTL: Duration = Duration::minutes(10);
pub const CODE_TRIES: i16 = 3;

fn purpose_of(s: &str) -> StoreResult<Purpose> {
    [
        Purpose::Link,
        Purpose::Recover,
        Purpose::StepUp,
        Purpose::NewEmail,
        Purpose::NewPhone,
    ]
    .into_iter()
    .find(|p| p.code() == s)
    .ok_or_else(|| StoreError::Corrupt(format!("one_time_codes.purpose {s:?}")))
}
