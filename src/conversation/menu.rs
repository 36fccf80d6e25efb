//! The main menu: the sections a chat can open, and what the bot says at the menu.

use super::{
    ChatCtx, Ctx, Event, Out, State, Turn, accounts, help, history, login, pay, readings, receipt,
    recovery, registration, settings, stale_button, texts::CommonText, to_menu,
};
use crate::billing::AccountNumber;
use crate::i18n::texts;

texts! {
    /// The menu's title and its items.
    pub enum MenuText {
        Title => "menu-title",
        TitleLinked { account: AccountNumber, holder: String } => "menu-title-linked",
        Readings => "menu-readings",
        Receipt => "menu-receipt",
        History => "menu-history",
        Pay => "menu-pay",
        Accounts => "menu-accounts",
        Settings => "menu-settings",
        Help => "menu-help",
        Register => "menu-register",
        Login => "menu-login",
        Recover => "menu-recover",
    }
}

/// A section of the bot. Its code is also its command (`/readings`) and, after `menu:`,
/// its button data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Readings,
    Receipt,
    History,
    Pay,
    Accounts,
    Settings,
    Help,
    Register,
    Login,
    Recover,
}

impl Item {
    pub const ALL: [Item; 10] = [
        Item::Readings,
        Item::Receipt,
        Item::History,
        Item::Pay,
        Item::Accounts,
        Item::Settings,
        Item::Help,
        Item::Register,
        Item::Login,
        Item::Recover,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Item::Readings => "readings",
            Item::Receipt => "receipt",
            Item::History => "history",
            Item::Pay => "pay",
            Item::Accounts => "accounts",
            Item::Settings => "settings",
            Item::Help => "help",
            Item::Register => "register",
            Item::Login => "login",
            Item::Recover => "recover",
        }
    }

    pub fn from_code(code: &str) -> Option<Item> {
        Item::ALL.into_iter().find(|i| i.code() == code)
    }

    /// The button data that opens the item.
    pub fn data(self) -> String {
        format!("{}{}", super::data::MENU_ITEM, self.code())
    }

    pub fn label(self) -> MenuText {
        match self {
            Item::Readings => MenuText::Readings,
            Item::Receipt => MenuText::Receipt,
            Item::History => MenuText::History,
            Item::Pay => MenuText::Pay,
            Item::Accounts => MenuText::Accounts,
            Item::Settings => MenuText::Settings,
            Item::Help => MenuText::Help,
            Item::Register => MenuText::Register,
            Item::Login => MenuText::Login,
            Item::Recover => MenuText::Recover,
        }
    }

    /// Sections that act for an account and so need a linked one.
    pub fn needs_account(self) -> bool {
        !matches!(
            self,
            Item::Help | Item::Register | Item::Login | Item::Recover
        )
    }
}

/// The menu's buttons, row by row, for a linked or an unlinked chat (one whose links all
/// need renewal also gets «Мои лицевые счета», where it renews them).
pub fn rows(chat: &ChatCtx) -> Vec<Vec<Item>> {
    if chat.is_linked() {
        vec![
            vec![Item::Readings, Item::Receipt],
            vec![Item::History, Item::Pay],
            vec![Item::Accounts, Item::Settings],
            vec![Item::Help],
        ]
    } else {
        let mut rows = vec![
            vec![Item::Register, Item::Login],
            vec![Item::Recover, Item::Help],
        ];
        if !chat.links.is_empty() {
            rows.insert(0, vec![Item::Accounts]);
        }
        rows
    }
}

/// The menu's title: the current account when there is one.
pub fn title(chat: &ChatCtx) -> MenuText {
    match &chat.current {
        Some(link) => MenuText::TitleLinked {
            account: link.number.clone(),
            holder: link.holder.clone(),
        },
        None => MenuText::Title,
    }
}

/// Opens a section (from its button, its command or a deep link).
pub async fn open(ctx: &Ctx, chat: &ChatCtx, item: Item, args: &str) -> Turn {
    let renewing = item == Item::Accounts && !chat.links.is_empty();
    if item.needs_account() && !chat.is_linked() && !renewing {
        return to_menu(CommonText::NeedAccount);
    }
    match item {
        Item::Readings => readings::start(ctx, chat, args).await,
        Item::Receipt => receipt::start(ctx, chat, args).await,
        Item::History => history::start(ctx, chat, args).await,
        Item::Pay => pay::start(ctx, chat, args).await,
        Item::Accounts => accounts::start(ctx, chat, args).await,
        Item::Settings => settings::start(ctx, chat, args).await,
        Item::Help => help::start(ctx, chat, args).await,
        Item::Register => registration::start(ctx, chat, args).await,
        Item::Login => login::start(ctx, chat, args).await,
        Item::Recover => recovery::start(ctx, chat, args).await,
    }
}

/// Something arrived while no question is pending.
pub async fn step(_ctx: &Ctx, _chat: &ChatCtx, event: Event) -> Turn {
    match event {
        Event::Button(_) => stale_button(),
        _ => Ok((
            State::Menu,
            vec![super::say(CommonText::NotUnderstood).into(), Out::Menu],
        )),
    }
}
