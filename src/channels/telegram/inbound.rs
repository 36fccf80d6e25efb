//! What a Telegram update means to the engine: an [`Event`] of a chat.
//!
//! `/start <payload>` carries a signed deep link (see [`deeplink`]): a verified one becomes the
//! start argument the engine knows (a section code, or the account number for registration); a
//! forged, edited or expired one becomes [`start::INVALID_LINK`], so the engine answers the
//! normal start with a note. The engine never sees signatures.

use chrono::{DateTime, Utc};
use teloxide::types::{CallbackQueryId, MessageId, Update, UpdateKind};

use super::deeplink::{self, DeepLink, LinkAction, LinkKey};
use crate::conversation::Event;
use crate::conversation::start;

/// An update the engine should handle.
#[derive(Clone, Debug, PartialEq)]
pub struct Inbound {
    pub chat_id: i64,
    pub event: Event,
    /// Set when an inline button was pressed: the query to answer and the message it was under.
    pub pressed: Option<Pressed>,
    /// The user's own message (to delete when it held a password).
    pub message: Option<MessageId>,
    /// False in groups, supergroups and channels, where the bot does not serve: every member
    /// would see the holder's data and typed passwords.
    pub private: bool,
}

/// A pressed inline button.
#[derive(Clone, Debug, PartialEq)]
pub struct Pressed {
    pub query: CallbackQueryId,
    pub message: Option<MessageId>,
}

/// The event in an update, or `None` for what the bot does not handle (edits, channel posts,
/// a callback query without data — which still needs an answer, see [`callback_to_answer`]).
pub fn inbound(update: &Update, now: DateTime<Utc>, key: Option<&LinkKey>) -> Option<Inbound> {
    match &update.kind {
        UpdateKind::Message(message) => {
            let event = if let Some(contact) = message.contact() {
                let owner_is_sender = match (contact.user_id, message.from.as_ref()) {
                    (Some(owner), Some(from)) => owner == from.id,
                    _ => false,
                };
                Event::Contact {
                    phone: contact.phone_number.clone(),
                    owner_is_sender,
                }
            } else {
                // Photos, stickers and the like arrive as empty text: the engine asks for text.
                text_event(message.text().unwrap_or_default(), now, key)
            };
            Some(Inbound {
                chat_id: message.chat.id.0,
                event,
                pressed: None,
                message: Some(message.id),
                private: message.chat.is_private(),
            })
        }
        UpdateKind::CallbackQuery(query) => {
            let data = query.data.clone()?;
            // In a private chat the chat id is the user's id.
            let chat_id = query
                .message
                .as_ref()
                .map_or(query.from.id.0 as i64, |m| m.chat().id.0);
            Some(Inbound {
                chat_id,
                event: Event::Button(data),
                pressed: Some(Pressed {
                    query: query.id.clone(),
                    message: query.message.as_ref().map(|m| m.id()),
                }),
                message: None,
                private: query.message.as_ref().is_none_or(|m| m.chat().is_private()),
            })
        }
        _ => None,
    }
}

/// A callback query the engine will not see, which must still be answered to stop the spinner.
pub fn callback_to_answer(update: &Update) -> Option<CallbackQueryId> {
    match &update.kind {
        UpdateKind::CallbackQuery(q) if q.data.is_none() => Some(q.id.clone()),
        _ => None,
    }
}

fn text_event(text: &str, now: DateTime<Utc>, key: Option<&LinkKey>) -> Event {
    match Event::from_line(text) {
        Event::Start { payload: None } => Event::Start { payload: None },
        Event::Start { payload: Some(_) } => {
            let verified = deeplink::start_payload(text)
                .zip(key)
                .and_then(|(payload, key)| match deeplink::decode(payload, now, key) {
                    Ok(link) => Some(link),
                    Err(e) => {
                        tracing::info!(reason = %e, "a deep link was refused");
                        None
                    }
                });
            Event::Start {
                payload: Some(verified.map_or_else(|| start::INVALID_LINK.to_owned(), start_arg)),
            }
        }
        other => other,
    }
}

/// The start argument the engine opens a section by.
fn start_arg(link: DeepLink) -> String {
    match (link.action, link.account) {
        (LinkAction::Registration, Some(account)) => account.as_str().to_owned(),
        (LinkAction::Registration, None) => "register".into(),
        (action, _) => action.code().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::AccountNumber;

    fn key() -> LinkKey {
        LinkKey::new("0123456789abcdef-test").unwrap()
    }

    fn start_with(payload: &str) -> Event {
        text_event(&format!("/start {payload}"), Utc::now(), Some(&key()))
    }

    #[test]
    fn a_signed_link_opens_its_section_and_prefills_the_account() {
        let later = Utc::now() + chrono::Duration::days(1);
        let account = AccountNumber::parse("7701000000017").unwrap();
        let reg = deeplink::encode(LinkAction::Registration, Some(&account), later, &key());
        assert_eq!(
            start_with(&reg),
            Event::Start {
                payload: Some("7701000000017".into())
            }
        );
        let readings = deeplink::encode(LinkAction::Readings, None, later, &key());
        assert_eq!(
            start_with(&readings),
            Event::Start {
                payload: Some("readings".into())
            }
        );
    }

    #[test]
    fn unsigned_forged_and_expired_links_become_the_invalid_link_start() {
        let invalid = Event::Start {
            payload: Some(start::INVALID_LINK.into()),
        };
        let earlier = Utc::now() - chrono::Duration::minutes(5);
        let expired = deeplink::encode(LinkAction::Readings, None, earlier, &key());
        let other_key = LinkKey::new("another-key-of-16-bytes").unwrap();
        let later = Utc::now() + chrono::Duration::days(1);
        let forged = deeplink::encode(LinkAction::Pay, None, later, &other_key);
        for payload in [
            "readings",
            "7701000000017",
            expired.as_str(),
            forged.as_str(),
        ] {
            assert_eq!(start_with(payload), invalid, "{payload}");
        }
        assert_eq!(
            text_event("/start", Utc::now(), None),
            Event::Start { payload: None }
        );
    }
}
