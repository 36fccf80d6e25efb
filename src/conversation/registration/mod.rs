//! Registration: payment code → full name (→ meter serial) find the account; possession links
//! it (`prove`: the shared contact equal to the phone on file, a code by SMS to that phone, or
//! the web password); then, where the account has none, an email. In one transaction the
//! missing contacts are filled in (a contact on file is never overwritten), web-cabinet
//! credentials created and queued for SMS / email (never shown in the chat) and the chat linked.
//!
//! ```text
//! > /register
//! < Регистрация. Введите платёжный код…
//! > 7701000000017
//! < Введите фамилию, имя и отчество владельца лицевого счёта…
//! > иванов иван иванович
//! < Подтвердите, что лицевой счёт ваш… [Поделиться номером] [Получить код в SMS] [Отмена]
//! > /contact +79031234517
//! < Спасибо, подтверждено.
//! < Напишите адрес электронной почты… [Пропустить] [Отмена]
//! > [Пропустить]
//! < Готово! Лицевой счёт 7701000000017 подключён к чату…
//! ```
//!
//! An account without a phone on file proves a new one instead (`phone`): the sender's own
//! shared contact, or a typed number and the code sent to it. A holder whose account already
//! has a web password is linked once possession is proved; no new credentials are made.

mod finish;
mod phone;

use super::identify::{self, Outcome};
use super::prove::{self, Outcome as Proof};
use super::{Btn, ChatCtx, Ctx, Event, Out, State, Turn, say, stale_button, to_menu};
use crate::billing::AccountNumber;
use crate::contact::{Email, Phone};
use crate::i18n::{Msg, texts};
use crate::store::accounts::Account;
use crate::store::chats;
use crate::store::codes::Purpose;
use serde::{Deserialize, Serialize};

texts! {
    /// What registration says (identification and the proof speak for themselves).
    pub enum RegText {
        Start => "reg-start",
        AskPhone => "reg-ask-phone",
        ShareButton => "reg-share-button",
        NotOwnContact => "reg-not-own-contact",
        BadPhone => "reg-bad-phone",
        NotMobile => "reg-not-mobile",
        PhoneCodeSent { phone: String } => "reg-phone-code-sent",
        PhoneAccepted { phone: String } => "reg-phone-accepted",
        AskEmail => "reg-ask-email",
        SkipButton => "reg-skip-button",
        BadEmail => "reg-bad-email",
        Done { account: AccountNumber, phone: String } => "reg-done",
        DoneWithEmail { account: AccountNumber, phone: String, email: String } => "reg-done-email",
        /// The account has a web password already: linked, nothing created.
        OnWeb { account: AccountNumber } => "reg-on-web",
        AlreadyLinked { account: AccountNumber } => "reg-already-linked",
    }
}

/// What registration waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Payment code, name, maybe a meter serial.
    Identify(identify::Step),
    /// Found: the proof of possession.
    Prove(prove::Step),
    /// No phone on file: the sender's own contact, or a typed number to send a code to.
    AskPhone { account: AccountNumber },
    /// The code sent to a typed number.
    PhoneCode {
        account: AccountNumber,
        phone: Phone,
        code: i64,
    },
    /// An email, or [Пропустить]. `phone` is a newly proved number to store.
    AskEmail {
        account: AccountNumber,
        phone: Option<Phone>,
    },
}

const SKIP: &str = "reg:skip";

/// `/register`, the menu item, «Подключить другой счёт», or a payment code in a deep link
/// (`args` prefills it).
pub async fn start(ctx: &Ctx, chat: &ChatCtx, args: &str) -> Turn {
    let outcome = identify::begin(ctx, chat, RegText::Start, args).await?;
    identification(ctx, chat, outcome).await
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    match (state, event) {
        (Step::Identify(s), Event::Text(text)) => {
            let outcome = identify::answer(ctx, chat, s, &text).await?;
            identification(ctx, chat, outcome).await
        }
        (Step::Identify(_), Event::Button(_)) => stale_button(),
        (Step::Identify(s), _) => identification(ctx, chat, identify::repeat(s)).await,

        (Step::Prove(s), event) => {
            let outcome = prove::step(ctx, chat, s, Purpose::Link, event).await?;
            proof(ctx, chat, outcome).await
        }
        (Step::AskPhone { account }, event) => phone::asked(ctx, chat, account, event).await,
        (
            Step::PhoneCode {
                account,
                phone,
                code,
            },
            event,
        ) => phone::code(ctx, chat, account, phone, code, event).await,

        (Step::AskEmail { account, phone }, Event::Button(data)) if data == SKIP => {
            finish::finish(ctx, chat, &account, phone.as_ref(), None).await
        }
        (Step::AskEmail { .. }, Event::Button(_)) => stale_button(),
        (Step::AskEmail { account, phone }, Event::Text(text)) => match Email::parse(&text) {
            Ok(email) => finish::finish(ctx, chat, &account, phone.as_ref(), Some(&email)).await,
            Err(_) => email_question(Step::AskEmail { account, phone }, RegText::BadEmail),
        },
        (s @ Step::AskEmail { .. }, _) => email_question(s, RegText::AskEmail),
    }
}

/// Continues after an identification answer.
async fn identification(ctx: &Ctx, chat: &ChatCtx, outcome: Outcome) -> Turn {
    match outcome {
        Outcome::Ask(s, outs) => Ok((State::Registration(Step::Identify(s)), outs)),
        Outcome::Failed(outs) => failed(outs),
        Outcome::Found(account) => found(ctx, chat, account).await,
    }
}

/// The account is found: already linked here, or possession next.
async fn found(ctx: &Ctx, chat: &ChatCtx, account: Account) -> Turn {
    if let Some(link) = chat.valid_link(account.id.0) {
        chats::set_current(ctx.store.pool(), chat.chat_id, link.account_id).await?;
        chat.touch();
        return to_menu(RegText::AlreadyLinked {
            account: account.number,
        });
    }
    if account.phone.is_none() && account.credential_hash.is_none() {
        return phone::ask(account.number, RegText::AskPhone);
    }
    proof(ctx, chat, prove::begin(ctx, &account, Purpose::Link)).await
}

/// Continues after an answer to the proof.
async fn proof(ctx: &Ctx, chat: &ChatCtx, outcome: Proof) -> Turn {
    match outcome {
        Proof::Ask(s, outs) => Ok((State::Registration(Step::Prove(s)), outs)),
        Proof::Failed(outs) => failed(outs),
        Proof::Proven { account, said } => proven(ctx, chat, account, None, said).await,
    }
}

/// Possession proved (`phone`: a number proved just now, where none was on file).
async fn proven(
    ctx: &Ctx,
    chat: &ChatCtx,
    account: Account,
    phone: Option<Phone>,
    said: Vec<Out>,
) -> Turn {
    let (state, outs) = if account.credential_hash.is_some() || account.email.is_some() {
        finish::finish(ctx, chat, &account.number, phone.as_ref(), None).await?
    } else {
        let step = Step::AskEmail {
            account: account.number,
            phone,
        };
        email_question(step, RegText::AskEmail)?
    };
    Ok((state, said.into_iter().chain(outs).collect()))
}

fn failed(mut outs: Vec<Out>) -> Turn {
    outs.push(Out::Menu);
    Ok((State::Menu, outs))
}

fn email_question(state: Step, text: impl Into<Msg>) -> Turn {
    let buttons = vec![
        vec![Btn::new(RegText::SkipButton, SKIP)],
        vec![Btn::cancel()],
    ];
    Ok((
        State::Registration(state),
        vec![say(text).buttons(buttons).into()],
    ))
}
