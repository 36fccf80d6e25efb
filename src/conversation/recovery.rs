//! Access recovery: the holder's account is found by what its receipt says (payment code →
//! name → maybe a meter serial), possession is proved by a code to the phone on file (or the
//! shared contact equal to it), and only then a new temporary password goes out by SMS to the
//! phone on file and by email to the address on file — never into the chat. Nothing changes
//! before the code is back. The credential epoch bumps, so every other link must be renewed;
//! this chat, which proved possession, is linked. At most one reset per account in 15 minutes
//! and three a day.
//!
//! ```text
//! > /recover
//! < Восстановление доступа к личному кабинету. Введите платёжный код…
//! > 7701000000062
//! < Введите фамилию, имя и отчество владельца лицевого счёта…
//! > Кузнецов Олег Николаевич
//! < Подтвердите, что лицевой счёт ваш… [Поделиться номером] [Получить код в SMS] [Отмена]
//! > [Получить код в SMS]
//! > 482913
//! < Новый временный пароль отправлен в SMS на номер +7 985 ***-**-62 и на почту o***v@example.com…
//! ```

use super::guard;
use super::identify::{self, Outcome};
use super::prove::{self, Outcome as Proof, office};
use super::{ChatCtx, Ctx, Event, Out, State, Turn, delivery, stale_button, to_menu};
use crate::contact::{mask_email, mask_phone};
use crate::credentials::generate_password;
use crate::i18n::texts;
use crate::store::accounts::Account;
use crate::store::codes::Purpose;
use crate::store::identification::templates;
use crate::store::outbox::Channel;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

texts! {
    /// What access recovery says (identification and the proof speak for themselves).
    pub enum RecText {
        Start => "rec-start",
        SentSms { phone: String } => "rec-sent-sms",
        SentBoth { phone: String, email: String } => "rec-sent-both",
        /// The password was reset a moment ago: the next reset after this time.
        TooSoon { time: NaiveTime } => "rec-too-soon",
        TooSoonOn { date: NaiveDate, time: NaiveTime } => "rec-too-soon-on",
    }
}

/// What access recovery waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Identify(identify::Step),
    Prove(prove::Step),
}

/// `/recover`, the menu item, or «Забыли пароль?» at login (`args` prefills the account).
pub async fn start(ctx: &Ctx, chat: &ChatCtx, args: &str) -> Turn {
    let outcome = identify::begin(ctx, chat, RecText::Start, args).await?;
    identification(ctx, outcome).await
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    match (state, event) {
        (Step::Identify(s), Event::Text(text)) => {
            let outcome = identify::answer(ctx, chat, s, &text).await?;
            identification(ctx, outcome).await
        }
        (Step::Identify(_), Event::Button(_)) => stale_button(),
        (Step::Identify(s), _) => identification(ctx, identify::repeat(s)).await,
        (Step::Prove(s), event) => {
            let outcome = prove::step(ctx, chat, s, Purpose::Recover, event).await?;
            proof(ctx, chat, outcome).await
        }
    }
}

async fn identification(ctx: &Ctx, outcome: Outcome) -> Turn {
    match outcome {
        Outcome::Ask(s, outs) => Ok((State::Recovery(Step::Identify(s)), outs)),
        Outcome::Failed(outs) => failed(outs),
        Outcome::Found(account) => found(ctx, account).await,
    }
}

/// Found: no code is sent when the password was reset a moment ago.
async fn found(ctx: &Ctx, account: Account) -> Turn {
    if let Some(until) = guard::reset_locked(ctx, &account.number).await? {
        return to_menu(too_soon(ctx, until));
    }
    match prove::begin(ctx, &account, Purpose::Recover) {
        Proof::Ask(s, outs) => Ok((State::Recovery(Step::Prove(s)), outs)),
        Proof::Failed(outs) => failed(outs),
        Proof::Proven { .. } => Err(super::EngineError::Internal(
            "recovery proved without an answer".into(),
        )),
    }
}

async fn proof(ctx: &Ctx, chat: &ChatCtx, outcome: Proof) -> Turn {
    match outcome {
        Proof::Ask(s, outs) => Ok((State::Recovery(Step::Prove(s)), outs)),
        Proof::Failed(outs) => failed(outs),
        Proof::Proven { account, said } => {
            let (state, outs) = reset(ctx, chat, account).await?;
            Ok((state, said.into_iter().chain(outs).collect()))
        }
    }
}

/// A new password, stored as a hash and sent to the contacts on file; this chat is linked.
async fn reset(ctx: &Ctx, chat: &ChatCtx, account: Account) -> Turn {
    let Some(phone) = account.phone.clone() else {
        return failed(office(ctx, prove::ProveText::NoWay));
    };
    if let Some(until) = guard::reset(ctx, &account.number).await? {
        return to_menu(too_soon(ctx, until));
    }
    let password = generate_password();
    let message = |channel, recipient: &str| {
        delivery::credentials(
            templates::TEMPORARY_PASSWORD,
            channel,
            recipient,
            &account.number,
            &password,
            chat,
        )
    };
    let mut sent = vec![message(Channel::Sms, &phone)];
    sent.extend(account.email.as_deref().map(|e| message(Channel::Email, e)));
    let hash = delivery::hash(&password).await?;
    chat.touch();
    ctx.store
        .reset_password(account.id, &hash, &sent, chat.chat_id)
        .await?;
    let phone = mask_phone(&phone);
    to_menu(match account.email.as_deref().map(mask_email) {
        Some(email) => RecText::SentBoth { phone, email },
        None => RecText::SentSms { phone },
    })
}

fn too_soon(ctx: &Ctx, until: chrono::DateTime<chrono::Utc>) -> RecText {
    match guard::lifts_at(ctx, until) {
        (None, time) => RecText::TooSoon { time },
        (Some(date), time) => RecText::TooSoonOn { date, time },
    }
}

fn failed(mut outs: Vec<Out>) -> Turn {
    outs.push(Out::Menu);
    Ok((State::Menu, outs))
}
