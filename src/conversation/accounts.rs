//! My accounts: the accounts linked to this chat, the current one marked; switch, link another
//! (registration: knowledge finds, possession links), renew a link after the credentials
//! changed, unlink; the other chats linked to the current account and «Отключить другие чаты».
//! A link that needs renewal shows its number only: no holder, no address.
//!
//! ```text
//! > [Мои лицевые счета]
//! < 7701000000024 · Петрова А. С.
//! < пр. Победы, д. 7, кв. 103
//! < Текущий счёт.
//! < 7701000000031 · Петрова А. С.
//! < Новоозёрский р-н, СНТ «Рассвет», уч. 118
//! < Выберите действие:
//! < [Сделать текущим 7701000000031] [Отключить 7701000000024] [Отключить 7701000000031] …
//! > [Сделать текущим 7701000000031]
//! < Готово: текущий лицевой счёт — 7701000000031.
//! ```
//!
//! Buttons name accounts by number, and every pressed number is checked against this chat's
//! own links: a forged button cannot reach another account.

mod others;
mod renew;
mod unlink;

pub use others::OthersText;
pub use renew::RenewText;
pub use unlink::UnlinkText;

use super::settings::load;
use super::{Btn, ChatCtx, Ctx, Event, Out, State, Turn, say, stale_button, to_menu};
use crate::billing::AccountNumber;
use crate::i18n::{Msg, texts};
use crate::store::chats::{self, Link};
use serde::{Deserialize, Serialize};

texts! {
    /// The list of accounts and switching between them.
    pub enum AccountsText {
        /// `status`: `current` or `other`.
        Card { account: AccountNumber, holder: String, address: String, status: String }
            => "accounts-card",
        /// A link that must be renewed: the number only.
        StaleCard { account: AccountNumber } => "accounts-stale-card",
        PickAction => "accounts-pick-action",
        UseButton { account: AccountNumber } => "accounts-use-button",
        RenewButton { account: AccountNumber } => "accounts-renew-button",
        UnlinkButton { account: AccountNumber } => "accounts-unlink-button",
        AddButton => "accounts-add-button",
        Switched { account: AccountNumber } => "accounts-switched",
        /// A button named an account this chat has no link to.
        NotLinked => "accounts-not-linked",
    }
}

/// One sample of every message of the section (for the locale tests).
pub fn samples() -> Vec<Msg> {
    let mut all: Vec<Msg> = AccountsText::samples().into_iter().map(Msg::from).collect();
    all.extend(RenewText::samples().into_iter().map(Msg::from));
    all.extend(OthersText::samples().into_iter().map(Msg::from));
    all.extend(UnlinkText::samples().into_iter().map(Msg::from));
    all
}

/// What the section waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A button of the list.
    List,
    /// «Да, отключить» for this account.
    ConfirmUnlink { account: AccountNumber },
    /// Possession of a linked account whose credentials changed.
    Renew(crate::conversation::prove::Step),
    /// «Да, отключить» other chats from the current account.
    ConfirmDisconnect,
}

/// Button data: `acc:<what>` or `acc:<what>:<account number>`, at most 27 bytes.
pub(crate) mod data {
    use crate::billing::AccountNumber;

    pub const USE: &str = "acc:use";
    pub const RENEW: &str = "acc:renew";
    pub const UNLINK: &str = "acc:off";
    pub const UNLINK_YES: &str = "acc:off-yes";
    pub const ADD: &str = "acc:add";
    pub const LIST: &str = "acc:list";
    pub const DISCONNECT: &str = "acc:others-off";
    pub const DISCONNECT_YES: &str = "acc:others-off-yes";

    /// The data of `action` on `account`.
    pub fn on(action: &str, account: &AccountNumber) -> String {
        format!("{action}:{account}")
    }

    /// The action and the account of pressed data; `None` when it names no valid number.
    pub fn parse(pressed: &str) -> Option<(&str, AccountNumber)> {
        let (action, number) = pressed.rsplit_once(':')?;
        Some((action, AccountNumber::parse(number).ok()?))
    }
}

pub async fn start(ctx: &Ctx, chat: &ChatCtx, _args: &str) -> Turn {
    list(ctx, chat).await
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    if let Event::Button(pressed) = &event
        && pressed == data::LIST
    {
        return list(ctx, chat).await;
    }
    match state {
        Step::List => match event {
            Event::Button(pressed) => button(ctx, chat, &pressed).await,
            _ => list(ctx, chat).await,
        },
        Step::ConfirmUnlink { account } => unlink::step(ctx, chat, account, event).await,
        Step::Renew(proof) => renew::step(ctx, chat, proof, event).await,
        Step::ConfirmDisconnect => others::step(ctx, chat, event).await,
    }
}

