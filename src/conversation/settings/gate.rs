//! Checking a web-cabinet password typed in a chat, under the identification attempt limit
//! (failures per chat and per account, as for registration and login).

use crate::billing::AccountNumber;
use crate::conversation::{Ctx, EngineError};
use crate::credentials::{hash_password, verify_password};
use crate::store::accounts::Account;
use crate::store::attempts::AttemptLimit;
use chrono::{DateTime, Duration, NaiveTime, Timelike, Utc};

/// What a typed password turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Right,
    Wrong,
    /// Too many failures: no password is checked until this local time.
    Locked {
        until: NaiveTime,
    },
}

/// Whether this chat or (when named) this account is locked out now, and until when
/// (local time).
pub async fn locked(
    ctx: &Ctx,
    chat_id: i64,
    account: Option<&AccountNumber>,
) -> Result<Option<NaiveTime>, EngineError> {
    let until = ctx
        .store
        .identification_locked_until(chat_id, account, ctx.now(), AttemptLimit::default())
        .await?;
    Ok(until.map(|u| local_time(ctx, u)))
}

/// Counts a failed identification (a wrong password, an unknown account number) against the
/// chat and, when named, the account; says until when they are now locked, if they are.
pub async fn fail(
    ctx: &Ctx,
    chat_id: i64,
    account: Option<&AccountNumber>,
) -> Result<Option<NaiveTime>, EngineError> {
    ctx.store
        .record_identification_failure(chat_id, account, ctx.now())
        .await?;
    locked(ctx, chat_id, account).await
}

/// Checks `password` against the account's stored hash. A wrong one counts as a failed
/// identification of the chat and of the account; the limit is checked before and after,
/// so a locked account is not even tried. An account without a password never matches.
pub async fn check(
    ctx: &Ctx,
    chat_id: i64,
    account: &Account,
    password: String,
) -> Result<Verdict, EngineError> {
    if let Some(until) = locked(ctx, chat_id, Some(&account.number)).await? {
        return Ok(Verdict::Locked { until });
    }
    let right = match &account.credential_hash {
        Some(hash) => verify(password, hash.clone()).await?,
        None => false,
    };
    if right {
        return Ok(Verdict::Right);
    }
    Ok(match fail(ctx, chat_id, Some(&account.number)).await? {
        Some(until) => Verdict::Locked { until },
        None => Verdict::Wrong,
    })
}

/// Argon2 verification on a blocking thread: it is deliberately slow.
pub async fn verify(password: String, hash: String) -> Result<bool, EngineError> {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| EngineError::Internal(format!("password check: {e}")))
}

/// Argon2 hashing on a blocking thread.
pub async fn hash(password: String) -> Result<String, EngineError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| EngineError::Internal(format!("password hashing: {e}")))?
        .map_err(|e| EngineError::Internal(e.to_string()))
}

/// The local time of `at`, rounded up to the minute: "after 10:16" must not be a minute early.
fn local_time(ctx: &Ctx, at: DateTime<Utc>) -> NaiveTime {
    let time = at.with_timezone(&ctx.settings.utc_offset).time();
    let minute = time.with_second(0).and_then(|t| t.with_nanosecond(0));
    match minute {
        Some(m) if m != time => m + Duration::minutes(1),
        Some(m) => m,
        None => time,
    }
}
