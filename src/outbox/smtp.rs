//! Email over SMTP: one plain-text UTF-8 message per outbox entry, through the server of
//! `SMTP_URL`, from `SMTP_FROM`.

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use super::senders::{Outgoing, SendError, Sender};
use crate::config::Smtp;

/// Longer than a healthy server takes to accept a message; the worker's lease is longer still.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Sends email through one SMTP server. A connection per message: the outbox sends few.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpSender {
    /// The server and sender address of the settings. Nothing is contacted yet.
    pub fn new(settings: &Smtp) -> Result<SmtpSender, SendError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(settings.url.expose())
            // Not the URL: it may hold the password.
            .map_err(|e| SendError::Transport(format!("SMTP_URL {}: {e}", settings.url)))?
            .timeout(Some(TIMEOUT))
            .build();
        Ok(SmtpSender {
            transport,
            from: settings.from.clone(),
        })
    }
}

#[async_trait]
impl Sender for SmtpSender {
    async fn send(&self, message: &Outgoing) -> Result<(), SendError> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|_| SendError::BadRecipient(message.recipient.clone()))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(message.text.clone())
            .map_err(|e| SendError::Transport(e.to_string()))?;
        match self.transport.send(email).await {
            Ok(_) => Ok(()),
            Err(e) => match e.status() {
                Some(code) => Err(SendError::Status(
                    code.to_string().parse().unwrap_or_default(),
                )),
                None => Err(SendError::Transport(e.to_string())),
            },
        }
    }
}
