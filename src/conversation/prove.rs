//! Proving possession of an account that knowledge has found: **knowledge finds, possession
//! links**. The ways, as the account allows:
//!
//! - the Telegram «Поделиться номером» contact of the sender, equal to the phone on file —
//!   proof at once (Telegram has verified that number);
//! - a one-time code by SMS to the phone on file (6 digits, 10 minutes, 3 guesses);
//! - the web-cabinet password, where the purpose allows it (not for recovery, which is for
//!   those who lost it).
//!
//! ```text
//! < Подтвердите, что лицевой счёт ваш. Номер телефона в договоре: +7 903 ***-**-17. …
//! < [Поделиться номером] [Получить код в SMS] [Отмена]
//! > [Получить код в SMS]
//! < [SMS → +7 903 ***-**-17] Код подтверждения: 482913 …
//! < Код отправлен в SMS на номер +7 903 ***-**-17. Введите его:
//! > 482913
//! (proven)
//! ```
//!
//! Every wrong contact, password or code counts against the chat and the account (`guard`).

use super::codes::{self, Checked, NotSent, Target};
use super::guard::{self, Gate};
use super::identify::IdentText;
use super::texts::CommonText;
use super::{ChatCtx, Ctx, EngineError, Event, Out, ReplyKey, delivery, say};
use crate::billing::AccountNumber;
use crate::contact::{Phone, mask_phone};
use crate::i18n::{Msg, texts};
use crate::store::accounts::Account;
use crate::store::codes::Purpose;
use crate::store::outbox::Channel;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

texts! {
    /// What proving possession says.
    pub enum ProveText {
        /// `phone`: the masked phone on file, or `none`; `password`: `yes` when the web
        /// password is accepted here.
        Choose { phone: String, password: String } => "prove-choose",
        ShareButton => "prove-share-button",
        CodeButton => "prove-code-button",
        CodeSent { phone: String } => "prove-code-sent",
        CodeFormat => "prove-code-format",
        CodeWrong { left: i64 } => "prove-code-wrong",
        /// Expired, used or out of guesses: ask for a new one.
        CodeGone => "prove-code-gone",
        ContactMismatch => "prove-contact-mismatch",
        NotOwnContact => "prove-not-own-contact",
        WrongPassword => "prove-wrong-password",
        CodesLimited { time: NaiveTime } => "prove-codes-limited",
        CodesLimitedOn { date: NaiveDate, time: NaiveTime } => "prove-codes-limited-on",
        /// No SMS gateway is configured: a code cannot be sent.
        NoSms => "prove-no-sms",
        /// Neither a phone nor (where it counts) a password on file: only the office can help.
        NoWay => "prove-no-way",
        Proven => "prove-proven",
    }
}

/// What proving waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A way: the shared contact, [Получить код в SMS], or the password.
    Choose { account: AccountNumber },
    /// The code sent (its id; the code itself is never kept here).
    Code { account: AccountNumber, code: i64 },
}

impl Step {
    pub fn account(&self) -> &AccountNumber {
        match self {
            Step::Choose { account } | Step::Code { account, .. } => account,
        }
    }
}

/// Where an answer got the proof.
pub enum Outcome {
    Ask(Step, Vec<Out>),
    /// Possession proved; the flow goes on after `said` (which takes the reply keyboard away).
    Proven {
        account: Account,
        said: Vec<Out>,
    },
    /// It cannot succeed here: what to say; the flow ends at the menu.
    Failed(Vec<Out>),
}

type Result<T> = std::result::Result<T, EngineError>;

/// The first question for `account`, found by knowledge.
pub fn begin(ctx: &Ctx, account: &Account, purpose: Purpose) -> Outcome {
    let (phone, password) = ways(account, purpose);
    if phone.is_none() && !password {
        return Outcome::Failed(office(ctx, ProveText::NoWay));
    }
    choose(account, purpose, None)
}

