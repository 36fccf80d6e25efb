//! The terminal chat's stand-in for the phone and the mailbox: SMS and emails queued during
//! a turn are printed into the transcript, marked as such, and count as delivered (secrets are
//! erased from the outbox then, as after a real delivery). Messages queued before the chat
//! started are left to the outbox worker.
//!
//! ```text
//! < [SMS → +7 903 ***-**-17] Код подтверждения: 482913. Никому его не сообщайте…
//! ```

use crate::conversation::{Keyboard, Reply};
use crate::i18n::I18n;
use crate::outbox::senders::masked_recipient;
use crate::outbox::templates;
use crate::store::outbox::{Channel, OutboxMessage};
use crate::store::{Store, StoreResult};
use chrono::Utc;

/// Reads the outbox as the terminal's phone and mailbox.
pub struct Mailbox {
    /// Messages up to this id were there before the chat started, or are printed already.
    seen: i64,
    /// The chat whose notices (a payment credited) are shown too.
    chat_id: i64,
}

impl Mailbox {
    /// Starts after every message queued so far, for the terminal's chat `chat_id`.
    pub async fn open(store: &Store, chat_id: i64) -> StoreResult<Mailbox> {
        Ok(Mailbox {
            seen: store.outbox_last_id().await?,
            chat_id,
        })
    }

    /// The SMS and emails queued since the last look, and the chat notices to the terminal
    /// (with their buttons, pressable as any other), as replies; they are marked delivered.
    pub async fn collect(&mut self, store: &Store, i18n: &I18n) -> StoreResult<Vec<Reply>> {
        let mut shown = Vec::new();
        for message in store.outbox_after(self.seen).await? {
            self.seen = self.seen.max(message.id);
            // Chat notices (a payment credited) addressed to the terminal are shown too.
            let to_terminal = message.recipient == self.chat_id.to_string();
            if message.channel == Channel::Telegram && !to_terminal {
                continue;
            }
            shown.push(show(i18n, &message));
            if templates::carries_secret(&message.template) {
                store
                    .mark_delivered_erasing_payload(message.id, Utc::now())
                    .await?;
            } else {
                store.mark_delivered(message.id, Utc::now()).await?;
            }
        }
        Ok(shown)
    }
}

/// `[SMS → +7 903 ***-**-17] text…`: the text marked with where it went, and its buttons.
fn show(i18n: &I18n, message: &OutboxMessage) -> Reply {
    let to = masked_recipient(message.channel, &message.recipient);
    let kind = match message.channel {
        Channel::Sms => "SMS",
        Channel::Email => "Email",
        Channel::Telegram => "Telegram",
    };
    let text = templates::render(i18n, message)
        .unwrap_or_else(|e| format!("(the message cannot be shown: {e})"));
    let buttons = templates::buttons(i18n, message);
    Reply {
        text: format!("[{kind} → {to}] {text}"),
        keyboard: (!buttons.is_empty()).then_some(Keyboard::Inline(buttons)),
        ..Reply::default()
    }
}
