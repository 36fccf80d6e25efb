//! Login of a consumer registered on the web: account number + web-cabinet password. The link
//! is made under the account's credential epoch, so it lasts until the password changes.
//! Wrong passwords count against the chat and the account like failed identifications.
//!
//! ```text
//! > /login
//! < Вход по паролю от личного кабинета на сайте. Введите номер лицевого счёта…
//! > 7701000000062
//! < Введите пароль от личного кабинета для лицевого счёта 7701000000062:
//! > Kuznetsov-2026
//! < Готово! Лицевой счёт 7701000000062 подключён к чату…
//! ```

use super::identify::{self, IdentText};
use super::{
    Btn, ChatCtx, Ctx, Event, Out, State, Turn, delivery, recovery, registration, say,
    stale_button, to_menu,
};
use crate::billing::AccountNumber;
use crate::i18n::{Msg, texts};
use crate::store::chats;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

texts! {
    /// What the login flow says.
    pub enum LoginText {
        Start => "login-start",
        AskPassword { account: AccountNumber } => "login-ask-password",
        WrongPassword => "login-wrong-password",
        ForgotButton => "login-forgot-button",
        NoPassword { account: AccountNumber } => "login-no-password",
        RegisterButton => "login-register-button",
        Done { account: AccountNumber } => "login-done",
    }
}

/// What the login flow waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    AskAccount,
    AskPassword {
        account: AccountNumber,
    },
    /// The account has no web password: [Зарегистрироваться], or another account number.
    NoPassword {
        account: AccountNumber,
    },
}

const REGISTER: &str = "login:register";
const RECOVER: &str = "login:recover";

/// `/login`, the menu item; a payment code in `args` skips its question.
pub async fn start(ctx: &Ctx, chat: &ChatCtx, args: &str) -> Turn {
    if let Some(until) = identify::locked(ctx, chat, None).await? {
        return locked(ctx, until);
    }
    match AccountNumber::parse(args) {
        Ok(account) => account_given(ctx, chat, account).await,
        Err(_) => ask(Step::AskAccount, LoginText::Start),
    }
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    match (state, event) {
        (Step::AskAccount | Step::NoPassword { .. }, Event::Text(text)) => {
            match AccountNumber::parse(&text) {
                Ok(account) => account_given(ctx, chat, account).await,
                Err(_) => ask(Step::AskAccount, IdentText::BadAccount),
            }
        }
        (Step::NoPassword { account }, Event::Button(data)) if data == REGISTER => {
            registration::start(ctx, chat, account.as_str()).await
        }
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
        (Step::NoPassword { account }, _) => no_password(account),
    }
}

async fn account_given(ctx: &Ctx, chat: &ChatCtx, number: AccountNumber) -> Turn {
    let Some(account) = ctx.store.account_by_number(&number).await? else {
        ctx.store
            .record_identification_failure(chat.chat_id, None, ctx.now())
            .await?;
        if let Some(until) = identify::locked(ctx, chat, None).await? {
            return locked(ctx, until);
        }
        return ask(
            Step::AskAccount,
            IdentText::UnknownAccount { account: number },
        );
    };
    if let Some(until) = identify::locked(ctx, chat, Some(&number)).await? {
        return locked(ctx, until);
    }
    if account.credential_hash.is_none() {
        return no_password(number);
    }
    ask_password(number.clone(), LoginText::AskPassword { account: number })
}

async fn password_given(ctx: &Ctx, chat: &ChatCtx, number: AccountNumber, password: &str) -> Turn {
    if let Some(until) = identify::locked(ctx, chat, Some(&number)).await? {
        return locked(ctx, until);
    }
    let Some(account) = ctx.store.account_by_number(&number).await? else {
        return ask(
            Step::AskAccount,
            IdentText::UnknownAccount { account: number },
        );
    };
    let Some(hash) = &account.credential_hash else {
        return no_password(number);
    };
    if delivery::verify(password, hash).await? {
        chats::link(
            ctx.store.pool(),
            chat.chat_id,
            account.id.0,
            Some(account.credential_epoch),
        )
        .await?;
        return to_menu(LoginText::Done { account: number });
    }
    ctx.store
        .record_identification_failure(chat.chat_id, Some(&number), ctx.now())
        .await?;
    if let Some(until) = identify::locked(ctx, chat, Some(&number)).await? {
        return locked(ctx, until);
    }
    ask_password(number, LoginText::WrongPassword)
}

fn locked(ctx: &Ctx, until: DateTime<Utc>) -> Turn {
    to_menu(identify::locked_message(ctx, until))
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
        vec![Btn::cancel()],
    ];
    let out: Out = say(text).buttons(buttons).into();
    Ok((State::Login(Step::AskPassword { account }), vec![out]))
}

fn no_password(account: AccountNumber) -> Turn {
    let buttons = vec![
        vec![Btn::new(LoginText::RegisterButton, REGISTER)],
        vec![Btn::cancel()],
    ];
    let text = LoginText::NoPassword {
        account: account.clone(),
    };
    Ok((
        State::Login(Step::NoPassword { account }),
        vec![say(text).buttons(buttons).into()],
    ))
}
