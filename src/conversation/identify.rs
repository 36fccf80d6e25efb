//! Identification of an account's holder, shared by registration and access recovery:
//! payment code → full name → if the name does not match, the serial of a meter installed
//! on the account (one more chance). Each failure counts against the chat and the account;
//! too many lock identification for a while (`store::attempts`).
//!
//! ```text
//! > 7701000000017
//! < Введите фамилию, имя и отчество владельца лицевого счёта…
//! > Иванов Иван
//! < ФИО не совпадает с данными лицевого счёта… введите заводской номер счётчика…
//! > 353425345
//! (identified)
//! ```

use super::help::HelpText;
use super::{Btn, ChatCtx, Ctx, EngineError, Out, say};
use crate::billing::AccountNumber;
use crate::contact::FullName;
use crate::i18n::{Msg, texts};
use crate::store::accounts::Account;
use crate::store::attempts::AttemptLimit;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

texts! {
    /// What identification says, whichever flow it serves.
    pub enum IdentText {
        BadAccount => "ident-bad-account",
        UnknownAccount { account: AccountNumber } => "ident-unknown-account",
        AskName { account: AccountNumber } => "ident-ask-name",
        BadName => "ident-bad-name",
        /// The name did not match: the meter serial is the one more chance.
        AskSerial => "ident-ask-serial",
        BadSerial => "ident-bad-serial",
        WrongSerial => "ident-wrong-serial",
        /// The name did not match and the account has no installed meter to ask about.
        WrongName => "ident-wrong-name",
        /// Self-service identification is over: the office, with a passport.
        GoToOffice => "ident-go-to-office",
        Locked { time: NaiveTime } => "ident-locked",
        /// The lock lifts on another day (just after midnight).
        LockedOn { date: NaiveDate, time: NaiveTime } => "ident-locked-on",
    }
}

/// What identification waits for, with what it collected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The payment code.
    Account,
    /// The holder's full name.
    Name { account: AccountNumber },
    /// The name did not match: a meter serial is the last chance.
    Serial { account: AccountNumber },
}

/// Where an answer got identification.
pub enum Outcome {
    /// Still asking: the next step and what to say.
    Ask(Step, Vec<Out>),
    /// The holder proved who they are.
    Identified(Account),
    /// It cannot succeed here (too many attempts, or the last chance missed): what to say;
    /// the flow ends at the menu.
    Failed(Vec<Out>),
}

type Result<T> = std::result::Result<T, EngineError>;

/// The first question, led by the flow's own `intro` (which asks for the payment code).
/// A payment code in `args` (`/register 7701000000017`, a deep link) answers it at once.
pub async fn begin(
    ctx: &Ctx,
    chat: &ChatCtx,
    intro: impl Into<Msg>,
    args: &str,
) -> Result<Outcome> {
    if let Some(until) = locked(ctx, chat, None).await? {
        return Ok(Outcome::Failed(locked_with_office(ctx, until)));
    }
    match AccountNumber::parse(args) {
        Ok(account) => account_given(ctx, chat, account).await,
        Err(_) => Ok(Outcome::Ask(Step::Account, vec![question(intro)])),
    }
}

/// Handles a typed answer to `step`.
pub async fn answer(ctx: &Ctx, chat: &ChatCtx, step: Step, text: &str) -> Result<Outcome> {
    match step {
        Step::Account => match AccountNumber::parse(text) {
            Ok(account) => account_given(ctx, chat, account).await,
            Err(_) => Ok(ask(Step::Account, IdentText::BadAccount)),
        },
        Step::Name { account } => match FullName::parse(text) {
            Ok(name) => name_given(ctx, chat, account, name).await,
            Err(_) => Ok(ask(Step::Name { account }, IdentText::BadName)),
        },
        Step::Serial { account } => match SerialInput::parse(text) {
            Some(serial) => serial_given(ctx, chat, account, serial).await,
            None => Ok(ask(Step::Serial { account }, IdentText::BadSerial)),
        },
    }
}

/// Asks `step`'s question again (after a contact or another message it cannot take).
pub fn repeat(step: Step) -> Outcome {
    let text = match &step {
        Step::Account => IdentText::BadAccount,
        Step::Name { account } => IdentText::AskName {
            account: account.clone(),
        },
        Step::Serial { .. } => IdentText::AskSerial,
    };
    ask(step, text)
}

async fn account_given(ctx: &Ctx, chat: &ChatCtx, account: AccountNumber) -> Result<Outcome> {
    let Some(found) = ctx.store.account_by_number(&account).await? else {
        // Guessing numbers is an attack too: it counts against the chat.
        return failed(ctx, chat, None, || {
            ask(Step::Account, IdentText::UnknownAccount { account })
        })
        .await;
    };
    if let Some(until) = locked(ctx, chat, Some(&found.number)).await? {
        return Ok(Outcome::Failed(locked_with_office(ctx, until)));
    }
    Ok(ask(
        Step::Name {
            account: found.number.clone(),
        },
        IdentText::AskName {
            account: found.number,
        },
    ))
}

