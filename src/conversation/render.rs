//! Turns what flows said into replies in the chat's language.

use super::ChatCtx;
use super::menu;
use super::out::{Keys, Out, Say};
use super::reply::{Button, Keyboard, LinkButton, Reply, ReplyButton};
use crate::i18n::{I18n, Msg};

/// Renders one output for the chat as it is after the turn.
pub fn reply(i18n: &I18n, chat: &ChatCtx, out: Out) -> Reply {
    match out {
        Out::Say(say) => said(i18n, chat, say),
        Out::Menu => menu_reply(i18n, chat),
        // The engine takes these out before rendering; an empty reply would be a bug.
        Out::ForgetInput | Out::KeepPressed => Reply::default(),
    }
}

fn said(i18n: &I18n, chat: &ChatCtx, say: Say) -> Reply {
    let text = |msg: &Msg| i18n.render(chat.lang, msg);
    let keyboard = match say.keys {
        Keys::None => None,
        Keys::Remove => Some(Keyboard::Remove),
        Keys::Inline(rows) => Some(Keyboard::Inline(
            rows.iter()
                .map(|row| {
                    row.iter()
                        .map(|b| Button {
                            label: text(&b.label),
                            data: b.data.clone(),
                        })
                        .collect()
                })
                .collect(),
        )),
        Keys::Reply(rows) => Some(Keyboard::Reply(
            rows.iter()
                .map(|row| {
                    row.iter()
                        .map(|k| ReplyButton {
                            label: text(&k.label),
                            request_phone: k.request_phone,
                        })
                        .collect()
                })
                .collect(),
        )),
    };
    Reply {
        text: text(&say.text),
        keyboard,
        attachment: say.attachment,
        link: say.link.map(|(label, url)| LinkButton {
            label: text(&label),
            url,
        }),
    }
}

fn menu_reply(i18n: &I18n, chat: &ChatCtx) -> Reply {
    let rows = menu::rows(chat)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|item| Button {
                    label: i18n.render(chat.lang, &item.label().into()),
                    data: item.data(),
                })
                .collect()
        })
        .collect();
    Reply {
        text: i18n.render(chat.lang, &menu::title(chat).into()),
        keyboard: Some(Keyboard::Inline(rows)),
        attachment: None,
        link: None,
    }
}
