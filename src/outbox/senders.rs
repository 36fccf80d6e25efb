//! Where rendered outbox messages go: one [`Sender`] per channel. The log sender stands in for
//! any channel that is not configured; it logs who (masked) and what template, never the text.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::channels::telegram::adapter::{TgBot, retrying};
use crate::channels::telegram::limiter::Limiter;
use crate::config::Secret;
use crate::contact::{mask_email, mask_phone};
use crate::conversation::Button;
use crate::store::outbox::Channel;

/// A rendered message ready to leave.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    pub id: i64,
    pub channel: Channel,
    /// Phone, email address or chat id, as the channel needs.
    pub recipient: String,
    pub template: String,
    /// The email subject in the message's language (other channels ignore it).
    pub subject: String,
    /// The text; it may hold a password or a code, so it is never logged.
    pub text: String,
    /// Inline buttons under a chat notice (other channels ignore them).
    pub buttons: Vec<Vec<Button>>,
}

/// Why a message did not leave: the worker retries it later, unless it never can leave
/// ([`SendError::is_permanent`]).
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("the recipient {0:?} is not valid for the channel")]
    BadRecipient(String),
    #[error("transport: {0}")]
    Transport(String),
    #[error("rejected with status {0}")]
    Status(u16),
    /// No transport is configured for the channel, and the message carries a secret the
    /// recipient needs (a password, a code): logging it would pretend it was delivered.
    #[error("no {0} transport is configured: a password or code cannot be delivered")]
    NoTransport(Channel),
    /// The chat blocked the bot, or is gone (Telegram's 403): nothing more goes there until
    /// it writes again.
    #[error("chat {0} blocked the bot")]
    Blocked(i64),
}

impl SendError {
    /// True when trying again cannot help: the message is dead-lettered at once.
    pub fn is_permanent(&self) -> bool {
        match self {
            SendError::BadRecipient(_) | SendError::NoTransport(_) | SendError::Blocked(_) => true,
            // A 4xx is the gateway refusing this message, except "too slow" and "too many".
            SendError::Status(code) => (400..500).contains(code) && ![408, 429].contains(code),
            SendError::Transport(_) => false,
        }
    }
}

/// Delivers a message over one channel.
#[async_trait]
pub trait Sender: Send + Sync {
    async fn send(&self, message: &Outgoing) -> Result<(), SendError>;
}

/// The recipient half-hidden, for logs: phones and emails masked, chat ids as they are.
pub fn masked_recipient(channel: Channel, recipient: &str) -> String {
    match channel {
        Channel::Sms => mask_phone(recipient),
        Channel::Email => mask_email(recipient),
        Channel::Telegram => recipient.to_owned(),
    }
}

/// Logs that a message would go out; sends nothing. The default for unconfigured channels.
/// A message carrying a password or a code is refused instead (it would be lost while the
/// user waits for it): it is dead-lettered and the chat that asked is told.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogSender;

#[async_trait]
impl Sender for LogSender {
    async fn send(&self, message: &Outgoing) -> Result<(), SendError> {
        if super::templates::carries_secret(&message.template) {
            return Err(SendError::NoTransport(message.channel));
        }
        tracing::info!(
            outbox_id = message.id,
            channel = %message.channel,
            template = %message.template,
            to = %masked_recipient(message.channel, &message.recipient),
            "outbox message logged (no sender configured for the channel)"
        );
        Ok(())
    }
}

/// An SMS gateway over HTTP: `POST {url}` with JSON `{"to", "text"}` and a bearer token;
/// any 2xx answer counts as accepted.
pub struct HttpSmsSender {
    client: reqwest::Client,
    url: reqwest::Url,
    token: Secret,
}

impl HttpSmsSender {
    /// The gateway at `url` (SMS_GATEWAY_URL) with `token` (SMS_GATEWAY_TOKEN).
    pub fn new(url: reqwest::Url, token: Secret) -> Result<HttpSmsSender, SendError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| SendError::Transport(e.to_string()))?;
        Ok(HttpSmsSender { client, url, token })
    }
}