/// Handles an answer to `step`.
pub async fn step(
    ctx: &Ctx,
    chat: &ChatCtx,
    step: Step,
    purpose: Purpose,
    event: Event,
) -> Result<Outcome> {
    let Some(account) = ctx.store.account_by_number(step.account()).await? else {
        // Closed by an operator meanwhile.
        return Ok(Outcome::Failed(office(ctx, ProveText::NoWay)));
    };
    match event {
        Event::Contact {
            owner_is_sender: false,
            ..
        } => Ok(again(&account, purpose, step, ProveText::NotOwnContact)),
        Event::Contact { phone, .. } => contact(ctx, chat, account, purpose, step, &phone).await,
        Event::Text(text) if ctx.is_label(&text, ProveText::CodeButton) => {
            send_code(ctx, chat, &account, purpose, step).await
        }
        Event::Text(text) => match step {
            Step::Code { code, .. } => typed_code(ctx, chat, account, purpose, code, &text).await,
            Step::Choose { .. } if ways(&account, purpose).1 => {
                password(ctx, chat, account, purpose, &text).await
            }
            Step::Choose { .. } => Ok(choose(&account, purpose, None)),
        },
        _ => {
            let text = match step {
                Step::Code { .. } => ProveText::CodeFormat,
                Step::Choose { .. } => return Ok(choose(&account, purpose, None)),
            };
            Ok(again(&account, purpose, step, text))
        }
    }
}

fn proven(account: Account) -> Outcome {
    Outcome::Proven {
        account,
        said: vec![say(ProveText::Proven).remove_keys().into()],
    }
}

/// The phone on file (where codes go) and whether a typed password counts, for `purpose`.
fn ways(account: &Account, purpose: Purpose) -> (Option<&str>, bool) {
    let password = account.credential_hash.is_some() && purpose != Purpose::Recover;
    (account.phone.as_deref(), password)
}

async fn contact(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: Account,
    purpose: Purpose,
    step: Step,
    shared: &str,
) -> Result<Outcome> {
    let matches = match (Phone::parse(shared), account.phone.as_deref()) {
        (Ok(shared), Some(on_file)) => shared.as_str() == on_file,
        _ => false,
    };
    let attempt = match guard::try_account(ctx, chat, &account.number).await? {
        Gate::Open(attempt) => attempt,
        Gate::Locked(until) => return Ok(locked(ctx, until)),
    };
    if matches {
        attempt.succeeded(ctx).await?;
        return Ok(proven(account));
    }
    Ok(again(&account, purpose, step, ProveText::ContactMismatch))
}

/// What a typed web password turned out to be.
pub enum Verdict {
    Right,
    Wrong,
    Locked(DateTime<Utc>),
}

/// Checks a typed web password of `account` under the identification limits. An account
/// without a password never matches.
pub async fn check_password(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: &Account,
    typed: &str,
) -> Result<Verdict> {
    let attempt = match guard::try_account(ctx, chat, &account.number).await? {
        Gate::Open(attempt) => attempt,
        Gate::Locked(until) => return Ok(Verdict::Locked(until)),
    };
    let right = match &account.credential_hash {
        Some(hash) => delivery::verify(typed, hash).await?,
        None => false,
    };
    if right {
        attempt.succeeded(ctx).await?;
        return Ok(Verdict::Right);
    }
    Ok(Verdict::Wrong)
}

async fn password(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: Account,
    purpose: Purpose,
    typed: &str,
) -> Result<Outcome> {
    match check_password(ctx, chat, &account, typed).await? {
        Verdict::Right => return Ok(forget(proven(account))),
        Verdict::Locked(until) => return Ok(forget(locked(ctx, until))),
        Verdict::Wrong => {}
    }
    let step = Step::Choose {
        account: account.number.clone(),
    };
    Ok(forget(again(
        &account,
        purpose,
        step,
        ProveText::WrongPassword,
    )))
}

