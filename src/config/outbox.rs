//! Where the outbox sends SMS and email. A channel left unset is only logged.

use super::read::{Reader, http_url};
use super::secret::Secret;

/// The outbox senders' settings.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Outbox {
    /// `SMS_GATEWAY_URL` and `SMS_GATEWAY_TOKEN`: an HTTP SMS gateway taking
    /// `POST {"to", "text"}` with a bearer token.
    pub sms_gateway: Option<SmsGateway>,
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
    Outbox { sms_gateway }
}
