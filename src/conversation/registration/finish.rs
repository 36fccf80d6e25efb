//! The end of registration: one transaction fills in the contacts the account lacks, creates
//! the web credentials, queues them for SMS / email and links the chat. The password is never
//! said in the chat.

use super::RegText;
use crate::billing::AccountNumber;
use crate::contact::{Email, Phone};
use crate::contact::{mask_email, mask_phone};
use crate::conversation::prove::{ProveText, office};
use crate::conversation::{ChatCtx, Ctx, Out, State, Turn, delivery, to_menu};
use crate::credentials::generate_password;
use crate::store::identification::{Registered, Registration, templates};
use crate::store::outbox::Channel;

/// `phone`: a number proved in this registration (the account had none); `email`: a new
/// address (the account had none).
pub(super) async fn finish(
    ctx: &Ctx,
    chat: &ChatCtx,
    number: &AccountNumber,
    phone: Option<&Phone>,
    email: Option<&Email>,
) -> Turn {
    let Some(account) = ctx.store.account_by_number(number).await? else {
        // Closed by an operator since identification.
        let mut outs = office(ctx, ProveText::NoWay);
        outs.push(Out::Menu);
        return Ok((State::Menu, outs));
    };
    let sms_to = account
        .phone
        .clone()
        .or_else(|| phone.map(|p| p.as_str().to_owned()));
    let email_to = account
        .email
        .clone()
        .or_else(|| email.map(|e| e.as_str().to_owned()));
    let password = generate_password();
    let message = |channel, recipient: &str| {
        delivery::credentials(
            templates::WEB_CREDENTIALS,
            channel,
            recipient,
            number,
            &password,
            chat,
        )
    };
    let mut credentials = Vec::new();
    credentials.extend(sms_to.as_deref().map(|p| message(Channel::Sms, p)));
    credentials.extend(email_to.as_deref().map(|e| message(Channel::Email, e)));
    let password_hash = match account.credential_hash {
        // Not needed: the account keeps its password.
        Some(_) => String::new(),
        None => delivery::hash(&password).await?,
    };
    chat.touch();
    let registered = ctx
        .store
        .register_holder(&Registration {
            chat_id: chat.chat_id,
            account: account.id,
            phone: phone.map(|p| p.as_str().to_owned()),
            email: email.map(|e| e.as_str().to_owned()),
            password_hash,
            credentials,
        })
        .await?;
    let account = number.clone();
    let phone = sms_to.as_deref().map(mask_phone).unwrap_or_default();
    match (registered, email_to) {
        (Registered::HadPassword { .. }, _) => to_menu(RegText::OnWeb { account }),
        (Registered::Created { .. }, None) => to_menu(RegText::Done { account, phone }),
        (Registered::Created { .. }, Some(email)) => to_menu(RegText::DoneWithEmail {
            account,
            phone,
            email: mask_email(&email),
        }),
    }
}
