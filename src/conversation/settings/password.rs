//! A new web-cabinet password: the current one (under the attempt limit), the new one (the
//! strength rules, with the reason when refused), the new one again.
//!
//! ```text
//! > [Изменить пароль]
//! < Введите текущий пароль от личного кабинета:
//! > Kuznetsov-2026
//! < Придумайте новый пароль: …
//! > Novyi-Parol-7
//! < Введите новый пароль ещё раз:
//! > Novyi-Parol-7
//! < Пароль изменён. …
//! ```
//!
//! No password is ever said back. The state holds only the argon2 hash of the new password,
//! which the repeat is checked against and which is then stored as is.

use super::{Step as SettingsStep, blocked, load};
use crate::conversation::guard;
use crate::conversation::menu::{Item, MenuText};
use crate::conversation::prove::{self, Verdict};
use crate::conversation::{
    Btn, ChatCtx, Ctx, Event, Out, State, Turn, delivery, say, stale_button, to_menu,
};
use crate::credentials::{MAX_LEN, MIN_LEN, Password, WeakPassword};
use crate::i18n::{Msg, texts};
use crate::store::accounts::Account;
use crate::store::chats;
use crate::store::outbox::{Channel, NewMessage};
use serde::{Deserialize, Serialize};
use std::fmt;

texts! {
    /// What the password change says.
    pub enum PasswordText {
        /// The account has no web password yet: recovery sends one.
        NoPassword => "settings-password-none",
        AskCurrent => "settings-password-ask-current",
        Wrong => "settings-password-wrong",
        AskNew => "settings-password-ask-new",
        TooShort { min: usize } => "settings-password-too-short",
        TooLong { max: usize } => "settings-password-too-long",
        NeedsLettersAndDigits => "settings-password-letters-digits",
        BadCharacters => "settings-password-bad-characters",
        SameAsCurrent => "settings-password-same",
        Repeat => "settings-password-repeat",
        Mismatch => "settings-password-mismatch",
        /// The password changed elsewhere while this change was under way.
        Raced => "settings-password-raced",
        Changed => "settings-password-changed",
    }
}

/// What the password change waits for. `epoch` is the account's credential epoch when the
/// current password was proved: the change is stored only if it still holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    AskCurrent {
        account: i64,
    },
    AskNew {
        account: i64,
        epoch: i32,
    },
    Repeat {
        account: i64,
        epoch: i32,
        hash: NewHash,
    },
}

/// The argon2 PHC string of the new password, kept out of debug output.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NewHash(String);

impl fmt::Debug for NewHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewHash(***)")
    }
}

/// The outbox template of the notice that the password changed.
pub const CHANGED_TEMPLATE: &str = "password-changed";

pub async fn start(ctx: &Ctx, chat: &ChatCtx, account: &Account) -> Turn {
    if account.credential_hash.is_none() {
        let buttons = vec![vec![
            Btn::new(MenuText::Recover, Item::Recover.data()),
            Btn::menu(),
        ]];
        let text = say(PasswordText::NoPassword).buttons(buttons);
        return Ok((State::Menu, vec![text.into()]));
    }
    if let Some(until) = guard::account_locked(ctx, chat, &account.number).await? {
        return to_menu(guard::locked_text(ctx, until));
    }
    ask(
        PasswordText::AskCurrent,
        Step::AskCurrent {
            account: account.id.0,
        },
    )
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    let account = match &state {
        Step::AskCurrent { account }
        | Step::AskNew { account, .. }
        | Step::Repeat { account, .. } => *account,
    };
    if let Some(refused) = blocked(chat, account) {
        return refused;
    }
    let typed = match event {
        Event::Text(text) => text,
        Event::Button(_) => return stale_button(),
        _ => return ask(again(&state), state),
    };
    // Every answer here is a password: it leaves the chat.
    let (state, mut outs) = match state {
        Step::AskCurrent { account } => {
            let stored = load(ctx, account).await?;
            match prove::check_password(ctx, chat, &stored, &typed).await? {
                Verdict::Right => ask(
                    PasswordText::AskNew,
                    Step::AskNew {
                        account,
                        epoch: stored.credential_epoch,
                    },
                ),
                Verdict::Wrong => ask(PasswordText::Wrong, Step::AskCurrent { account }),
                Verdict::Locked(until) => to_menu(guard::locked_text(ctx, until)),
            }
        }
        Step::AskNew { account, epoch } => new_password(ctx, account, epoch, typed).await,
        Step::Repeat {
            account,
            epoch,
            hash,
        } => {
            if !delivery::verify(&typed, &hash.0).await? {
                return ask(PasswordText::Mismatch, Step::AskNew { account, epoch }).map(forget);
            }
            store(ctx, chat, account, epoch, hash).await
        }
    }?;
    outs.insert(0, Out::ForgetInput);
    Ok((state, outs))
}

