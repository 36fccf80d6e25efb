//! The limits that stop guessing and flooding, as the flows use them (the counting itself is
//! `store::limits`, atomic across processes).
//!
//! - **Identification** (every account number tried, wrong name, serial, password or code):
//!   per chat 8 in 15 minutes; per chat and account 5 in 15 minutes; per account 10 in an
//!   hour — except for a chat that already holds a valid link to the account, which a flood
//!   from other chats never locks out.
//! - **Codes sent** (SMS and emails): per account 3 in 15 minutes and 10 a day; per chat 5 an
//!   hour.
//! - **Password resets**: per account 1 in 15 minutes and 3 a day.

use super::identify::IdentText;
use super::{ChatCtx, Ctx, EngineError};
use crate::billing::AccountNumber;
use crate::store::limits::{Counter, Kind, Reserved, Scope};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Timelike, Utc};

type Result<T> = std::result::Result<T, EngineError>;

/// An attempt that was let through and counted; [`Attempt::succeeded`] takes it back.
#[must_use = "a successful attempt gives its places back"]
pub struct Attempt {
    ids: Vec<i64>,
}

impl Attempt {
    /// The attempt succeeded: it does not count as a failure.
    pub async fn succeeded(self, ctx: &Ctx) -> Result<()> {
        Ok(ctx.store.release(&self.ids).await?)
    }
}

/// Whether an attempt may go ahead.
pub enum Gate {
    Open(Attempt),
    /// Locked until then.
    Locked(DateTime<Utc>),
}

fn chat_counter(chat: &ChatCtx) -> Counter {
    Counter::new(
        Scope::Chat,
        chat.chat_id.to_string(),
        8,
        Duration::minutes(15),
    )
}

fn ident_counters(chat: &ChatCtx, account: &AccountNumber) -> Vec<Counter> {
    let mut counters = vec![
        chat_counter(chat),
        Counter::new(
            Scope::ChatAccount,
            format!("{}:{account}", chat.chat_id),
            5,
            Duration::minutes(15),
        ),
    ];
    // The holder's own chat keeps its way in, whatever others try.
    if !chat.holds_valid_link(account) {
        counters.push(Counter::new(
            Scope::Account,
            account.as_str(),
            10,
            Duration::hours(1),
        ));
    }
    counters
}

/// Until when the chat may not start an identification, if it may not now.
pub async fn chat_locked(ctx: &Ctx, chat: &ChatCtx) -> Result<Option<DateTime<Utc>>> {
    Ok(ctx
        .store
        .limited_until(Kind::Ident, &[chat_counter(chat)], ctx.now())
        .await?)
}

/// Until when the chat may not try `account`, if it may not now (nothing is counted).
pub async fn account_locked(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: &AccountNumber,
) -> Result<Option<DateTime<Utc>>> {
    Ok(ctx
        .store
        .limited_until(Kind::Ident, &ident_counters(chat, account), ctx.now())
        .await?)
}

/// An account number tried: it counts against the chat whatever comes of it.
pub async fn number_tried(ctx: &Ctx, chat: &ChatCtx) -> Result<Option<DateTime<Utc>>> {
    Ok(
        match ctx
            .store
            .reserve(Kind::Ident, &[chat_counter(chat)], ctx.now())
            .await?
        {
            Reserved::Granted(_) => None,
            Reserved::Limited { until } => Some(until),
        },
    )
}

/// Takes a place for one guess about `account` (a name, a serial, a password, a code) before
/// it is checked.
pub async fn try_account(ctx: &Ctx, chat: &ChatCtx, account: &AccountNumber) -> Result<Gate> {
    Ok(
        match ctx
            .store
            .reserve(Kind::Ident, &ident_counters(chat, account), ctx.now())
            .await?
        {
            Reserved::Granted(ids) => Gate::Open(Attempt { ids }),
            Reserved::Limited { until } => Gate::Locked(until),
        },
    )
}

fn code_counters(chat: &ChatCtx, account: &AccountNumber) -> Vec<Counter> {
    vec![
        Counter::new(Scope::Account, account.as_str(), 3, Duration::minutes(15)),
        Counter::new(Scope::Account, account.as_str(), 10, Duration::days(1)),
        Counter::new(Scope::Chat, chat.chat_id.to_string(), 5, Duration::hours(1)),
    ]
}

/// Counts a code about to be sent for `account`; `Some(until)` when none may be sent now.
pub async fn code_sent(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: &AccountNumber,
) -> Result<Option<DateTime<Utc>>> {
    Ok(
        match ctx
            .store
            .reserve(Kind::Code, &code_counters(chat, account), ctx.now())
            .await?
        {
            Reserved::Granted(_) => None,
            Reserved::Limited { until } => Some(until),
        },
    )
}

fn reset_counters(account: &AccountNumber) -> Vec<Counter> {
    vec![
        Counter::new(Scope::Account, account.as_str(), 1, Duration::minutes(15)),
        Counter::new(Scope::Account, account.as_str(), 3, Duration::days(1)),
    ]
}

/// Until when the account's password may not be reset again (nothing is counted).
pub async fn reset_locked(ctx: &Ctx, account: &AccountNumber) -> Result<Option<DateTime<Utc>>> {
    Ok(ctx
        .store
        .limited_until(Kind::Reset, &reset_counters(account), ctx.now())
        .await?)
}

/// Counts a password reset of `account`; `Some(until)` when it may not happen now.
pub async fn reset(ctx: &Ctx, account: &AccountNumber) -> Result<Option<DateTime<Utc>>> {
    Ok(
        match ctx
            .store
            .reserve(Kind::Reset, &reset_counters(account), ctx.now())
            .await?
        {
            Reserved::Granted(_) => None,
            Reserved::Limited { until } => Some(until),
        },
    )
}

/// When a limit lifts, as the chat is told: the local time rounded up to the minute, and the
/// date when it is not today.
pub fn lifts_at(ctx: &Ctx, until: DateTime<Utc>) -> (Option<NaiveDate>, NaiveTime) {
    let local = next_whole_minute(until.with_timezone(&ctx.settings.utc_offset));
    let date = local.date_naive();
    ((date != ctx.today()).then_some(date), local.time())
}

/// «Слишком много попыток. Попробуйте после 10:15», in the company's time zone.
pub fn locked_text(ctx: &Ctx, until: DateTime<Utc>) -> IdentText {
    match lifts_at(ctx, until) {
        (None, time) => IdentText::Locked { time },
        (Some(date), time) => IdentText::LockedOn { date, time },
    }
}

/// The lock is shown to the minute, rounded up: «after 10:15» must never be a moment early.
pub fn next_whole_minute(t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    match t.with_second(0).and_then(|t| t.with_nanosecond(0)) {
        Some(whole) if whole < t => whole + Duration::minutes(1),
        Some(whole) => whole,
        None => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_shown_to_the_next_whole_minute() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        assert_eq!(
            next_whole_minute(at("2026-11-20T10:14:37.5+03:00")),
            at("2026-11-20T10:15:00+03:00")
        );
        assert_eq!(
            next_whole_minute(at("2026-11-20T10:15:00+03:00")),
            at("2026-11-20T10:15:00+03:00")
        );
        assert_eq!(
            next_whole_minute(at("2026-11-20T23:59:01+03:00")),
            at("2026-11-21T00:00:00+03:00")
        );
    }
}
