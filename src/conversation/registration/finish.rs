//! The end of registration: one transaction saves the contacts, creates the web credentials,
//! queues them for SMS / email and links the chat. The password is never said in the chat.

use super::RegText;
use crate::billing::AccountNumber;
use crate::contact::{Email, Phone};
use crate::contact::{mask_email, mask_phone};
use crate::conversation::identify::IdentText;
use crate::conversation::{ChatCtx, Ctx, Turn, delivery, to_menu};
use crate::credentials::generate_password;
use crate::store::identification::{Registered, Registration, templates};
use crate::store::outbox::Channel;

pub(super) async fn finish(
    ctx: &Ctx,
    chat: &ChatCtx,
    number: &AccountNumber,
    phone: &Phone,
    email: Option<&Email>,
) -> Turn {
    let Some(account) = ctx.store.account_by_number(number).await? else {
        // Closed by an operator since identification.
        return to_menu(IdentText::UnknownAccount {
            account: number.clone(),
        });
    };
    let password = generate_password();
    let message = |channel, recipient: &str| {
        delivery::credentials(
            templates::WEB_CREDENTIALS,
            channel,
            recipient,
            number,
            &password,
        )
    };
    let mut credentials = vec![message(Channel::Sms, phone.as_str())];
    credentials.extend(email.map(|e| message(Channel::Email, e.as_str())));
    let registered = ctx
        .store
        .register_holder(&Registration {
            chat_id: chat.chat_id,
            account: account.id,
            phone: phone.as_str().to_owned(),
            email: email.map(|e| e.as_str().to_owned()),
            password_hash: delivery::hash(&password).await?,
            credentials,
        })
        .await?;
    let account = number.clone();
    let phone = mask_phone(phone.as_str());
    match (registered, email) {
        (Registered::HadPassword { .. }, _) => to_menu(RegText::OnWeb { account }),
        (Registered::Created { .. }, None) => to_menu(RegText::Done { account, phone }),
        (Registered::Created { .. }, Some(email)) => to_menu(RegText::DoneWithEmail {
            account,
            phone,
            email: mask_email(email.as_str()),
        }),
    }
}
