//! Linking another account by its number and web-cabinet password, and renewing a link after
//! the password changed. Both count wrong passwords and unknown numbers towards the
//! identification limit.

use super::{Step, data, linked, short_name};
use crate::billing::AccountNumber;
use crate::conversation::menu::{Item, MenuText};
use crate::conversation::settings::gate::{self, Verdict};
// One rule, one wording: a wrong password and the lock answer as in the settings.
use crate::conversation::settings::password::PasswordText;
use crate::conversation::{Btn, ChatCtx, Ctx, Event, State, Turn, say, stale_button, to_menu};
use crate::i18n::{Msg, texts};
use crate::store::chats::{self, Link};

texts! {
    /// What linking another account says.
    pub enum LinkText {
        AskNumber => "accounts-ask-number",
        BadNumber => "accounts-bad-number",
        Unknown { account: AccountNumber } => "accounts-unknown",
        /// The account is linked already (and valid): it became the current one.
        AlreadyLinked { account: AccountNumber } => "accounts-already-linked",
        /// The account has no web password: registration links it instead.
        NoPassword { account: AccountNumber } => "accounts-no-password",
        AskPassword { account: AccountNumber } => "accounts-ask-password",
        AskRenewal { account: AccountNumber } => "accounts-ask-renewal",
        Linked { account: AccountNumber, holder: String } => "accounts-linked",
        Renewed { account: AccountNumber } => "accounts-renewed",
    }
}

/// «Подключить другой счёт»: asks for the number, unless the chat is locked out.
pub async fn ask_number(ctx: &Ctx, chat: &ChatCtx) -> Turn {
    if let Some(until) = gate::locked(ctx, chat.chat_id, None).await? {
        return to_menu(PasswordText::Locked { until });
    }
    ask_for_number(LinkText::AskNumber)
}

/// A linked account whose password changed: its new password first.
pub async fn ask_renewal(ctx: &Ctx, chat: &ChatCtx, link: &Link) -> Turn {
    let number = link.number.clone();
    if let Some(until) = gate::locked(ctx, chat.chat_id, Some(&number)).await? {
        return to_menu(PasswordText::Locked { until });
    }
    ask_for_password(
        LinkText::AskRenewal {
            account: number.clone(),
        },
        number,
        true,
    )
}

/// The number typed.
pub async fn number(ctx: &Ctx, chat: &ChatCtx, event: Event) -> Turn {
    let text = match event {
        Event::Text(text) => text,
        Event::Button(_) => return stale_button(),
        _ => return ask_for_number(LinkText::AskNumber),
    };
    let Ok(number) = AccountNumber::parse(&text) else {
        return ask_for_number(LinkText::BadNumber);
    };
    if let Some(link) = linked(chat, &number) {
        if link.needs_renewal() {
            return ask_renewal(ctx, chat, link).await;
        }
        chats::set_current(ctx.store.pool(), chat.chat_id, link.account_id).await?;
        return to_menu(LinkText::AlreadyLinked { account: number });
    }
    let Some(account) = ctx.store.account_by_number(&number).await? else {
        // Guessing numbers is identification too.
        if let Some(until) = gate::fail(ctx, chat.chat_id, None).await? {
            return to_menu(PasswordText::Locked { until });
        }
        return ask_for_number(LinkText::Unknown { account: number });
    };
    if account.credential_hash.is_none() {
        let buttons = vec![
            vec![Btn::new(MenuText::Register, Item::Register.data())],
            vec![Btn::back(data::LIST)],
        ];
        return Ok((
            State::Accounts(Step::AskNumber),
            vec![
                say(LinkText::NoPassword { account: number })
                    .buttons(buttons)
                    .into(),
            ],
        ));
    }
    if let Some(until) = gate::locked(ctx, chat.chat_id, Some(&number)).await? {
        return to_menu(PasswordText::Locked { until });
    }
    ask_for_password(
        LinkText::AskPassword {
            account: number.clone(),
        },
        number,
        false,
    )
}

/// The password typed for `number`: the link is made (or renewed) with the account's
/// current credential epoch and becomes the chat's current account.
pub async fn password(
    ctx: &Ctx,
    chat: &ChatCtx,
    number: AccountNumber,
    renew: bool,
    event: Event,
) -> Turn {
    let typed = match event {
        Event::Text(text) => text,
        Event::Button(_) => return stale_button(),
        _ => {
            let account = number.clone();
            let text = if renew {
                LinkText::AskRenewal { account }
            } else {
                LinkText::AskPassword { account }
            };
            return ask_for_password(text, number, renew);
        }
    };
    let Some(account) = ctx.store.account_by_number(&number).await? else {
        return to_menu(LinkText::Unknown { account: number });
    };
    match gate::check(ctx, chat.chat_id, &account, typed).await? {
        Verdict::Right => {}
        Verdict::Wrong => return ask_for_password(PasswordText::Wrong, number, renew),
        Verdict::Locked { until } => return to_menu(PasswordText::Locked { until }),
    }
    chats::link(
        ctx.store.pool(),
        chat.chat_id,
        account.id.0,
        Some(account.credential_epoch),
    )
    .await?;
    if renew {
        to_menu(LinkText::Renewed { account: number })
    } else {
        to_menu(LinkText::Linked {
            account: number,
            holder: short_name(&account.holder),
        })
    }
}

fn ask_for_number(text: impl Into<Msg>) -> Turn {
    let buttons = vec![vec![Btn::back(data::LIST), Btn::cancel()]];
    Ok((
        State::Accounts(Step::AskNumber),
        vec![say(text).buttons(buttons).into()],
    ))
}

fn ask_for_password(text: impl Into<Msg>, account: AccountNumber, renew: bool) -> Turn {
    let buttons = vec![
        vec![Btn::new(MenuText::Recover, Item::Recover.data())],
        vec![Btn::back(data::LIST), Btn::cancel()],
    ];
    Ok((
        State::Accounts(Step::AskPassword { account, renew }),
        vec![say(text).buttons(buttons).into()],
    ))
}
