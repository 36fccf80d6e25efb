//! Where rendered outbox messages go: one [`Sender`] per channel. The log sender stands in for
//! any channel that is not configured; it logs who (masked) and what template, never the text.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use teloxide::prelude::*;

use crate::channels::telegram::adapter::{TgBot, retrying};
use crate::channels::telegram::limiter::Limiter;
use crate::config::Secret;
use crate::contact::{mask_email, mask_phone};
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
}

/// Why a message did not leave; the worker retries it later.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("the recipient {0:?} is not valid for the channel")]
    BadRecipient(String),
    #[error("transport: {0}")]
    Transport(String),
    #[error("rejected with status {0}")]
    Status(u16),
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
#[derive(Clone, Copy, Debug, Default)]
pub struct LogSender;

#[async_trait]
impl Sender for LogSender {
    async fn send(&self, message: &Outgoing) -> Result<(), SendError> {
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
        retrying(|| {
            self.bot
                .send_message(ChatId(chat), message.text.clone())
                .send()
        })
        .await
        .map(drop)
        .map_err(|e| SendError::Transport(e.to_string()))
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