#[async_trait]
impl Sender for HttpSmsSender {
    async fn send(&self, message: &Outgoing) -> Result<(), SendError> {
        let body = serde_json::json!({ "to": message.recipient, "text": message.text });
        let response = self
            .client
            .post(self.url.clone())
            .bearer_auth(self.token.expose())
            .json(&body)
            .send()
            .await
            // The error may carry the URL but never the body.
            .map_err(|e| SendError::Transport(e.without_url().to_string()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(SendError::Status(status.as_u16()))
        }
    }
}

/// Chat messages through the bot, as plain text (no markup to escape), at the pace of the
/// bot's limiter.
pub struct TelegramSender {
    bot: TgBot,
    limiter: Arc<Limiter>,
}

impl TelegramSender {
    pub fn new(bot: TgBot) -> TelegramSender {
        TelegramSender {
            bot,
            limiter: Arc::new(Limiter::local()),
        }
    }

    /// Shares the adapter's limiter, so chat turns and notices keep one pace.
    pub fn with_limiter(mut self, limiter: Arc<Limiter>) -> TelegramSender {
        self.limiter = limiter;
        self
    }
}

#[async_trait]
impl Sender for TelegramSender {
    async fn send(&self, message: &Outgoing) -> Result<(), SendError> {
        let chat: i64 = message
            .recipient
            .parse()
            .map_err(|_| SendError::BadRecipient(message.recipient.clone()))?;
        self.limiter.wait(chat).await;
        let keyboard = (!message.buttons.is_empty()).then(|| {
            InlineKeyboardMarkup::new(message.buttons.iter().map(|row| {
                row.iter()
                    .map(|b| InlineKeyboardButton::callback(b.label.clone(), b.data.clone()))
            }))
        });
        retrying(|| {
            let mut request = self.bot.send_message(ChatId(chat), message.text.clone());
            if let Some(keyboard) = &keyboard {
                request = request.reply_markup(keyboard.clone());
            }
            request.send()
        })
        .await
        .map(drop)
        .map_err(|e| match e {
            teloxide::RequestError::Api(api) if is_forbidden(&api) => SendError::Blocked(chat),
            e => SendError::Transport(e.to_string()),
        })
    }
}

/// Telegram's 403s: the bot was blocked, kicked, or the user is gone or never started it.
fn is_forbidden(error: &teloxide::ApiError) -> bool {
    use teloxide::ApiError as E;
    match error {
        E::BotBlocked | E::BotKicked | E::BotKickedFromSupergroup | E::UserDeactivated => true,
        E::CantInitiateConversation | E::CantTalkWithBots => true,
        E::Unknown(description) => description.starts_with("Forbidden"),
        _ => false,
    }
}

/// The sender of each channel.
#[derive(Clone)]
pub struct Senders {
    pub sms: Arc<dyn Sender>,
    pub email: Arc<dyn Sender>,
    pub telegram: Arc<dyn Sender>,
}

impl Default for Senders {
    /// Every channel logged only.
    fn default() -> Senders {
        Senders {
            sms: Arc::new(LogSender),
            email: Arc::new(LogSender),
            telegram: Arc::new(LogSender),
        }
    }
}

impl Senders {
    /// The sender for `channel`.
    pub fn of(&self, channel: Channel) -> &Arc<dyn Sender> {
        match channel {
            Channel::Sms => &self.sms,
            Channel::Email => &self.email,
            Channel::Telegram => &self.telegram,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_of_the_message_itself_are_permanent_and_outages_are_not() {
        assert!(SendError::Status(400).is_permanent());
        assert!(SendError::BadRecipient("x".into()).is_permanent());
        assert!(SendError::NoTransport(Channel::Sms).is_permanent());
        assert!(!SendError::Status(429).is_permanent());
        assert!(!SendError::Status(503).is_permanent());
        assert!(!SendError::Transport("reset".into()).is_permanent());
    }

    #[test]
    fn logged_recipients_are_masked_except_chat_ids() {
        assert_eq!(
            masked_recipient(Channel::Sms, "+79267771024"),
            "+7 926 ***-**-24"
        );
        assert_eq!(
            masked_recipient(Channel::Email, "a.petrova@example.com"),
            "a***a@example.com"
        );
        assert_eq!(masked_recipient(Channel::Telegram, "4242"), "4242");
    }
}
