//! Settings of the current account: its contacts (shown masked), a new email confirmed by a
//! code sent to it, a new web-cabinet password.
//!
//! ```text
//! > [Настройки]
//! < Настройки лицевого счёта 7701000000024:
//! < Email: a***a@example.com
//! < Телефон: +7 926 ***-**-24
//! < [Изменить email] [Изменить пароль] [Уведомления] [Меню]
//! ```
//!
//! A link made with a password that has changed since may not change settings until it is
//! renewed in «Мои лицевые счета»: otherwise whoever was cut off by the new password could
//! still redirect the account's email, the way back to the password.

pub mod email;
pub mod notices;
pub mod password;

use super::menu::{Item, MenuText};
use super::{Btn, ChatCtx, Ctx, Event, State, Turn, say, stale_button, to_menu};
use crate::billing::AccountNumber;
use crate::i18n::{Msg, texts};
use crate::store::accounts::{Account, AccountId};
use crate::store::chats::Link;
use serde::{Deserialize, Serialize};

texts! {
    /// What the settings section says around its two changes.
    pub enum SettingsText {
        /// `email` / `phone` are masked, or [`NONE`]; `password` is `set` or `unset`.
        Overview { account: AccountNumber, email: String, phone: String, password: String }
            => "settings-overview",
        EmailButton => "settings-email-button",
        PasswordButton => "settings-password-button",
        PickAction => "settings-pick-action",
        /// The chat's link must be renewed before settings change.
        RenewFirst { account: AccountNumber } => "settings-renew-first",
        /// The account is no longer linked to the chat (unlinked meanwhile).
        NotLinked => "settings-not-linked",
    }
}

/// The value of a contact the account has not got, for the select in `settings-overview`.
pub const NONE: &str = "none";

/// One sample of every message of the section (for the locale tests).
pub fn samples() -> Vec<Msg> {
    let mut all: Vec<Msg> = SettingsText::samples().into_iter().map(Msg::from).collect();
    all.extend(email::EmailText::samples().into_iter().map(Msg::from));
    all.extend(password::PasswordText::samples().into_iter().map(Msg::from));
    all.extend(notices::samples());
    all
}

/// What the settings section waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// One of the settings buttons.
    Choose {
        account: i64,
    },
    Email(email::Step),
    Password(password::Step),
    /// The notices list of the account (Настройки → Уведомления).
    Notices {
        account: i64,
    },
}

const EMAIL: &str = "settings:email";
const PASSWORD: &str = "settings:password";
const NOTICES: &str = "settings:notices";

pub async fn start(ctx: &Ctx, chat: &ChatCtx, _args: &str) -> Turn {
    let Some(link) = chat.current.as_ref() else {
        return to_menu(SettingsText::NotLinked);
    };
    if let Some(refused) = blocked(chat, link.account_id) {
        return refused;
    }
    let account = load(ctx, link.account_id).await?;
    let overview = SettingsText::Overview {
        account: account.number.clone(),
        email: account
            .email
            .as_deref()
            .map_or(NONE.to_owned(), crate::contact::mask_email),
        phone: account
            .phone
            .as_deref()
            .map_or(NONE.to_owned(), crate::contact::mask_phone),
        password: if account.credential_hash.is_some() {
            "set"
        } else {
            "unset"
        }
        .to_owned(),
    };
    choose(overview, link.account_id)
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    match state {
        Step::Choose { account } => {
            if let Some(refused) = blocked(chat, account) {
                return refused;
            }
            match event {
                Event::Button(data) if data == EMAIL => {
                    email::start(ctx, &load(ctx, account).await?)
                }
                Event::Button(data) if data == PASSWORD => {
                    password::start(ctx, chat, &load(ctx, account).await?).await
                }
                Event::Button(data) if data == NOTICES => notices::start(ctx, chat, account).await,
                Event::Button(_) => stale_button(),
                _ => choose(SettingsText::PickAction, account),
            }
        }
        Step::Email(step) => email::step(ctx, chat, step, event).await,
        Step::Password(step) => password::step(ctx, chat, step, event).await,
        Step::Notices { account } => notices::step(ctx, chat, account, event).await,
    }
}

fn choose(text: SettingsText, account: i64) -> Turn {
    let buttons = vec![
        vec![
            Btn::new(SettingsText::EmailButton, EMAIL),
            Btn::new(SettingsText::PasswordButton, PASSWORD),
        ],
        vec![Btn::new(notices::NoticesText::Button, NOTICES)],
        vec![Btn::menu()],
    ];
    Ok((
        State::Settings(Step::Choose { account }),
        vec![say(text).buttons(buttons).into()],
    ))
}

/// What to answer instead when the chat may not change the account's settings: it is no
/// longer linked, or its link awaits renewal after a password change. `None` when it may.
pub(super) fn blocked(chat: &ChatCtx, account: i64) -> Option<Turn> {
    let link: Option<&Link> = chat.links.iter().find(|l| l.account_id == account);
    match link {
        None => Some(to_menu(SettingsText::NotLinked)),
        Some(link) if link.needs_renewal() => {
            let text = SettingsText::RenewFirst {
                account: link.number.clone(),
            };
            let buttons = vec![vec![Btn::new(MenuText::Accounts, Item::Accounts.data())]];
            Some(Ok((
                State::Menu,
                vec![say(text).buttons(buttons).into(), super::Out::Menu],
            )))
        }
        Some(_) => None,
    }
}

/// The account behind a link. A link always has its account (a foreign key), so a missing
/// one is an internal error.
pub(super) async fn load(ctx: &Ctx, account: i64) -> Result<Account, super::EngineError> {
    ctx.store
        .account(AccountId(account))
        .await?
        .ok_or_else(|| super::EngineError::Internal(format!("linked account {account} is gone")))
}
