//! The other chats linked to the current account, and «Отключить другие чаты»: the account's
//! credential epoch moves on and only this chat's link follows it, so every other chat must
//! prove possession again.

use super::{Step, data};
use crate::billing::AccountNumber;
use crate::conversation::{Btn, ChatCtx, Ctx, Event, Out, State, Turn, say, stale_button, to_menu};
use crate::i18n::texts;
use crate::store::chats::{self, Link, OtherChat};

texts! {
    /// What the list of other chats says.
    pub enum OthersText {
        /// `chats`: each other chat's id masked, with the day it was linked.
        List { account: AccountNumber, count: i64, chats: String } => "accounts-other-chats",
        DisconnectButton => "accounts-disconnect-button",
        Confirm => "accounts-disconnect-confirm",
        Yes => "accounts-disconnect-yes",
        Done { count: i64 } => "accounts-disconnected",
        Raced => "accounts-disconnect-raced",
    }
}

/// `…4417`: the last four digits of a chat's id, enough to tell one's own chats apart.
pub fn mask_chat(chat_id: i64) -> String {
    let digits = chat_id.unsigned_abs().to_string();
    let tail = &digits[digits.len().saturating_sub(4)..];
    format!("…{tail}")
}

/// The other chats of the current account, as a message (none when there are none).
pub async fn card(
    ctx: &Ctx,
    chat: &ChatCtx,
    link: &Link,
) -> Result<Option<Out>, crate::conversation::EngineError> {
    let others = chats::other_chats(ctx.store.pool(), chat.chat_id, link.account_id).await?;
    if others.is_empty() {
        return Ok(None);
    }
    let chats = others
        .iter()
        .map(|o: &OtherChat| {
            let day = o
                .linked_at
                .with_timezone(&ctx.settings.utc_offset)
                .date_naive();
            format!("{} ({})", mask_chat(o.chat_id), day.format("%d.%m.%Y"))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let text = OthersText::List {
        account: link.number.clone(),
        count: others.len() as i64,
        chats,
    };
    Ok(Some(say(text).into()))
}

/// [Отключить другие чаты]: asks first.
pub fn confirm() -> Turn {
    let buttons = vec![vec![
        Btn::new(OthersText::Yes, data::DISCONNECT_YES),
        Btn::back(data::LIST),
    ]];
    Ok((
        State::Accounts(Step::ConfirmDisconnect),
        vec![say(OthersText::Confirm).buttons(buttons).into()],
    ))
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, event: Event) -> Turn {
    match event {
        Event::Button(pressed) if pressed == data::DISCONNECT_YES => {
            let Some(link) = chat.current.as_ref() else {
                return to_menu(super::AccountsText::NotLinked);
            };
            let count = chats::other_chats(ctx.store.pool(), chat.chat_id, link.account_id)
                .await?
                .len();
            chat.touch();
            match chats::disconnect_others(ctx.store.pool(), chat.chat_id, link.account_id).await? {
                Some(_) => to_menu(OthersText::Done {
                    count: count as i64,
                }),
                None => to_menu(OthersText::Raced),
            }
        }
        Event::Button(_) => stale_button(),
        _ => confirm(),
    }
}
