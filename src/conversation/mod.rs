//! The dialogue engine: turns `(State, Event)` into `(State, replies)`, independent of the medium.
//!
//! A channel builds an [`Event`] and calls [`Engine::handle`]; the engine loads the chat
//! ([`ChatCtx`]: language, linked accounts) and its [`State`], routes global commands and buttons
//! first (`router`), then lets the current flow `step`, saves the new state and renders each
//! [`Out`] into a [`Reply`] in the chat's language.
//!
//! Every flow is a module of the same shape (see `lang.rs` for a small complete one):
//!
//! ```ignore
//! texts! { pub enum XText { AskThis => "x-ask-this", Wrong { left: i64 } => "x-wrong" } }
//! pub enum Step { AskThis, AskThat { this: This } }  // what it waits for + what it collected
//! pub async fn start(ctx: &Ctx, chat: &ChatCtx, args: &str) -> Turn;  // from the menu or /x
//! pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn;
//! ```
//!
//! To add a flow `x`:
//! 1. `x.rs` as above; `step` returns `(State::X(next), outs)` to keep asking, or
//!    `to_menu(text)` / `(State::Menu, …)` when done. A button it does not expect →
//!    [`stale_button()`]. Every question offers a way back ([`Btn::cancel`], [`Btn::back`]).
//! 2. `State::X(x::Step)` in `state.rs` and its arm in `router::dispatch`; if it is a menu
//!    section, its `menu::Item` arm in `menu::open`.
//! 3. Texts: `locales/ru/x.ftl` and `locales/en/x.ftl` with the same keys, the file name in
//!    `i18n::FILES`, and `XText::samples()` in `texts::all_samples` (the locale tests then
//!    render every variant in both languages and flag unused keys). Argument types need
//!    `Into<Arg>` and `Sample`.
//! 4. A script per path in `dialogues/`; a new set-up line is an arm in
//!    `tests/it/dialogues.rs::given`.

pub(crate) mod codes;
mod ctx;
mod delivery;
mod engine;
mod event;
mod guard;
mod identify;
pub(crate) mod input;
mod merge;
mod out;
mod prove;
mod render;
mod reply;
mod router;
mod state;
pub mod texts;

pub mod accounts;
pub mod help;
pub mod history;
pub mod lang;
pub mod login;
pub mod menu;
pub mod notice;
pub mod pay;
pub mod period;
pub mod readings;
pub mod receipt;
pub mod recovery;
pub mod registration;
pub mod settings;
pub mod start;

pub use ctx::{ChatCtx, Ctx, EngineSettings, HelpLinks};
pub use engine::{Answer, Engine};
pub use event::Event;
pub use input::MAX_TEXT_CHARS;
pub use out::{Btn, Keys, MAX_BUTTON_DATA, Out, ReplyKey, Say, data, say};
pub use reply::{
    Attachment, AttachmentKind, Button, Keyboard, LinkButton, Press, Reply, ReplyButton,
};
pub use state::State;

use crate::i18n::Msg;
use crate::sessions::SessionError;
use crate::store::StoreError;
use texts::CommonText;

/// What a flow returns: the next state and what to say.
pub type Turn = Result<(State, Vec<Out>), EngineError>;

/// What can stop the engine from answering. Users never see these: a failed turn answers
/// a polite apology and the details go to the log.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error("{0}")]
    Internal(String),
    /// Too much slow work queued (password hashing): the user is asked to try again shortly.
    #[error("busy: too much password work queued")]
    Busy,
}

impl EngineError {
    /// True when Postgres or Redis is down, unreachable or does not answer in time (as opposed
    /// to a bug or bad data): the user is told the service is temporarily unavailable.
    pub fn is_outage(&self) -> bool {
        match self {
            EngineError::Session(_) => true,
            EngineError::Store(StoreError::Db(error)) => match error {
                sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::Protocol(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed => true,
                // Connection exceptions (08…) and operator intervention (57…: shutdown,
                // statement timeout, "cannot connect now").
                sqlx::Error::Database(db) => db
                    .code()
                    .is_some_and(|code| code.starts_with("08") || code.starts_with("57")),
                _ => false,
            },
            _ => false,
        }
    }
}

/// Says `text` and shows the main menu, leaving any flow.
pub fn to_menu(text: impl Into<Msg>) -> Turn {
    Ok((State::Menu, vec![say(text).into(), Out::Menu]))
}

/// The answer to a button the current state does not expect (from an old message).
pub fn stale_button() -> Turn {
    to_menu(CommonText::StaleButton)
}

/// The answer of a section that is not written yet.
pub fn coming_soon() -> Turn {
    to_menu(CommonText::ComingSoon)
}
