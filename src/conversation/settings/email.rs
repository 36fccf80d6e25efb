//! A new email: typed twice, then proved by a six-digit code sent to it.
//!
//! ```text
//! > [Изменить email]
//! < Введите новый адрес электронной почты:
//! > petrova.anna@example.org
//! < Введите этот адрес ещё раз, чтобы не ошибиться:
//! > petrova.anna@example.org
//! < Мы отправили код подтверждения на petrova.anna@example.org. …
//! > 123456
//! < Email изменён: petrova.anna@example.org.
//! ```
//!
//! The code lives only in the dialogue state, so it dies with it (and after [`CODE_TTL`]). It is
//! kept as is: a hash of six digits would hide nothing from whoever can read the state.

use super::{Step as SettingsStep, blocked, load};
use crate::contact::Email;
use crate::conversation::{Btn, ChatCtx, Ctx, Event, State, Turn, say, stale_button, to_menu};
use crate::i18n::texts;
use crate::store::StoreError;
use crate::store::accounts::AccountId;
use crate::store::outbox::{Channel, NewMessage};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::rngs::OsRng;
use serde::{Deserialize, Serialize};
use std::fmt;

texts! {
    /// What the email change says.
    pub enum EmailText {
        Ask => "settings-email-ask",
        Bad => "settings-email-bad",
        Same => "settings-email-same",
        Repeat => "settings-email-repeat",
        Mismatch => "settings-email-mismatch",
        CodeSent { email: String } => "settings-email-code-sent",
        CodeFormat => "settings-email-code-format",
        CodeWrong { left: i64 } => "settings-email-code-wrong",
        /// Too many wrong codes: the change starts over.
        CodeExhausted => "settings-email-code-exhausted",
        CodeExpired { email: String } => "settings-email-code-expired",
        OtherAddress => "settings-email-other-address",
        Changed { email: String } => "settings-email-changed",
    }
}

/// What the email change waits for. `account` is the account being changed, chosen when the
/// change started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    AskAddress { account: i64 },
    RepeatAddress { account: i64, email: Email },
    AskCode(Sent),
}

/// A code sent to a new address, waiting to be typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sent {
    pub account: i64,
    pub email: Email,
    code: Code,
    pub sent_at: DateTime<Utc>,
    /// Wrong codes typed so far.
    pub wrong: u8,
}

/// How long a code is good for.
pub const CODE_TTL: Duration = Duration::minutes(30);
/// Wrong codes allowed before the change starts over.
pub const MAX_WRONG: u8 = 3;
/// The outbox template of the message with the code.
pub const TEMPLATE: &str = "email-confirmation";
/// The outbox template of the notice to the old address.
pub const CHANGED_TEMPLATE: &str = "email-changed";

const OTHER: &str = "settings:email";

/// A confirmation code: six digits. Kept out of debug output and logs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Code(String);

impl Code {
    fn generate() -> Code {
        Code(format!("{:06}", OsRng.gen_range(0..1_000_000u32)))
    }

