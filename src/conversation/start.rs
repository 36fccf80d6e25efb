//! `/start`: the greeting, then the menu, or the section a deep link names.

use super::{ChatCtx, Ctx, Out, State, Turn, menu, say};
use crate::billing::AccountNumber;
use crate::i18n::texts;

texts! {
    /// The greeting.
    pub enum StartText {
        Welcome => "start-welcome",
        WelcomeBack => "start-welcome-back",
        /// A deep link the channel refused (forged, edited or expired).
        LinkInvalid => "start-link-invalid",
    }
}

/// The payload a channel that verifies signed deep links passes for a link it refused: the
/// chat gets the normal start with a note that the link does not work.
pub const INVALID_LINK: &str = "invalid-link";

/// Greets the chat. A deep-link payload naming a menu item (`?start=readings`) opens it;
/// a payment code (`?start=7701000000017`, from a receipt's QR code) starts registration
/// with it; any other payload is ignored.
pub async fn start(ctx: &Ctx, chat: &ChatCtx, payload: Option<String>) -> Turn {
    let greeting = if chat.is_linked() {
        StartText::WelcomeBack
    } else {
        StartText::Welcome
    };
    // A fresh start also takes away any reply keyboard left from an abandoned question.
    let greeting: Out = say(greeting).remove_keys().into();
    if payload.as_deref() == Some(INVALID_LINK) {
        let note = say(StartText::LinkInvalid).into();
        return Ok((State::Menu, vec![greeting, note, Out::Menu]));
    }
    let payload = payload.as_deref().filter(|p| is_deep_link(p));
    let opened = match payload {
        Some(code) if AccountNumber::parse(code).is_ok() => Some((menu::Item::Register, code)),
        Some(name) => menu::Item::from_code(name).map(|item| (item, "")),
        None => None,
    };
    match opened {
        Some((item, args)) => {
            let (state, mut outs) = menu::open(ctx, chat, item, args).await?;
            outs.insert(0, greeting);
            Ok((state, outs))
        }
        None => Ok((State::Menu, vec![greeting, Out::Menu])),
    }
}

/// Telegram's deep-link alphabet: up to 64 of `A-Za-z0-9_-`.
fn is_deep_link(payload: &str) -> bool {
    !payload.is_empty()
        && payload.len() <= 64
        && payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}
