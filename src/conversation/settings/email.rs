//! A new email: first the holder again (step-up: the web password, or a code to the phone on
//! file), then the address typed twice, then a six-digit code sent to it. The old address is
//! told of the change.
//!
//! ```text
//! > [Изменить email]
//! < Подтвердите, что это вы… [Поделиться номером] [Получить код в SMS] [Отмена]
//! > /contact +79267771024
//! < Введите новый адрес электронной почты:
//! > petrova.anna@example.org
//! < Введите этот адрес ещё раз, чтобы не ошибиться:
//! > petrova.anna@example.org
//! < Мы отправили код подтверждения на petrova.anna@example.org. …
//! > 123456
//! < Email изменён: petrova.anna@example.org.
//! ```
//!
//! Codes live hashed in the store (`store::codes`); the dialogue keeps only the code's id.

use super::{Step as SettingsStep, blocked, load};
use crate::contact::Email;
use crate::conversation::codes::{self, Checked, NotSent, Target};
use crate::conversation::prove::{self, Outcome as Proof, ProveText};
use crate::conversation::{
    Btn, ChatCtx, Ctx, Event, Out, State, Turn, guard, say, stale_button, to_menu,
};
use crate::i18n::texts;
use crate::store::StoreError;
use crate::store::accounts::{Account, AccountId};
use crate::store::codes::Purpose;
use crate::store::outbox::{Channel, NewMessage};
use serde::{Deserialize, Serialize};

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
        /// The code is used up (wrong three times, or expired): the change starts over.
        CodeExhausted => "settings-email-code-exhausted",
        OtherAddress => "settings-email-other-address",
        Changed { email: String } => "settings-email-changed",
    }
}

/// What the email change waits for. `account` is the account being changed, chosen when the
/// change started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The holder proves it is them before anything changes.
    StepUp {
        account: i64,
        proof: prove::Step,
    },
    AskAddress {
        account: i64,
    },
    RepeatAddress {
        account: i64,
        email: Email,
    },
    /// The code sent to `email` (its id only).
    AskCode {
        account: i64,
        email: Email,
        code: i64,
    },
}

/// The outbox template of the message with the code.
pub const TEMPLATE: &str = "email-confirmation";
/// The outbox template of the notice to the old address.
pub const CHANGED_TEMPLATE: &str = "email-changed";

const OTHER: &str = "settings:email";

/// [Изменить email]: the step-up first.
pub fn start(ctx: &Ctx, account: &Account) -> Turn {
    step_up(account.id.0, prove::begin(ctx, account, Purpose::StepUp))
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    let account = match &state {
        Step::StepUp { account, .. }
        | Step::AskAddress { account }
        | Step::RepeatAddress { account, .. }
        | Step::AskCode { account, .. } => *account,
    };
    if let Some(refused) = blocked(chat, account) {
        return refused;
    }
    if let Step::StepUp { proof, .. } = state {
        let outcome = prove::step(ctx, chat, proof, Purpose::StepUp, event).await?;
        return step_up(account, outcome);
    }
    let text = match event {
        Event::Button(data) if data == OTHER => {
            return ask(EmailText::Ask, Step::AskAddress { account });
        }
        Event::Button(_) => return stale_button(),
        Event::Text(text) => text,
        _ => return ask(again(&state), state),
    };
    match state {
        Step::StepUp { .. } => stale_button(),
        Step::AskAddress { account } => address(ctx, account, &text).await,
        Step::RepeatAddress { account, email } => match Email::parse(&text) {
            Ok(repeated) if repeated == email => send_code(ctx, chat, account, email).await,
            _ => ask(EmailText::Mismatch, Step::AskAddress { account }),
        },
        Step::AskCode {
            account,
            email,
            code,
        } => check_code(ctx, chat, account, email, code, &text).await,
    }
}

fn step_up(account: i64, outcome: Proof) -> Turn {
    match outcome {
        Proof::Ask(proof, outs) => Ok((
            State::Settings(SettingsStep::Email(Step::StepUp { account, proof })),
            outs,
        )),
        Proof::Failed(mut outs) => {
            outs.push(Out::Menu);
            Ok((State::Menu, outs))
        }
        Proof::Proven { said, .. } => {
            let (state, outs) = ask(EmailText::Ask, Step::AskAddress { account })?;
            Ok((state, said.into_iter().chain(outs).collect()))
        }
    }
}

/// The code typed: right → saved; wrong → again, while guesses are left.
async fn check_code(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: i64,
    email: Email,
    code: i64,
    text: &str,
) -> Turn {
    let number = load(ctx, account).await?.number;
    match codes::check(ctx, chat, &number, code, text).await? {
        Checked::Right { .. } => save(ctx, account, email).await,
        Checked::Wrong { left } => ask(
            EmailText::CodeWrong { left },
            Step::AskCode {
                account,
                email,
                code,
            },
        ),
        Checked::NotACode => ask(
            EmailText::CodeFormat,
            Step::AskCode {
                account,
                email,
                code,
            },
        ),
        Checked::Gone => ask(EmailText::CodeExhausted, Step::AskAddress { account }),
        Checked::Locked(until) => to_menu(guard::locked_text(ctx, until)),
    }
}

/// What to ask again when the answer was not text.
fn again(state: &Step) -> EmailText {
    match state {
        Step::StepUp { .. } | Step::AskAddress { .. } => EmailText::Ask,
        Step::RepeatAddress { .. } => EmailText::Repeat,
        Step::AskCode { .. } => EmailText::CodeFormat,
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

/// Sends a fresh code to the new address (under the limits on codes) and waits for it.
async fn send_code(ctx: &Ctx, chat: &ChatCtx, account: i64, email: Email) -> Turn {
    let stored = load(ctx, account).await?;
    let target = Target {
        account: stored.id,
        number: &stored.number,
        purpose: Purpose::NewEmail,
        channel: Channel::Email,
        recipient: email.as_str(),
    };
    match codes::send(ctx, chat, target).await? {
        Ok(code) => {
            let text = EmailText::CodeSent {
                email: email.to_string(),
            };
            ask(
                text,
                Step::AskCode {
                    account,
                    email,
                    code,
                },
            )
        }
        Err(NotSent::Limited(until)) => to_menu(prove::codes_limited(ctx, until)),
        Err(NotSent::NoSms) => to_menu(ProveText::NoSms),
    }
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
    if matches!(state, Step::AskCode { .. }) {
        rows.push(vec![Btn::new(EmailText::OtherAddress, OTHER)]);
    }
    rows.push(vec![Btn::cancel()]);
    Ok((
        State::Settings(SettingsStep::Email(state)),
        vec![say(text).buttons(rows).into()],
    ))
}
