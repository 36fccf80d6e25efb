//! A phone for an account that has none on file: the sender's own shared contact proves it at
//! once; a typed number gets a code by SMS first.

use super::{RegText, Step, proven};
use crate::billing::AccountNumber;
use crate::contact::{BadPhone, Phone, mask_phone};
use crate::conversation::codes::{self, Checked, NotSent, Target};
use crate::conversation::guard;
use crate::conversation::prove::{ProveText, codes_limited, office};
use crate::conversation::texts::CommonText;
use crate::conversation::{
    ChatCtx, Ctx, Event, Out, ReplyKey, State, Turn, say, stale_button, to_menu,
};
use crate::i18n::Msg;
use crate::store::accounts::Account;
use crate::store::codes::Purpose;
use crate::store::outbox::Channel;

/// Asks for the phone (with the «Поделиться номером» keyboard).
pub(super) fn ask(account: AccountNumber, text: impl Into<Msg>) -> Turn {
    Ok((
        State::Registration(Step::AskPhone { account }),
        vec![say(text).reply_keys(keys()).into()],
    ))
}

fn keys() -> Vec<Vec<ReplyKey>> {
    vec![
        vec![ReplyKey::phone(RegText::ShareButton)],
        vec![ReplyKey::text(CommonText::CancelButton)],
    ]
}

/// An answer to the phone question.
pub(super) async fn asked(ctx: &Ctx, chat: &ChatCtx, account: AccountNumber, event: Event) -> Turn {
    match event {
        Event::Contact {
            owner_is_sender: false,
            ..
        } => ask(account, RegText::NotOwnContact),
        Event::Contact { phone, .. } => shared(ctx, chat, account, &phone).await,
        Event::Text(typed) => match Phone::parse(&typed) {
            Ok(phone) => send(ctx, chat, account, phone).await,
            Err(BadPhone::NotAPhone) => ask(account, RegText::BadPhone),
            Err(BadPhone::NotMobile) => ask(account, RegText::NotMobile),
        },
        Event::Button(_) => stale_button(),
        _ => ask(account, RegText::AskPhone),
    }
}

/// An answer while the code to a typed number is awaited.
pub(super) async fn code(
    ctx: &Ctx,
    chat: &ChatCtx,
    number: AccountNumber,
    phone: Phone,
    code: i64,
    event: Event,
) -> Turn {
    let typed = match event {
        Event::Text(typed) => typed,
        Event::Button(_) => return stale_button(),
        other => return asked(ctx, chat, number, other).await,
    };
    let again = |text: ProveText| -> Turn {
        Ok((
            State::Registration(Step::PhoneCode {
                account: number.clone(),
                phone: phone.clone(),
                code,
            }),
            vec![say(text).reply_keys(keys()).into()],
        ))
    };
    match codes::check(ctx, chat, &number, code, &typed).await? {
        Checked::Right { recipient } => match Phone::parse(&recipient) {
            Ok(proved) => accepted(ctx, chat, &number, proved).await,
            Err(_) => ask(number, RegText::AskPhone),
        },
        Checked::Wrong { left } => again(ProveText::CodeWrong { left }),
        // Another number typed instead of the code: a code goes there.
        Checked::NotACode => match Phone::parse(&typed) {
            Ok(other) => send(ctx, chat, number, other).await,
            Err(_) => again(ProveText::CodeFormat),
        },
        Checked::Gone => ask(number, ProveText::CodeGone),
        Checked::Locked(until) => {
            let mut outs = office(ctx, guard::locked_text(ctx, until));
            outs.push(Out::Menu);
            Ok((State::Menu, outs))
        }
    }
}

async fn shared(ctx: &Ctx, chat: &ChatCtx, number: AccountNumber, phone: &str) -> Turn {
    match Phone::parse(phone) {
        Ok(phone) => accepted(ctx, chat, &number, phone).await,
        Err(BadPhone::NotAPhone) => ask(number, RegText::BadPhone),
        Err(BadPhone::NotMobile) => ask(number, RegText::NotMobile),
    }
}

async fn send(ctx: &Ctx, chat: &ChatCtx, number: AccountNumber, phone: Phone) -> Turn {
    let Some(account) = current(ctx, &number).await? else {
        return to_menu(ProveText::NoWay);
    };
    let target = Target {
        account: account.id,
        number: &number,
        purpose: Purpose::Link,
        channel: Channel::Sms,
        recipient: phone.as_str(),
    };
    match codes::send(ctx, chat, target).await? {
        Ok(code) => {
            let text = RegText::PhoneCodeSent {
                phone: mask_phone(phone.as_str()),
            };
            Ok((
                State::Registration(Step::PhoneCode {
                    account: number,
                    phone,
                    code,
                }),
                vec![say(text).reply_keys(keys()).into()],
            ))
        }
        Err(NotSent::NoSms) => ask(number, ProveText::NoSms),
        Err(NotSent::Limited(until)) => ask(number, codes_limited(ctx, until)),
    }
}

/// The phone is proved: on to the email.
async fn accepted(ctx: &Ctx, chat: &ChatCtx, number: &AccountNumber, phone: Phone) -> Turn {
    let Some(account) = current(ctx, number).await? else {
        return to_menu(ProveText::NoWay);
    };
    let note: Out = say(RegText::PhoneAccepted {
        phone: mask_phone(phone.as_str()),
    })
    .remove_keys()
    .into();
    proven(ctx, chat, account, Some(phone), vec![note]).await
}

async fn current(
    ctx: &Ctx,
    number: &AccountNumber,
) -> Result<Option<Account>, crate::conversation::EngineError> {
    Ok(ctx.store.account_by_number(number).await?)
}