    /// Six digits, spaces and dashes between them ignored (`123 456`, `123-456`).
    fn parse(input: &str) -> Option<Code> {
        let digits: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
            .collect();
        (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(Code(digits))
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code(***)")
    }
}

pub fn start(account: i64) -> Turn {
    ask(EmailText::Ask, Step::AskAddress { account })
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    let account = match &state {
        Step::AskAddress { account } | Step::RepeatAddress { account, .. } => *account,
        Step::AskCode(sent) => sent.account,
    };
    if let Some(refused) = blocked(chat, account) {
        return refused;
    }
    let text = match event {
        Event::Button(data) if data == OTHER => return start(account),
        Event::Button(_) => return stale_button(),
        Event::Text(text) => text,
        _ => return ask(again(&state), state),
    };
    match state {
        Step::AskAddress { account } => address(ctx, account, &text).await,
        Step::RepeatAddress { account, email } => match Email::parse(&text) {
            Ok(repeated) if repeated == email => send_code(ctx, chat, account, email, None).await,
            _ => ask(EmailText::Mismatch, Step::AskAddress { account }),
        },
        Step::AskCode(sent) => check_code(ctx, chat, sent, &text).await,
    }
}

/// The code typed: right → saved; wrong → again, until [`MAX_WRONG`]; too old → a new one.
async fn check_code(ctx: &Ctx, chat: &ChatCtx, mut sent: Sent, text: &str) -> Turn {
    let Some(typed) = Code::parse(text) else {
        return ask(EmailText::CodeFormat, Step::AskCode(sent));
    };
    if ctx.now() - sent.sent_at > CODE_TTL {
        let text = EmailText::CodeExpired {
            email: sent.email.to_string(),
        };
        return send_code(ctx, chat, sent.account, sent.email, Some(text)).await;
    }
    if typed != sent.code {
        sent.wrong += 1;
        if sent.wrong >= MAX_WRONG {
            let account = sent.account;
            return ask(EmailText::CodeExhausted, Step::AskAddress { account });
        }
        let left = i64::from(MAX_WRONG - sent.wrong);
        return ask(EmailText::CodeWrong { left }, Step::AskCode(sent));
    }
    save(ctx, sent.account, sent.email).await
}

/// What to ask again when the answer was not text.
fn again(state: &Step) -> EmailText {
    match state {
        Step::AskAddress { .. } => EmailText::Ask,
        Step::RepeatAddress { .. } => EmailText::Repeat,
        Step::AskCode(_) => EmailText::CodeFormat,
    }
}

async fn address(ctx: &Ctx, account: i64, text: &str) -> Turn {
    let Ok(email) = Email::parse(text) else {
        return ask(EmailText::Bad, Step::AskAddress { account });
    };
    let current = load(ctx, account).await?.email;
    if current.is_some_and(|c| c.eq_ignore_ascii_case(email.as_str())) {
        return ask(EmailText::Same, Step::AskAddress { account });
    }
    ask(EmailText::Repeat, Step::RepeatAddress { account, email })
}

/// Queues a fresh code to the new address and waits for it.
async fn send_code(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: i64,
    email: Email,
    text: Option<EmailText>,
) -> Turn {
    let number = load(ctx, account).await?.number;
    let code = Code::generate();
    ctx.store
        .enqueue(&NewMessage {
            channel: Channel::Email,
            recipient: email.to_string(),
            template: TEMPLATE.to_owned(),
            payload: serde_json::json!({
                "code": code.0,
                "account": number.as_str(),
                "lang": chat.lang.code(),
            }),
        })
        .await?;
    let text = text.unwrap_or(EmailText::CodeSent {
        email: email.to_string(),
    });
    let sent = Sent {
        account,
        email,
        code,
        sent_at: ctx.now(),
        wrong: 0,
    };
    ask(text, Step::AskCode(sent))
}

/// Stores the confirmed address and tells the old one, if any, that it was replaced.
async fn save(ctx: &Ctx, account: i64, email: Email) -> Turn {
    let before = load(ctx, account).await?;
    match ctx
        .store
        .set_email(AccountId(account), Some(email.as_str()))
        .await
    {
        Ok(()) => {}
        // The database is stricter than the parser: treat it as a bad address.
        Err(StoreError::Rejected { .. }) => {
            return ask(EmailText::Bad, Step::AskAddress { account });
        }
        Err(e) => return Err(e.into()),
    }
    if let Some(old) = before.email {
        ctx.store
            .enqueue(&NewMessage {
                channel: Channel::Email,
                recipient: old,
                template: CHANGED_TEMPLATE.to_owned(),
                payload: serde_json::json!({
                    "account": before.number.as_str(),
                    "new_email": crate::contact::mask_email(email.as_str()),
                }),
            })
            .await?;
    }
    to_menu(EmailText::Changed {
        email: email.to_string(),
    })
}

fn ask(text: impl Into<crate::i18n::Msg>, state: Step) -> Turn {
    let mut rows = Vec::new();
    if matches!(state, Step::AskCode(_)) {
        rows.push(vec![Btn::new(EmailText::OtherAddress, OTHER)]);
    }
    rows.push(vec![Btn::cancel()]);
    Ok((
        State::Settings(SettingsStep::Email(state)),
        vec![say(text).buttons(rows).into()],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_typed_with_spaces_or_dashes() {
        assert_eq!(Code::parse("123 456"), Some(Code("123456".into())));
        assert_eq!(Code::parse("123-456"), Some(Code("123456".into())));
        assert_eq!(Code::parse("12345"), None);
        assert_eq!(Code::parse("12345а"), None);
        assert_eq!(Code::parse("１２３４５６"), None);
        for _ in 0..20 {
            let code = Code::generate();
            assert_eq!(Code::parse(&code.0), Some(code));
        }
    }

    #[test]
    fn a_code_never_shows_in_debug_output() {
        assert_eq!(format!("{:?}", Code("123456".into())), "Code(***)");
    }
}
