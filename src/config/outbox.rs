//! Where the outbox sends SMS and email. A channel left unset is only logged.

use super::read::{Reader, http_url};
use super::secret::{ConnUrl, Secret};

/// The outbox senders' settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outbox {
    /// `SMS_GATEWAY_URL` and `SMS_GATEWAY_TOKEN`: an HTTP SMS gateway taking
    /// `POST {"to", "text"}` with a bearer token.
    pub sms_gateway: Option<SmsGateway>,
    /// `SMTP_URL` and `SMTP_FROM`: an SMTP server for email, both set or neither.
    pub smtp: Option<Smtp>,
    /// `OUTBOX_MAX_ATTEMPTS`: failed sends after which a message is dead-lettered.
    pub max_attempts: i32,
}

impl Default for Outbox {
    fn default() -> Outbox {
        Outbox {
            sms_gateway: None,
            smtp: None,
            max_attempts: 10,
        }
    }
}

/// An SMTP server and the sender's address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Smtp {
    /// A lettre connection URL, `smtps://user:pass@host:465` or `smtp://host:25` (with
    /// `?tls=required` for STARTTLS); it may carry a password, so it prints masked.
    pub url: ConnUrl,
    /// The `From` address, `Энергосбыт <noreply@example.ru>` or a bare address.
    pub from: lettre::message::Mailbox,
}

/// An HTTP SMS gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsGateway {
    pub url: String,
    pub token: Secret,
}

pub(super) fn read(r: &mut Reader<'_>) -> Outbox {
    let url = r.optional(
        "SMS_GATEWAY_URL",
        "an http(s):// URL of the SMS gateway",
        http_url,
    );
    let token = r.secret("SMS_GATEWAY_TOKEN");
    let sms_gateway = match (url, token) {
        (Some(url), Some(token)) => Some(SmsGateway { url, token }),
        (Some(_), None) => {
            r.fail(
                "SMS_GATEWAY_TOKEN",
                "not set; the SMS gateway (SMS_GATEWAY_URL is set) needs its bearer token",
            );
            None
        }
        (None, _) => None,
    };
    let smtp = read_smtp(r);
    let max_attempts = r.number("OUTBOX_MAX_ATTEMPTS", 10, 1..=100);
    Outbox {
        sms_gateway,
        smtp,
        max_attempts,
    }
}

fn read_smtp(r: &mut Reader<'_>) -> Option<Smtp> {
    let url = r.optional_secret(
        "SMTP_URL",
        "an smtp:// or smtps:// URL of the mail server",
        |v| ConnUrl::parse(v, &["smtp", "smtps"]),
    );
    let from = r.optional(
        "SMTP_FROM",
        "a mail address like `Name <noreply@example.ru>`",
        |v| v.parse().ok(),
    );
    let url_set = r.raw("SMTP_URL").is_some();
    let from_set = r.raw("SMTP_FROM").is_some();
    if url_set && !from_set {
        r.fail(
            "SMTP_FROM",
            "not set; email by SMTP (SMTP_URL is set) needs the sender's address",
        );
    }
    if from_set && !url_set {
        r.fail(
            "SMTP_URL",
            "not set; SMTP_FROM is set but there is no mail server to send through",
        );
    }
    Some(Smtp {
        url: url?,
        from: from?,
    })
}
