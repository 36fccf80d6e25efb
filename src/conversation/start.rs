//! `/start`: the greeting, then the menu, or the section a deep link names.

use super::{ChatCtx, Ctx, Out, State, Turn, menu, say};
use crate::i18n::texts;

texts! {
    /// The greeting.
    pub enum StartText {
        Welcome => "start-welcome",
        WelcomeBack => "start-welcome-back",
    }
}

/// Greets the chat. A deep-link payload naming a menu item (`?start=readings`) opens it;
/// any other payload is ignored.
pub async fn start(ctx: &Ctx, chat: &ChatCtx, payload: Option<String>) -> Turn {
    let greeting = if chat.is_linked() {
        StartText::WelcomeBack
    } else {
        StartText::Welcome
    };
    // A fresh start also takes away any reply keyboard left from an abandoned question.
    let greeting: Out = say(greeting).remove_keys().into();
    let item = payload
        .as_deref()
        .filter(|p| is_deep_link(p))
        .and_then(menu::Item::from_code);
    match item {
        Some(item) => {
            let (state, mut outs) = menu::open(ctx, chat, item, "").await?;
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
