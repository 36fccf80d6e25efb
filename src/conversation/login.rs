//! Login of a consumer registered on the web: account number + web-cabinet password. The link
//! is made under the account's credential epoch, so it lasts until the credentials change.
//!
//! Every number gets the password question and every failure the same answer — an unknown
//! number, an account without a web password, a wrong password — so login tells nobody which
//! accounts exist or have a password. Numbers tried and wrong passwords count (`guard`); the
//! typed password is deleted from the chat.
//!
//! ```text
//! > /login
//! < Вход по паролю от личного кабинета на сайте. Введите номер лицевого счёта…
//! > 7701000000062
//! < Введите пароль от личного кабинета для лицевого счёта 7701000000062:
//! > Kuznetsov-2026
//! < Готово! Лицевой счёт 7701000000062 подключён к чату…
//! ```

use super::guard::{self, Gate};
use super::identify::IdentText;
use super::menu::Item;
use super::prove::office;
use super::{
    Btn, ChatCtx, Ctx, Event, Out, State, Turn, delivery, recovery, say, stale_button, to_menu,
};
use crate::billing::AccountNumber;
use crate::i18n::{Msg, texts};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

texts! {
    /// What the login flow says.
    pub enum LoginText {
        Start => "login-start",
        AskPassword { account: AccountNumber } => "login-ask-password",
        /// The one answer to an unknown number, an account without a password and a wrong one.
        Wrong => "login-wrong",
        ForgotButton => "login-forgot-button",
        RegisterButton => "login-register-button",
        Done { account: AccountNumber } => "login-done",
    }
}

/// What the login flow waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    AskAccount,
    AskPassword { account: AccountNumber },
}

const RECOVER: &str = "login:recover";

/// A hash no password matches, checked when there is none to check, so that an unknown number
/// takes as long to refuse as a wrong password.
static NO_PASSWORD: LazyLock<String> = LazyLock::new(|| {
    crate::credentials::hash_password(&crate::credentials::generate_password()).unwrap_or_default()
});

/// `/login`, the menu item; a payment code in `args` skips its question.
pub async fn start(ctx: &Ctx, chat: &ChatCtx, args: &str) -> Turn {
    if let Some(until) = guard::chat_locked(ctx, chat).await? {
        return locked(ctx, until);
    }
    match AccountNumber::parse(args) {
        Ok(account) => account_given(ctx, chat, account).await,
        Err(_) => ask(Step::AskAccount, LoginText::Start),
    }
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    match (state, event) {
        (Step::AskAccount, Event::Text(text)) => match AccountNumber::parse(&text) {
            Ok(account) => account_given(ctx, chat, account).await,
            Err(_) => ask(Step::AskAccount, IdentText::BadAccount),
        },
        (Step::AskPassword { account }, Event::Text(password)) => {
            password_given(ctx, chat, account, &password).await
        }
        (Step::AskPassword { account }, Event::Button(data)) if data == RECOVER => {
            recovery::start(ctx, chat, account.as_str()).await
        }
        (_, Event::Button(_)) => stale_button(),
        (Step::AskAccount, _) => ask(Step::AskAccount, LoginText::Start),
        (Step::AskPassword { account }, _) => {
            let text = LoginText::AskPassword {
                account: account.clone(),
            };
            ask_password(account, text)
        }
    }
}

async fn account_given(ctx: &Ctx, chat: &ChatCtx, number: AccountNumber) -> Turn {
    if let Some(until) = guard::number_tried(ctx, chat).await? {
        return locked(ctx, until);
    }
    if let Some(until) = guard::account_locked(ctx, chat, &number).await? {
        return locked(ctx, until);
    }
    ask_password(number.clone(), LoginText::AskPassword { account: number })
}

async fn password_given(ctx: &Ctx, chat: &ChatCtx, number: AccountNumber, password: &str) -> Turn {
    let attempt = match guard::try_account(ctx, chat, &number).await? {
        Gate::Open(attempt) => attempt,
        Gate::Locked(until) => return forget(locked(ctx, until)),
    };
    let account = ctx.store.account_by_number(&number).await?;
    let hash = account
        .as_ref()
        .and_then(|a| a.credential_hash.clone())
        .unwrap_or_else(|| NO_PASSWORD.clone());
    let right = delivery::verify(password, &hash).await?;
    match account {
        Some(account) if right && account.credential_hash.is_some() => {
            attempt.succeeded(ctx).await?;
            chat.link(&ctx.store, &account).await?;
            forget(to_menu(LoginText::Done { account: number }))
        }
        _ => forget(ask_password(number, LoginText::Wrong)),
    }
}

/// The typed password leaves the chat whatever came of it.
fn forget(turn: Turn) -> Turn {
    let (state, mut outs) = turn?;
    outs.insert(0, Out::ForgetInput);
    Ok((state, outs))
}

fn locked(ctx: &Ctx, until: DateTime<Utc>) -> Turn {
    let mut outs = office(ctx, guard::locked_text(ctx, until));
    outs.push(Out::Menu);
    Ok((State::Menu, outs))
}

fn ask(state: Step, text: impl Into<Msg>) -> Turn {
    Ok((
        State::Login(state),
        vec![say(text).buttons(vec![vec![Btn::cancel()]]).into()],
    ))
}

fn ask_password(account: AccountNumber, text: impl Into<Msg>) -> Turn {
    let buttons = vec![
        vec![Btn::new(LoginText::ForgotButton, RECOVER)],
        vec![Btn::new(LoginText::RegisterButton, Item::Register.data())],
        vec![Btn::cancel()],
    ];
    let out: Out = say(text).buttons(buttons).into();
    Ok((State::Login(Step::AskPassword { account }), vec![out]))
}
