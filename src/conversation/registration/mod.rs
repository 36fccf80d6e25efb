//! Registration: payment code → full name (→ meter serial) → phone → email; then, in one
//! transaction, the contacts are saved, web-cabinet credentials created and queued for SMS /
//! email (never shown in the chat) and the chat linked to the account.
//!
//! ```text
//! > /register
//! < Регистрация. Введите платёжный код…
//! > 7701000000017
//! < Введите фамилию, имя и отчество владельца лицевого счёта…
//! > иванов иван иванович
//! < Личность подтверждена. Нужен номер мобильного телефона…
//! < [Поделиться номером] [Отмена]
//! > /contact +79031234517
//! < Номер для SMS: +79031234517.
//! < Введите адрес электронной почты… [Пропустить] [Отмена]
//! > [Пропустить]
//! < Готово! Лицевой счёт 7701000000017 подключён к чату…
//! ```
//!
//! A holder whose account already has a web password is linked right after identification and
//! told to log in on the site with that password; no new credentials are made.

mod finish;

use super::identify::{self, Outcome};
use super::texts::CommonText;
use super::{Btn, ChatCtx, Ctx, Event, Out, ReplyKey, State, Turn, say, stale_button, to_menu};
use crate::billing::AccountNumber;
use crate::contact::{BadPhone, Email, Phone};
use crate::i18n::{Msg, texts};
use crate::store::accounts::Account;
use crate::store::chats;
use serde::{Deserialize, Serialize};

texts! {
    /// What registration says (identification speaks for itself: `identify::IdentText`).
    pub enum RegText {
        Start => "reg-start",
        AskPhone => "reg-ask-phone",
        ShareButton => "reg-share-button",
        NotOwnContact => "reg-not-own-contact",
        BadPhone => "reg-bad-phone",
        NotMobile => "reg-not-mobile",
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
    /// The holder is identified: a mobile phone (shared contact or typed).
    AskPhone { account: AccountNumber },
    /// An email, or [Пропустить].
    AskEmail {
        account: AccountNumber,
        phone: Phone,
    },
}

const SKIP: &str = "reg:skip";

/// `/register`, the menu item, or a payment code in a deep link (`args` prefills it).
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

        (
            Step::AskPhone { account },
            Event::Contact {
                owner_is_sender: false,
                ..
            },
        ) => ask_phone(account, RegText::NotOwnContact),
        (Step::AskPhone { account }, Event::Contact { phone, .. } | Event::Text(phone)) => {
            match Phone::parse(&phone) {
                Ok(phone) => ask_email(account, phone),
                Err(BadPhone::NotAPhone) => ask_phone(account, RegText::BadPhone),
                Err(BadPhone::NotMobile) => ask_phone(account, RegText::NotMobile),
            }
        }
        // Keep the phone keyboard up: leaving for the menu would strand it.
        (Step::AskPhone { account }, _) => ask_phone(account, RegText::AskPhone),

        (Step::AskEmail { account, phone }, Event::Button(data)) if data == SKIP => {
            finish::finish(ctx, chat, &account, &phone, None).await
        }
        (Step::AskEmail { .. }, Event::Button(_)) => stale_button(),
        (Step::AskEmail { account, phone }, Event::Text(text)) => match Email::parse(&text) {
            Ok(email) => finish::finish(ctx, chat, &account, &phone, Some(&email)).await,
            Err(_) => email_question(Step::AskEmail { account, phone }, RegText::BadEmail),
        },
        (s @ Step::AskEmail { .. }, _) => email_question(s, RegText::AskEmail),
    }
}

/// Continues after an identification answer.
async fn identification(ctx: &Ctx, chat: &ChatCtx, outcome: Outcome) -> Turn {
    match outcome {
        Outcome::Ask(s, outs) => Ok((State::Registration(Step::Identify(s)), outs)),
        Outcome::Failed(mut outs) => {
            outs.push(Out::Menu);
            Ok((State::Menu, outs))
        }
        Outcome::Identified(account) => identified(ctx, chat, account).await,
    }
}

/// The holder proved who they are: link at once if the web cabinet exists, else ask contacts.
async fn identified(ctx: &Ctx, chat: &ChatCtx, account: Account) -> Turn {
    let linked = chat
        .links
        .iter()
        .find(|l| l.account_id == account.id.0 && !l.needs_renewal());
    if linked.is_some() {
        chats::set_current(ctx.store.pool(), chat.chat_id, account.id.0).await?;
        return to_menu(RegText::AlreadyLinked {
            account: account.number,
        });
    }
    if account.credential_hash.is_some() {
        // Identification proves the holder as well as the password would: the link lasts
        // until the password changes, like one made by password.
        chats::link(
            ctx.store.pool(),
            chat.chat_id,
            account.id.0,
            Some(account.credential_epoch),
        )
        .await?;
        return to_menu(RegText::OnWeb {
            account: account.number,
        });
    }
    ask_phone(account.number, RegText::AskPhone)
}

fn ask_phone(account: AccountNumber, text: RegText) -> Turn {
    let keys = vec![
        vec![ReplyKey::phone(RegText::ShareButton)],
        vec![ReplyKey::text(CommonText::CancelButton)],
    ];
    Ok((
        State::Registration(Step::AskPhone { account }),
        vec![say(text).reply_keys(keys).into()],
    ))
}

fn ask_email(account: AccountNumber, phone: Phone) -> Turn {
    let accepted: Out = say(RegText::PhoneAccepted {
        phone: phone.to_string(),
    })
    .remove_keys()
    .into();
    let (state, mut outs) = email_question(Step::AskEmail { account, phone }, RegText::AskEmail)?;
    outs.insert(0, accepted);
    Ok((state, outs))
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
