//! One-time codes as the flows use them: generate six digits, store their hash and queue the
//! message in one go (under the limits on codes sent), and check a typed code.
//!
//! The code itself lives only in the outbox message until it is delivered; the dialogue state
//! keeps the code's id, never the code or its hash.

use super::guard::{self, Gate};
use super::{ChatCtx, Ctx, EngineError, delivery};
use crate::billing::AccountNumber;
use crate::store::accounts::AccountId;
use crate::store::codes::{CODE_TRIES, CODE_TTL, NewCode, Purpose};
use crate::store::outbox::{Channel, NewMessage};
use chrono::{DateTime, Utc};
use rand::Rng;
use rand::rngs::OsRng;

type Result<T> = std::result::Result<T, EngineError>;

/// Outbox templates of the messages that carry a code.
pub mod templates {
    /// An SMS with a code: `{"code", "account", "lang"}`.
    pub const SMS_CODE: &str = crate::outbox::templates::names::ONE_TIME_CODE;
    /// An email with a code: `{"code", "account", "lang"}`.
    pub const EMAIL_CODE: &str = crate::conversation::settings::email::TEMPLATE;
}

/// Why no code was sent.
pub enum NotSent {
    /// Too many codes lately: the next one after this.
    Limited(DateTime<Utc>),
    /// SMS cannot leave this installation (no gateway configured).
    NoSms,
}

/// Where a code goes and what it is for.
pub struct Target<'a> {
    pub account: AccountId,
    pub number: &'a AccountNumber,
    pub purpose: Purpose,
    pub channel: Channel,
    pub recipient: &'a str,
}

/// Sends a fresh code; returns its id, which the dialogue keeps.
pub async fn send(
    ctx: &Ctx,
    chat: &ChatCtx,
    target: Target<'_>,
) -> Result<std::result::Result<i64, NotSent>> {
    if target.channel == Channel::Sms && !ctx.settings.sms_delivers {
        return Ok(Err(NotSent::NoSms));
    }
    if let Some(until) = guard::code_sent(ctx, chat, target.number).await? {
        return Ok(Err(NotSent::Limited(until)));
    }
    let code = format!("{:06}", OsRng.gen_range(0..1_000_000u32));
    let template = match target.channel {
        Channel::Email => templates::EMAIL_CODE,
        _ => templates::SMS_CODE,
    };
    let new = NewCode {
        chat_id: chat.chat_id,
        account: target.account,
        purpose: target.purpose,
        code_hash: delivery::hash(&code).await?,
        tries: CODE_TRIES,
        expires_at: ctx.now() + CODE_TTL,
        message: NewMessage {
            channel: target.channel,
            recipient: target.recipient.to_owned(),
            template: template.to_owned(),
            payload: serde_json::json!({
                "code": code,
                "account": target.number.as_str(),
                "lang": chat.lang.code(),
            }),
        },
    };
    Ok(Ok(ctx.store.issue_code(&new, ctx.now()).await?))
}

/// What a typed code turned out to be.
pub enum Checked {
    /// Right: the code is used up; `recipient` is the contact it proved.
    Right { recipient: String },
    /// Wrong, with guesses left.
    Wrong { left: i64 },
    /// Not a code (not six digits): nothing counted.
    NotACode,
    /// Expired, used, out of guesses (this was the last), or the account is locked.
    Gone,
    /// Too many failures: locked until then.
    Locked(DateTime<Utc>),
}

/// Checks `typed` against the chat's code `id` for `account`. A wrong code counts as a failed
/// identification too.
pub async fn check(
    ctx: &Ctx,
    chat: &ChatCtx,
    number: &AccountNumber,
    id: i64,
    typed: &str,
) -> Result<Checked> {
    let Some(typed) = parse(typed) else {
        return Ok(Checked::NotACode);
    };
    let attempt = match guard::try_account(ctx, chat, number).await? {
        Gate::Open(attempt) => attempt,
        Gate::Locked(until) => return Ok(Checked::Locked(until)),
    };
    let Some(guess) = ctx.store.take_guess(id, chat.chat_id, ctx.now()).await? else {
        attempt.succeeded(ctx).await?;
        return Ok(Checked::Gone);
    };
    if delivery::verify(&typed, &guess.code_hash).await? {
        attempt.succeeded(ctx).await?;
        if !ctx.store.use_code(id, ctx.now()).await? {
            return Ok(Checked::Gone);
        }
        return Ok(Checked::Right {
            recipient: guess.recipient,
        });
    }
    Ok(match guess.tries_left {
        0 => Checked::Gone,
        left => Checked::Wrong {
            left: i64::from(left),
        },
    })
}

/// Six digits, spaces and dashes between them ignored (`123 456`, `123-456`).
pub fn parse(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
        .collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_typed_with_spaces_or_dashes() {
        assert_eq!(parse("123 456").as_deref(), Some("123456"));
        assert_eq!(parse("123-456").as_deref(), Some("123456"));
        assert_eq!(parse("12345"), None);
        assert_eq!(parse("12345а"), None);
        assert_eq!(parse("１２３４５６"), None);
    }
}
