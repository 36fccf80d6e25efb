//! The payer of an order (name and a phone or email for the fiscal receipt, prefilled from the
//! account), the consent, and the order registered at the gateway.

use super::{Draft, PayText, Step, data};
use crate::billing::Money;
use crate::contact::{Email, Phone, mask_email, mask_phone};
use crate::conversation::{Btn, ChatCtx, Ctx, State, Turn, say, to_menu};
use crate::payments::{Contact, NewOrder, Payer};
use crate::store::accounts::AccountId;

/// The payer's name and contact, prefilled from the account.
pub(super) async fn payer(
    ctx: &Ctx,
    link: &crate::store::chats::Link,
    items: Vec<(crate::billing::Service, Money)>,
) -> Turn {
    let account = ctx.store.account(AccountId(link.account_id)).await?;
    let contact = account
        .as_ref()
        .and_then(|a| a.email.clone().or_else(|| a.phone.clone()));
    let draft = Draft {
        items,
        name: link.holder.clone(),
        contact,
    };
    if draft.contact.is_none() {
        return ask_contact(draft, PayText::AskContactNone);
    }
    consent(ctx, link, draft)
}

pub(super) fn ask_name(draft: Draft, text: PayText) -> Turn {
    Ok((
        State::Pay(Step::TypeName { draft }),
        vec![say(text).buttons(vec![vec![Btn::cancel()]]).into()],
    ))
}

pub(super) fn ask_contact(draft: Draft, text: PayText) -> Turn {
    Ok((
        State::Pay(Step::TypeContact { draft }),
        vec![say(text).buttons(vec![vec![Btn::cancel()]]).into()],
    ))
}

/// The summary with the payer; agreeing to the policy and the user agreement goes on.
pub(super) fn consent(ctx: &Ctx, link: &crate::store::chats::Link, draft: Draft) -> Turn {
    let amount: Money = draft.items.iter().map(|(_, m)| *m).sum();
    let text = PayText::Consent {
        amount,
        account: link.number.to_string(),
        name: draft.name.clone(),
        contact: shown_contact(draft.contact.as_deref().unwrap_or_default()),
        privacy: ctx.settings.links.privacy_policy.clone(),
        agreement: ctx.settings.links.user_agreement.clone(),
    };
    Ok((
        State::Pay(Step::Consent { draft }),
        vec![
            say(text)
                .buttons(vec![
                    vec![Btn::new(PayText::ConsentButton, data::AGREE)],
                    vec![
                        Btn::new(PayText::ChangeNameButton, data::NAME),
                        Btn::new(PayText::ChangeContactButton, data::CONTACT),
                    ],
                    vec![Btn::cancel()],
                ])
                .into(),
        ],
    ))
}

pub(super) async fn register(
    ctx: &Ctx,
    chat: &ChatCtx,
    link: &crate::store::chats::Link,
    draft: Draft,
) -> Turn {
    let Some(payments) = &ctx.payments else {
        return to_menu(PayText::Unavailable);
    };
    let contact = match draft.contact.as_deref().and_then(parse_contact) {
        Some(c) if c.starts_with('+') => Contact::Phone(c.trim_start_matches('+').to_owned()),
        Some(c) => Contact::Email(c),
        None => return ask_contact(draft, PayText::AskContactNone),
    };
    let amount: Money = draft.items.iter().map(|(_, m)| *m).sum();
    let order = NewOrder {
        account_id: AccountId(link.account_id),
        account: link.number.clone(),
        chat_id: Some(chat.chat_id),
        items: draft.items,
        payer: Payer {
            name: draft.name,
            contact,
        },
        lang: chat.lang.code(),
    };
    match payments.register(order).await {
        Ok(reg) => {
            let text = match &reg.sbp_url {
                Some(sbp) => PayText::LinkSbp {
                    amount,
                    account: link.number.to_string(),
                    sbp: sbp.clone(),
                },
                None => PayText::Link {
                    amount,
                    account: link.number.to_string(),
                },
            };
            Ok((
                State::Menu,
                vec![
                    say(text)
                        .link(PayText::CardButton, reg.form_url)
                        .buttons(vec![vec![Btn::menu()]])
                        .into(),
                ],
            ))
        }
        Err(e) => {
            tracing::warn!(error = %e, "payment order not registered");
            to_menu(PayText::Failed)
        }
    }
}

/// The receipt's contact as the chat shows it: masked, like every phone and address the bot
/// repeats (`+7 903 ***-**-17`, `iv***@mail.ru`).
fn shown_contact(contact: &str) -> String {
    if contact.starts_with('+') {
        mask_phone(contact)
    } else {
        mask_email(contact)
    }
}

/// A phone (`+7…`) or an email, normalised; `None` for anything else.
pub(crate) fn parse_contact(text: &str) -> Option<String> {
    if text.contains('@') {
        return Email::parse(text).ok().map(|e| e.as_str().to_owned());
    }
    Phone::parse(text).ok().map(|p| p.as_str().to_owned())
}