async fn name_given(
    ctx: &Ctx,
    chat: &ChatCtx,
    number: AccountNumber,
    name: FullName,
) -> Result<Outcome> {
    let account = match still_open(ctx, chat, &number).await? {
        Ok(account) => account,
        Err(outcome) => return Ok(outcome),
    };
    if name.matches(&account.holder) {
        return Ok(Outcome::Identified(account));
    }
    let has_meters = ctx
        .store
        .meters_of(account.id)
        .await?
        .iter()
        .any(|m| m.removed_on.is_none());
    failed(ctx, chat, Some(&number), || {
        if has_meters {
            ask(
                Step::Serial {
                    account: number.clone(),
                },
                IdentText::AskSerial,
            )
        } else {
            Outcome::Failed(with_office(IdentText::WrongName))
        }
    })
    .await
}

async fn serial_given(
    ctx: &Ctx,
    chat: &ChatCtx,
    number: AccountNumber,
    serial: SerialInput,
) -> Result<Outcome> {
    let account = match still_open(ctx, chat, &number).await? {
        Ok(account) => account,
        Err(outcome) => return Ok(outcome),
    };
    let installed = ctx.store.meters_of(account.id).await?;
    if installed
        .iter()
        .any(|m| m.removed_on.is_none() && serial.is(&m.serial))
    {
        return Ok(Outcome::Identified(account));
    }
    failed(ctx, chat, Some(&number), || {
        Outcome::Failed(with_office(IdentText::WrongSerial))
    })
    .await
}

/// Records a failure; says that identification is locked if this one locked it, otherwise
/// what `next` says.
async fn failed(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: Option<&AccountNumber>,
    next: impl FnOnce() -> Outcome,
) -> Result<Outcome> {
    ctx.store
        .record_identification_failure(chat.chat_id, account, ctx.now())
        .await?;
    match locked(ctx, chat, account).await? {
        Some(until) => Ok(Outcome::Failed(locked_with_office(ctx, until))),
        None => Ok(next()),
    }
}

/// The account as stored now (it is read again at each step: the state only keeps its number).
async fn current(ctx: &Ctx, number: &AccountNumber) -> Result<Option<Account>> {
    Ok(ctx.store.account_by_number(number).await?)
}

/// Before each later answer: the account must still exist and identification must not be
/// locked meanwhile (another chat may have locked the account).
async fn still_open(
    ctx: &Ctx,
    chat: &ChatCtx,
    number: &AccountNumber,
) -> Result<std::result::Result<Account, Outcome>> {
    let Some(account) = current(ctx, number).await? else {
        return Ok(Err(ask(
            Step::Account,
            IdentText::UnknownAccount {
                account: number.clone(),
            },
        )));
    };
    if let Some(until) = locked(ctx, chat, Some(number)).await? {
        return Ok(Err(Outcome::Failed(locked_with_office(ctx, until))));
    }
    Ok(Ok(account))
}

/// Until when identification is locked for the chat (and the account, when named).
pub async fn locked(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: Option<&AccountNumber>,
) -> Result<Option<DateTime<Utc>>> {
    Ok(ctx
        .store
        .identification_locked_until(chat.chat_id, account, ctx.now(), AttemptLimit::default())
        .await?)
}

/// «Слишком много попыток. Попробуйте после 10:15», in the company's time zone.
pub fn locked_message(ctx: &Ctx, until: DateTime<Utc>) -> IdentText {
    let local = next_whole_minute(until.with_timezone(&ctx.settings.utc_offset));
    let (date, time) = (local.date_naive(), local.time());
    if date == ctx.today() {
        IdentText::Locked { time }
    } else {
        IdentText::LockedOn { date, time }
    }
}

/// The lock is shown to the minute, rounded up: «after 10:15» must never be a moment early.
fn next_whole_minute(t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    match t.with_second(0).and_then(|t| t.with_nanosecond(0)) {
        Some(whole) if whole < t => whole + Duration::minutes(1),
        Some(whole) => whole,
        None => t,
    }
}

fn locked_with_office(ctx: &Ctx, until: DateTime<Utc>) -> Vec<Out> {
    with_office(locked_message(ctx, until))
}

/// `text`, then the advice to come to an office with a passport and the offices' addresses.
fn with_office(text: IdentText) -> Vec<Out> {
    vec![
        say(text).into(),
        say(IdentText::GoToOffice).into(),
        say(HelpText::Offices).into(),
    ]
}

fn ask(step: Step, text: impl Into<Msg>) -> Outcome {
    Outcome::Ask(step, vec![question(text)])
}

fn question(text: impl Into<Msg>) -> Out {
    say(text).buttons(vec![vec![Btn::cancel()]]).into()
}

/// A meter serial as typed: letters, digits and dashes; spaces and «№» ignored.
struct SerialInput(String);

impl SerialInput {
    fn parse(input: &str) -> Option<SerialInput> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '№')
            .collect();
        let ok =
            (1..=32).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        ok.then_some(SerialInput(s))
    }

    /// Letters on a meter's plate are read in either case.
    fn is(&self, serial: &str) -> bool {
        self.0.eq_ignore_ascii_case(serial)
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

    #[test]
    fn serials_ignore_spaces_the_number_sign_and_case() {
        let typed = SerialInput::parse(" № 353 425 345 ").unwrap();
        assert!(typed.is("353425345"));
        assert!(SerialInput::parse("ab-12").unwrap().is("AB-12"));
        assert!(SerialInput::parse("35342534'; --").is_none());
        assert!(SerialInput::parse("🙂").is_none());
        assert!(SerialInput::parse(&"1".repeat(33)).is_none());
    }
}