fn forget((state, mut outs): (State, Vec<Out>)) -> (State, Vec<Out>) {
    outs.insert(0, Out::ForgetInput);
    (state, outs)
}

/// What to ask again when the answer was not text.
fn again(state: &Step) -> PasswordText {
    match state {
        Step::AskCurrent { .. } => PasswordText::AskCurrent,
        Step::AskNew { .. } => PasswordText::AskNew,
        Step::Repeat { .. } => PasswordText::Repeat,
    }
}

async fn new_password(ctx: &Ctx, account: i64, epoch: i32, typed: String) -> Turn {
    let retry = |text: PasswordText| ask(text, Step::AskNew { account, epoch });
    let password = match Password::new(&typed) {
        Ok(p) => p,
        Err(weak) => return retry(reason(weak)),
    };
    if let Some(current) = load(ctx, account).await?.credential_hash
        && delivery::verify(password.expose(), &current).await?
    {
        return retry(PasswordText::SameAsCurrent);
    }
    let hash = NewHash(delivery::hash(password.expose()).await?);
    ask(
        PasswordText::Repeat,
        Step::Repeat {
            account,
            epoch,
            hash,
        },
    )
}

fn reason(weak: WeakPassword) -> PasswordText {
    match weak {
        WeakPassword::TooShort => PasswordText::TooShort { min: MIN_LEN },
        WeakPassword::TooLong => PasswordText::TooLong { max: MAX_LEN },
        WeakPassword::NeedsLettersAndDigits => PasswordText::NeedsLettersAndDigits,
        WeakPassword::BadCharacters => PasswordText::BadCharacters,
    }
}

/// Stores the new hash, bumping the epoch (other chats' password links now need renewal)
/// while this chat's own link moves to the new epoch; then tells the holder by SMS or email.
async fn store(ctx: &Ctx, chat: &ChatCtx, account: i64, epoch: i32, hash: NewHash) -> Turn {
    chat.touch();
    let changed =
        chats::change_password(ctx.store.pool(), chat.chat_id, account, epoch, &hash.0).await?;
    if changed.is_none() {
        return to_menu(PasswordText::Raced);
    }
    let stored = load(ctx, account).await?;
    let notice = match (&stored.phone, &stored.email) {
        (Some(phone), _) => Some((Channel::Sms, phone.clone())),
        (None, Some(email)) => Some((Channel::Email, email.clone())),
        (None, None) => None,
    };
    if let Some((channel, recipient)) = notice {
        ctx.store
            .enqueue(&NewMessage {
                channel,
                recipient,
                template: CHANGED_TEMPLATE.to_owned(),
                payload: serde_json::json!({ "account": stored.number.as_str() }),
            })
            .await?;
    }
    to_menu(PasswordText::Changed)
}

fn ask(text: impl Into<Msg>, state: Step) -> Turn {
    Ok((
        State::Settings(SettingsStep::Password(state)),
        vec![say(text).buttons(vec![vec![Btn::cancel()]]).into()],
    ))
}
