//! Buttons under the notices the bot sends first (a payment declined, a reminder). Each names
//! a section and the account the notice is about, `go:pay:7701000000048`: pressing it makes
//! that account the current one — when the chat still holds a valid link to it — and opens the
//! section, whatever the chat was doing.

use super::menu::{self, Item};
use super::texts::CommonText;
use super::{ChatCtx, Ctx, Out, Turn, stale_button, to_menu};
use crate::store::chats;

/// The prefix of a notice button's callback data.
pub const PREFIX: &str = "go:";

/// The callback data that opens `item` for `account` (fits Telegram's 64 bytes).
pub fn data(item: Item, account: &str) -> String {
    format!("{PREFIX}{}:{account}", item.code())
}

/// The callback data that opens `item` for `account` with `args`, as a deep link's would
/// (`go:receipt:7701000000048:2026-10` sends October's receipt at once).
pub fn data_with(item: Item, account: &str, args: &str) -> String {
    format!("{PREFIX}{}:{account}:{args}", item.code())
}

/// The section, the account number (as pressed, unchecked) and the arguments of a notice
/// button's data after [`PREFIX`]; `None` when it names no section.
pub fn parse(rest: &str) -> Option<(Item, &str, &str)> {
    let (code, number) = rest.split_once(':')?;
    let (number, args) = number.split_once(':').unwrap_or((number, ""));
    Some((Item::from_code(code)?, number, args))
}

/// A notice button pressed; `rest` is its data after [`PREFIX`].
pub async fn open(ctx: &Ctx, chat: &ChatCtx, rest: &str) -> Turn {
    let Some((item, number, args)) = parse(rest) else {
        return stale_button();
    };
    let Some(link) = chat
        .links
        .iter()
        .find(|l| l.number.as_str() == number && !l.needs_renewal())
    else {
        return to_menu(CommonText::NoticeNotLinked {
            account: number.chars().take(13).collect(),
        });
    };
    let mut here = chat.clone();
    if chat.current.as_ref().map(|c| c.account_id) != Some(link.account_id) {
        chats::set_current(ctx.store.pool(), chat.chat_id, link.account_id).await?;
        here.current = Some(link.clone());
        chat.touch();
    }
    let (state, mut outs) = menu::open(ctx, &here, item, args).await?;
    outs.push(Out::KeepPressed);
    Ok((state, outs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_names_the_section_and_the_account_within_telegrams_limit() {
        let data = data(Item::Readings, "7701000000048");
        assert_eq!(data, "go:readings:7701000000048");
        assert!(data.len() <= super::super::MAX_BUTTON_DATA);
    }
}
