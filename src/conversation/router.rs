//! Routing of one event: global commands and buttons first, then the current flow's `step`.

use super::menu::{self, Item};
use super::texts::CommonText;
use super::{
    ChatCtx, Ctx, Event, Out, State, Turn, accounts, data, help, history, lang, login, notice, pay,
    readings, receipt, recovery, registration, say, settings, stale_button, start,
};

/// Handles `event` for a chat in `state`. Global commands (`/start`, `/menu`, `/cancel`,
/// `/help`, `/lang`, a section's command) and the cancel / menu buttons work in every state.
pub async fn route(ctx: &Ctx, chat: &ChatCtx, state: State, event: Event) -> Turn {
    match event {
        Event::Start { payload } => start::start(ctx, chat, payload).await,
        Event::Command { name, args } => command(ctx, chat, state, &name, &args).await,
        Event::Button(data) => button(ctx, chat, state, data).await,
        Event::Text(text) if is_cancel_word(ctx, &text) => cancel(&state),
        event => dispatch(ctx, chat, state, event).await,
    }
}

async fn command(ctx: &Ctx, chat: &ChatCtx, state: State, name: &str, args: &str) -> Turn {
    match name {
        "start" => {
            let payload = (!args.is_empty()).then(|| args.to_owned());
            start::start(ctx, chat, payload).await
        }
        "menu" => Ok((State::Menu, vec![Out::Menu])),
        "cancel" => cancel(&state),
        "lang" | "language" => lang::start(ctx, chat, args).await,
        other => match Item::from_code(other) {
            Some(item) => menu::open(ctx, chat, item, args).await,
            // The pending question stays open: the user may still answer it.
            None => Ok((state, vec![say(CommonText::UnknownCommand).into()])),
        },
    }
}

async fn button(ctx: &Ctx, chat: &ChatCtx, state: State, pressed: String) -> Turn {
    if pressed == data::CANCEL {
        return cancel(&state);
    }
    if pressed == data::MENU {
        return Ok((State::Menu, vec![Out::Menu]));
    }
    if let Some(rest) = pressed.strip_prefix(notice::PREFIX) {
        return notice::open(ctx, chat, rest).await;
    }
    if let Some(code) = pressed.strip_prefix(data::MENU_ITEM) {
        return match Item::from_code(code) {
            Some(item) => menu::open(ctx, chat, item, "").await,
            None => stale_button(),
        };
    }
    dispatch(ctx, chat, state, Event::Button(pressed)).await
}

/// Leaves any question for the menu.
fn cancel(state: &State) -> Turn {
    let text = if *state == State::Menu {
        CommonText::NothingToCancel
    } else {
        CommonText::Cancelled
    };
    // A question may have shown a reply keyboard (the phone button): take it away.
    Ok((State::Menu, vec![say(text).remove_keys().into(), Out::Menu]))
}

/// «Отмена» typed, or sent by a reply-keyboard button.
fn is_cancel_word(ctx: &Ctx, text: &str) -> bool {
    ctx.is_label(text, CommonText::CancelButton)
}

/// The current flow's turn.
async fn dispatch(ctx: &Ctx, chat: &ChatCtx, state: State, event: Event) -> Turn {
    match state {
        State::Menu => menu::step(ctx, chat, event).await,
        State::Help(step) => help::step(ctx, chat, step, event).await,
        State::Lang(step) => lang::step(ctx, chat, step, event).await,
        State::Registration(step) => registration::step(ctx, chat, step, event).await,
        State::Login(step) => login::step(ctx, chat, step, event).await,
        State::Recovery(step) => recovery::step(ctx, chat, step, event).await,
        State::Readings(step) => readings::step(ctx, chat, step, event).await,
        State::Settings(step) => settings::step(ctx, chat, step, event).await,
        State::Accounts(step) => accounts::step(ctx, chat, step, event).await,
        State::Pay(step) => pay::step(ctx, chat, step, event).await,
        State::History(step) => history::step(ctx, chat, step, event).await,
        State::Receipt(step) => receipt::step(ctx, chat, step, event).await,
    }
}