async fn button(ctx: &Ctx, chat: &ChatCtx, pressed: &str) -> Turn {
    if pressed == data::ADD {
        return crate::conversation::registration::start(ctx, chat, "").await;
    }
    if pressed == data::DISCONNECT {
        return others::confirm();
    }
    let Some((action, number)) = data::parse(pressed) else {
        return stale_button();
    };
    // Whatever the button says, only this chat's own links are acted on.
    let Some(link) = linked(chat, &number) else {
        return to_menu(AccountsText::NotLinked);
    };
    match action {
        data::USE | data::RENEW if link.needs_renewal() => renew::start(ctx, link).await,
        data::USE | data::RENEW => switch(ctx, chat, link).await,
        data::UNLINK => unlink::confirm(link),
        _ => stale_button(),
    }
}

/// Makes a linked account (whose link is valid) the current one.
async fn switch(ctx: &Ctx, chat: &ChatCtx, link: &Link) -> Turn {
    chat.touch();
    if !chats::set_current(ctx.store.pool(), chat.chat_id, link.account_id).await? {
        return to_menu(AccountsText::NotLinked);
    }
    to_menu(AccountsText::Switched {
        account: link.number.clone(),
    })
}

/// A card per linked account, then the actions.
pub async fn list(ctx: &Ctx, chat: &ChatCtx) -> Turn {
    if chat.links.is_empty() {
        return Ok((State::Menu, vec![Out::Menu]));
    }
    let mut outs: Vec<Out> = Vec::new();
    let mut uses = Vec::new();
    let mut unlinks = Vec::new();
    for link in &chat.links {
        let current = chat.current.as_ref() == Some(link);
        if link.needs_renewal() {
            outs.push(
                say(AccountsText::StaleCard {
                    account: link.number.clone(),
                })
                .into(),
            );
        } else {
            let account = load(ctx, link.account_id).await?;
            let status = if current { "current" } else { "other" };
            outs.push(
                say(AccountsText::Card {
                    account: link.number.clone(),
                    holder: short_name(&account.holder),
                    address: account.address,
                    status: status.to_owned(),
                })
                .into(),
            );
        }
        let number = link.number.clone();
        if link.needs_renewal() {
            uses.push(vec![Btn::new(
                AccountsText::RenewButton {
                    account: number.clone(),
                },
                data::on(data::RENEW, &number),
            )]);
        } else if !current {
            uses.push(vec![Btn::new(
                AccountsText::UseButton {
                    account: number.clone(),
                },
                data::on(data::USE, &number),
            )]);
        }
        unlinks.push(vec![Btn::new(
            AccountsText::UnlinkButton {
                account: number.clone(),
            },
            data::on(data::UNLINK, &number),
        )]);
    }
    let mut rows = uses;
    rows.extend(unlinks);
    if let Some(current) = &chat.current
        && let Some(card) = others::card(ctx, chat, current).await?
    {
        outs.push(card);
        rows.push(vec![Btn::new(
            OthersText::DisconnectButton,
            data::DISCONNECT,
        )]);
    }
    rows.push(vec![Btn::new(AccountsText::AddButton, data::ADD)]);
    rows.push(vec![Btn::menu()]);
    outs.push(say(AccountsText::PickAction).buttons(rows).into());
    Ok((State::Accounts(Step::List), outs))
}

/// This chat's link to `number`, if it has one.
fn linked<'a>(chat: &'a ChatCtx, number: &AccountNumber) -> Option<&'a Link> {
    chat.links.iter().find(|l| &l.number == number)
}

/// «Петрова Анна Сергеевна» → «Петрова А. С.»: the surname and the initials.
pub fn short_name(holder: &str) -> String {
    let mut words = holder.split_whitespace();
    let Some(surname) = words.next() else {
        return String::new();
    };
    let initials: Vec<String> = words
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect();
    if initials.is_empty() {
        surname.to_owned()
    } else {
        format!("{surname} {}", initials.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holders_are_shown_with_initials() {
        assert_eq!(short_name("Петрова Анна Сергеевна"), "Петрова А. С.");
        assert_eq!(short_name("  Ёлкина   мария фёдоровна "), "Ёлкина М. Ф.");
        assert_eq!(short_name("ООО"), "ООО");
        assert_eq!(short_name(""), "");
    }

    #[test]
    fn button_data_stays_within_telegram_limits() {
        let number = AccountNumber::parse("7701000000024").unwrap();
        let longest = data::on(data::UNLINK_YES, &number);
        assert!(longest.len() <= crate::conversation::MAX_BUTTON_DATA);
        assert_eq!(data::parse(&longest), Some((data::UNLINK_YES, number)));
        assert_eq!(data::parse("acc:use:12345"), None);
        assert_eq!(data::parse("acc:add"), None);
    }
}
