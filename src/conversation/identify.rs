//! Finding an account by what is printed on its receipt: payment code → full name → if the
//! name does not match, the serial of a meter installed on the account (one more chance).
//! **Knowledge only finds**: the flows then ask for possession (`prove`) before they link,
//! reset or change anything.
//!
//! An unknown number and a wrong name get the very same answer and the same next question, so
//! the bot never tells which accounts exist or what they have. Every number tried counts
//! against the chat, every wrong name or serial against the chat and the account (`guard`).
//!
//! ```text
//! > 7701000000017
//! < Лицевой счёт 7701000000017. Введите фамилию, имя и отчество владельца…
//! > Иванов Иван
//! < ФИО не совпадает с данными лицевого счёта… введите заводской номер счётчика…
//! > 353425345
//! (found)
//! ```

use super::guard::{self, Gate};
use super::prove::office;
use super::{Btn, ChatCtx, Ctx, EngineError, Out, say};
use crate::billing::AccountNumber;
use crate::contact::FullName;
use crate::i18n::{Msg, texts};
use crate::store::accounts::Account;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

texts! {
    /// What identification says, whichever flow it serves.
    pub enum IdentText {
        BadAccount => "ident-bad-account",
        AskName { account: AccountNumber } => "ident-ask-name",
        BadName => "ident-bad-name",
        /// The name did not match (or the number is unknown): the meter serial is the one
        /// more chance.
        AskSerial => "ident-ask-serial",
        BadSerial => "ident-bad-serial",
        WrongSerial => "ident-wrong-serial",
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
    /// The account is found by what its holder knows (not yet proved: see `prove`).
    Found(Account),
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
    if let Some(until) = guard::chat_locked(ctx, chat).await? {
        return Ok(locked(ctx, until));
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

/// Any well-formed number gets the name question: whether it exists is not said.
async fn account_given(ctx: &Ctx, chat: &ChatCtx, account: AccountNumber) -> Result<Outcome> {
    if let Some(until) = guard::number_tried(ctx, chat).await? {
        return Ok(locked(ctx, until));
    }
    if let Some(until) = guard::account_locked(ctx, chat, &account).await? {
        return Ok(locked(ctx, until));
    }
    Ok(ask(
        Step::Name {
            account: account.clone(),
        },
        IdentText::AskName { account },
    ))
}

async fn name_given(
    ctx: &Ctx,
    chat: &ChatCtx,
    number: AccountNumber,
    name: FullName,
) -> Result<Outcome> {
    let attempt = match guard::try_account(ctx, chat, &number).await? {
        Gate::Open(attempt) => attempt,
        Gate::Locked(until) => return Ok(locked(ctx, until)),
    };
    let account = ctx.store.account_by_number(&number).await?;
    if let Some(account) = account.filter(|a| name.matches(&a.holder)) {
        attempt.succeeded(ctx).await?;
        return Ok(Outcome::Found(account));
    }
    // An unknown number, an account without meters: the same question as for any mismatch.
    Ok(ask(Step::Serial { account: number }, IdentText::AskSerial))
}

async fn serial_given(
    ctx: &Ctx,
    chat: &ChatCtx,
    number: AccountNumber,
    serial: SerialInput,
) -> Result<Outcome> {
    let attempt = match guard::try_account(ctx, chat, &number).await? {
        Gate::Open(attempt) => attempt,
        Gate::Locked(until) => return Ok(locked(ctx, until)),
    };
    if let Some(account) = ctx.store.account_by_number(&number).await? {
        let installed = ctx.store.meters_of(account.id).await?;
        if installed
            .iter()
            .any(|m| m.removed_on.is_none() && serial.is(&m.serial))
        {
            attempt.succeeded(ctx).await?;
            return Ok(Outcome::Found(account));
        }
    }
    Ok(Outcome::Failed(office(ctx, IdentText::WrongSerial)))
}

fn locked(ctx: &Ctx, until: DateTime<Utc>) -> Outcome {
    Outcome::Failed(office(ctx, guard::locked_text(ctx, until)))
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
    fn serials_ignore_spaces_the_number_sign_and_case() {
        let typed = SerialInput::parse(" № 353 425 345 ").unwrap();
        assert!(typed.is("353425345"));
        assert!(SerialInput::parse("ab-12").unwrap().is("AB-12"));
        assert!(SerialInput::parse("35342534'; --").is_none());
        assert!(SerialInput::parse("🙂").is_none());
        assert!(SerialInput::parse(&"1".repeat(33)).is_none());
    }
}
