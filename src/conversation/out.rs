//! What flows say, as values: typed messages and keyboards, rendered later for the chat.

use super::reply::Attachment;
use super::texts::CommonText;
use crate::i18n::Msg;

/// Callback data of the buttons the router handles in every state.
pub mod data {
    /// Abandons the current question: the same as `/cancel`.
    pub const CANCEL: &str = "nav:cancel";
    /// Shows the main menu: the same as `/menu`.
    pub const MENU: &str = "nav:menu";
    /// Prefix of main-menu items: `menu:readings`, `menu:help`, …
    pub const MENU_ITEM: &str = "menu:";
}

/// Telegram's limit on callback data.
pub const MAX_BUTTON_DATA: usize = 64;

/// One thing a flow says.
#[derive(Clone, Debug, PartialEq)]
pub enum Out {
    Say(Say),
    /// The main menu, as it stands after the turn (for a linked chat or not).
    Menu,
    /// Not a message: the user's own message of this turn held a secret (a password) and is
    /// deleted from the chat where the medium allows it.
    ForgetInput,
    /// Not a message: the pressed message is a notice that stays as it was; the answer is a
    /// new message.
    KeepPressed,
}

/// A message with what goes along with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Say {
    pub text: Msg,
    pub keys: Keys,
    pub attachment: Option<Attachment>,
    /// A web link button: its label and URL.
    pub link: Option<(Msg, String)>,
}

/// Starts a message: `say(HelpText::Topics).buttons(rows)`.
pub fn say(text: impl Into<Msg>) -> Say {
    Say {
        text: text.into(),
        keys: Keys::None,
        attachment: None,
        link: None,
    }
}

impl Say {
    /// Inline buttons under the message.
    pub fn buttons(mut self, rows: Vec<Vec<Btn>>) -> Say {
        self.keys = Keys::Inline(rows);
        self
    }

    /// A reply keyboard (for example with a "share my phone" button).
    pub fn reply_keys(mut self, rows: Vec<Vec<ReplyKey>>) -> Say {
        self.keys = Keys::Reply(rows);
        self
    }

    /// Takes away a reply keyboard shown before.
    pub fn remove_keys(mut self) -> Say {
        self.keys = Keys::Remove;
        self
    }

    pub fn attach(mut self, file: Attachment) -> Say {
        self.attachment = Some(file);
        self
    }

    pub fn link(mut self, label: impl Into<Msg>, url: impl Into<String>) -> Say {
        self.link = Some((label.into(), url.into()));
        self
    }
}

impl From<Say> for Out {
    fn from(say: Say) -> Out {
        Out::Say(say)
    }
}

/// The keyboard of a message, labels still to render.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Keys {
    #[default]
    None,
    Inline(Vec<Vec<Btn>>),
    Reply(Vec<Vec<ReplyKey>>),
    Remove,
}

/// An inline button: a label and the callback data it sends (≤ 64 bytes, `flow:what`).
#[derive(Clone, Debug, PartialEq)]
pub struct Btn {
    pub label: Msg,
    pub data: String,
}

impl Btn {
    pub fn new(label: impl Into<Msg>, data: impl Into<String>) -> Btn {
        let data = data.into();
        debug_assert!(
            data.len() <= MAX_BUTTON_DATA,
            "callback data too long: {data}"
        );
        Btn {
            label: label.into(),
            data,
        }
    }

    /// «Отмена»: leaves the question for the menu.
    pub fn cancel() -> Btn {
        Btn::new(CommonText::CancelButton, data::CANCEL)
    }

    /// «Меню».
    pub fn menu() -> Btn {
        Btn::new(CommonText::MenuButton, data::MENU)
    }

    /// «Назад», sending the flow's own data (the flow knows what "back" means).
    pub fn back(data: impl Into<String>) -> Btn {
        Btn::new(CommonText::BackButton, data)
    }
}

/// A reply-keyboard button.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplyKey {
    pub label: Msg,
    pub request_phone: bool,
}

impl ReplyKey {
    /// A button that sends its label as text.
    pub fn text(label: impl Into<Msg>) -> ReplyKey {
        ReplyKey {
            label: label.into(),
            request_phone: false,
        }
    }

    /// A button that shares the user's own phone number.
    pub fn phone(label: impl Into<Msg>) -> ReplyKey {
        ReplyKey {
            label: label.into(),
            request_phone: true,
        }
    }
}
