//! Unlinking an account from the chat, after a confirmation. When it was the current one,
//! another linked account becomes current (one that needs no renewal, if there is one); with
//! none left the chat is back to the menu of an unlinked chat.

use super::{Step, data, linked};
use crate::billing::AccountNumber;
use crate::conversation::{Btn, ChatCtx, Ctx, Event, State, Turn, say, stale_button, to_menu};
use crate::i18n::texts;
use crate::store::chats::{self, Link};

texts! {
    /// What unlinking says.
    pub enum UnlinkText {
        Confirm { account: AccountNumber } => "accounts-unlink-confirm",
        Yes => "accounts-unlink-yes",
        Done { account: AccountNumber } => "accounts-unlinked",
        /// The unlinked account was the current one; `current` is now.
        DoneNowCurrent { account: AccountNumber, current: AccountNumber }
            => "accounts-unlinked-now-current",
        /// No account is linked to the chat any more.
        DoneLast { account: AccountNumber } => "accounts-unlinked-last",
    }
}

/// Asks to confirm unlinking `link`.
pub fn confirm(link: &Link) -> Turn {
    let account = link.number.clone();
    let buttons = vec![vec![
        Btn::new(UnlinkText::Yes, data::on(data::UNLINK_YES, &account)),
        Btn::back(data::LIST),
    ]];
    Ok((
        State::Accounts(Step::ConfirmUnlink {
            account: account.clone(),
        }),
        vec![say(UnlinkText::Confirm { account }).buttons(buttons).into()],
    ))
}

/// The answer to the confirmation: only «Да, отключить» for the very account asked about.
pub async fn step(ctx: &Ctx, chat: &ChatCtx, account: AccountNumber, event: Event) -> Turn {
    let confirmed = match &event {
        Event::Button(pressed) => data::parse(pressed) == Some((data::UNLINK_YES, account.clone())),
        _ => false,
    };
    if !confirmed {
        return match event {
            Event::Button(_) => stale_button(),
            _ => match linked(chat, &account) {
                Some(link) => confirm(link),
                None => super::list(ctx, chat).await,
            },
        };
    }
    let Some(link) = linked(chat, &account) else {
        return to_menu(super::AccountsText::NotLinked);
    };
    let pool = ctx.store.pool();
    chats::unlink(pool, chat.chat_id, link.account_id).await?;
    chat.touch();
    let was_current = chat.current.as_ref() == Some(link);
    let (user, left) = chats::context(pool, chat.chat_id).await?;
    if left.is_empty() {
        return to_menu(UnlinkText::DoneLast { account });
    }
    if !was_current {
        return to_menu(UnlinkText::Done { account });
    }
    // The store picks the oldest remaining link; prefer one that can be used right away.
    let picked = left
        .iter()
        .find(|l| Some(l.account_id) == user.current_account_id);
    let usable = left.iter().find(|l| !l.needs_renewal());
    let current = match (picked, usable) {
        (Some(p), Some(u)) if p.needs_renewal() => {
            chats::set_current(pool, chat.chat_id, u.account_id).await?;
            u
        }
        (Some(p), _) => p,
        (None, _) => &left[0],
    };
    to_menu(UnlinkText::DoneNowCurrent {
        account,
        current: current.number.clone(),
    })
}