async fn send_code(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: &Account,
    purpose: Purpose,
    step: Step,
) -> Result<Outcome> {
    let Some(phone) = account.phone.as_deref() else {
        return Ok(choose(account, purpose, None));
    };
    let target = Target {
        account: account.id,
        number: &account.number,
        purpose,
        channel: Channel::Sms,
        recipient: phone,
    };
    match codes::send(ctx, chat, target).await? {
        Ok(code) => {
            let step = Step::Code {
                account: account.number.clone(),
                code,
            };
            let text = ProveText::CodeSent {
                phone: mask_phone(phone),
            };
            Ok(again(account, purpose, step, text))
        }
        Err(NotSent::NoSms) => Ok(again(account, purpose, step, ProveText::NoSms)),
        Err(NotSent::Limited(until)) => {
            let text = codes_limited(ctx, until);
            Ok(again(account, purpose, step, text))
        }
    }
}

async fn typed_code(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: Account,
    purpose: Purpose,
    code: i64,
    typed: &str,
) -> Result<Outcome> {
    let step = Step::Code {
        account: account.number.clone(),
        code,
    };
    Ok(
        match codes::check(ctx, chat, &account.number, code, typed).await? {
            Checked::Right { .. } => proven(account),
            Checked::Wrong { left } => {
                again(&account, purpose, step, ProveText::CodeWrong { left })
            }
            Checked::NotACode => again(&account, purpose, step, ProveText::CodeFormat),
            Checked::Gone => choose(&account, purpose, Some(ProveText::CodeGone)),
            Checked::Locked(until) => locked(ctx, until),
        },
    )
}

/// «Подтвердите, что лицевой счёт ваш…» with the ways the account has, led by `note`.
fn choose(account: &Account, purpose: Purpose, note: Option<ProveText>) -> Outcome {
    let step = Step::Choose {
        account: account.number.clone(),
    };
    let (phone, password) = ways(account, purpose);
    let text = ProveText::Choose {
        phone: phone.map_or_else(|| "none".to_owned(), mask_phone),
        password: if password { "yes" } else { "no" }.to_owned(),
    };
    let mut outs: Vec<Out> = note.map(|n| say(n).into()).into_iter().collect();
    outs.push(say(text).reply_keys(keys(phone.is_some())).into());
    Outcome::Ask(step, outs)
}

/// Asks again at `step` with `text` in front of the same keyboard.
fn again(account: &Account, purpose: Purpose, step: Step, text: impl Into<Msg>) -> Outcome {
    let (phone, _) = ways(account, purpose);
    Outcome::Ask(
        step,
        vec![say(text).reply_keys(keys(phone.is_some())).into()],
    )
}

fn keys(phone: bool) -> Vec<Vec<ReplyKey>> {
    let mut rows = Vec::new();
    if phone {
        rows.push(vec![ReplyKey::phone(ProveText::ShareButton)]);
        rows.push(vec![ReplyKey::text(ProveText::CodeButton)]);
    }
    rows.push(vec![ReplyKey::text(CommonText::CancelButton)]);
    rows
}

/// A typed password is deleted from the chat whatever came of it.
fn forget(mut outcome: Outcome) -> Outcome {
    match &mut outcome {
        Outcome::Ask(_, outs) | Outcome::Failed(outs) | Outcome::Proven { said: outs, .. } => {
            outs.insert(0, Out::ForgetInput);
        }
    }
    outcome
}

fn locked(ctx: &Ctx, until: DateTime<Utc>) -> Outcome {
    Outcome::Failed(office(ctx, guard::locked_text(ctx, until)))
}

/// «Коды уже отправлялись несколько раз. Следующий можно получить после …».
pub fn codes_limited(ctx: &Ctx, until: DateTime<Utc>) -> ProveText {
    match guard::lifts_at(ctx, until) {
        (None, time) => ProveText::CodesLimited { time },
        (Some(date), time) => ProveText::CodesLimitedOn { date, time },
    }
}

/// `text`, the office advice and the offices; the reply keyboard goes away.
pub fn office(ctx: &Ctx, text: impl Into<Msg>) -> Vec<Out> {
    vec![
        say(text).remove_keys().into(),
        say(IdentText::GoToOffice).into(),
        say(super::help::offices(ctx)).into(),
    ]
}
