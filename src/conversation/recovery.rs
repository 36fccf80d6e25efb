//! Access recovery: the holder identifies themselves (payment code → name → maybe a meter
//! serial), then a new temporary password goes by SMS to the phone on file and by email to the
//! address on file (outbox), never into the chat. The credential epoch bumps, so links made
//! with the old password must be renewed.
//!
//! ```text
//! > /recover
//! < Восстановление доступа к личному кабинету. Введите платёжный код…
//! > 7701000000062
//! < Введите фамилию, имя и отчество владельца лицевого счёта…
//! > Кузнецов Олег Николаевич
//! < Новый временный пароль отправлен в SMS на номер +7985*****62 и на почту o.***@example.com…
//! ```

use super::help::HelpText;
use super::identify::{self, IdentText, Outcome};
use super::{ChatCtx, Ctx, Event, Out, State, Turn, delivery, say, stale_button, to_menu};
use crate::contact::{mask_email, mask_phone};
use crate::credentials::generate_password;
use crate::i18n::texts;
use crate::store::accounts::Account;
use crate::store::identification::templates;
use crate::store::outbox::Channel;
use serde::{Deserialize, Serialize};

texts! {
    /// What access recovery says (identification speaks for itself: `identify::IdentText`).
    pub enum RecText {
        Start => "rec-start",
        SentSms { phone: String } => "rec-sent-sms",
        SentEmail { email: String } => "rec-sent-email",
        SentBoth { phone: String, email: String } => "rec-sent-both",
        /// Neither a phone nor an email on file: nowhere to send a password.
        NoContacts => "rec-no-contacts",
    }
}

/// What access recovery waits for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Identify(identify::Step),
}

/// `/recover`, the menu item, or «Забыли пароль?» at login (`args` prefills the account).
pub async fn start(ctx: &Ctx, chat: &ChatCtx, args: &str) -> Turn {
    let outcome = identify::begin(ctx, chat, RecText::Start, args).await?;
    identification(ctx, outcome).await
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    let Step::Identify(s) = state;
    match event {
        Event::Text(text) => {
            let outcome = identify::answer(ctx, chat, s, &text).await?;
            identification(ctx, outcome).await
        }
        Event::Button(_) => stale_button(),
        _ => identification(ctx, identify::repeat(s)).await,
    }
}

async fn identification(ctx: &Ctx, outcome: Outcome) -> Turn {
    match outcome {
        Outcome::Ask(s, outs) => Ok((State::Recovery(Step::Identify(s)), outs)),
        Outcome::Failed(mut outs) => {
            outs.push(Out::Menu);
            Ok((State::Menu, outs))
        }
        Outcome::Identified(account) => reset(ctx, account).await,
    }
}

/// A new password, stored as a hash and sent to the contacts on file.
async fn reset(ctx: &Ctx, account: Account) -> Turn {
    if account.phone.is_none() && account.email.is_none() {
        let outs = vec![
            say(RecText::NoContacts).into(),
            say(IdentText::GoToOffice).into(),
            say(HelpText::Offices).into(),
            Out::Menu,
        ];
        return Ok((State::Menu, outs));
    }
    let password = generate_password();
    let message = |channel, recipient: &str| {
        delivery::credentials(
            templates::TEMPORARY_PASSWORD,
            channel,
            recipient,
            &account.number,
            &password,
        )
    };
    let mut sent = Vec::new();
    sent.extend(account.phone.as_deref().map(|p| message(Channel::Sms, p)));
    sent.extend(account.email.as_deref().map(|e| message(Channel::Email, e)));
    let hash = delivery::hash(&password).await?;
    ctx.store.reset_password(account.id, &hash, &sent).await?;
    let phone = account.phone.as_deref().map(mask_phone);
    let email = account.email.as_deref().map(mask_email);
    let text = match (phone, email) {
        (Some(phone), Some(email)) => RecText::SentBoth { phone, email },
        (Some(phone), None) => RecText::SentSms { phone },
        (None, Some(email)) => RecText::SentEmail { email },
        (None, None) => RecText::NoContacts,
    };
    to_menu(text)
}
