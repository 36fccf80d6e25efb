//! The Telegram channel's settings besides the token: the webhook (its secret and listener),
//! the Bot API server, deep links.

use super::read::{Reader, http_url};
use super::secret::Secret;
use super::{ConfigError, Settings, VarError};
use std::net::SocketAddr;

/// The shortest webhook secret accepted: 32 characters of `A-Za-z0-9_-` (about 190 bits).
pub const WEBHOOK_SECRET_MIN_LEN: usize = 32;
/// The longest webhook secret Telegram accepts.
pub const WEBHOOK_SECRET_MAX_LEN: usize = 256;

/// True for a webhook secret we accept: [`WEBHOOK_SECRET_MIN_LEN`] to
/// [`WEBHOOK_SECRET_MAX_LEN`] characters of `A-Za-z0-9_-` (the characters Telegram allows).
pub fn webhook_secret_is_valid(value: &str) -> bool {
    (WEBHOOK_SECRET_MIN_LEN..=WEBHOOK_SECRET_MAX_LEN).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The Telegram channel's settings besides the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Telegram {
    /// `TELEGRAM_WEBHOOK_SECRET`: the secret token Telegram sends with every webhook request
    /// (32–256 of `A-Za-z0-9_-`, see [`webhook_secret_is_valid`]); webhook mode (PUBLIC_URL
    /// set) needs it (see [`Settings::require_webhook_secret`]).
    pub webhook_secret: Option<Secret>,
    /// `LISTEN_ADDR`: where `serve` listens for the webhook in webhook mode (127.0.0.1:8080).
    /// `/healthz` and `/metrics` are on [`Settings::metrics_addr`].
    pub listen_addr: SocketAddr,
    /// `TELEGRAM_API_URL`: the Bot API server (https://api.telegram.org/ by default; a local
    /// Bot API server or a test double otherwise).
    pub api_url: Option<String>,
    /// `TELEGRAM_BOT_USERNAME`: the bot's @username (without @), for deep links.
    pub bot_username: Option<String>,
    /// `DEEPLINK_KEY`: the secret (at least 16 bytes) that signs staff deep links.
    pub deeplink_key: Option<Secret>,
    /// `TELEGRAM_LEASE_SECS`: how long an instance holds a chat past its last heartbeat (30):
    /// after a crash, the chat's waiting updates are taken over this much later.
    pub lease: std::time::Duration,
}

impl Settings {
    /// The webhook secret, or an error naming `TELEGRAM_WEBHOOK_SECRET` (webhook mode and
    /// `set-webhook` cannot run without).
    pub fn require_webhook_secret(&self) -> Result<&Secret, ConfigError> {
        self.telegram.webhook_secret.as_ref().ok_or_else(|| {
            ConfigError::Invalid(vec![VarError {
                var: "TELEGRAM_WEBHOOK_SECRET",
                problem: format!(
                    "not set; the webhook (PUBLIC_URL is set) needs a secret of \
                     {WEBHOOK_SECRET_MIN_LEN} to {WEBHOOK_SECRET_MAX_LEN} characters of \
                     A-Za-z0-9_-, e.g. from `openssl rand -hex 32`"
                ),
            }])
        })
    }
}

pub(super) fn read(r: &mut Reader<'_>) -> Telegram {
    let webhook_secret = r.optional_secret(
        "TELEGRAM_WEBHOOK_SECRET",
        &format!(
            "{WEBHOOK_SECRET_MIN_LEN} to {WEBHOOK_SECRET_MAX_LEN} characters of A-Za-z0-9_-, \
             e.g. from `openssl rand -hex 32`"
        ),
        |v| webhook_secret_is_valid(v).then(|| Secret::new(v)),
    );
    let listen_addr = r.or(
        "LISTEN_ADDR",
        SocketAddr::from(([127, 0, 0, 1], 8080)),
        "an address like 127.0.0.1:8080",
        |v| v.parse().ok(),
    );
    let api_url = r.optional(
        "TELEGRAM_API_URL",
        "an http(s):// URL of a Bot API server",
        |v| http_url(v).map(|u| if u.ends_with('/') { u } else { u + "/" }),
    );
    let bot_username = r.optional(
        "TELEGRAM_BOT_USERNAME",
        "the bot's username, 5 to 32 of A-Za-z0-9_",
        |v| {
            let name = v.trim_start_matches('@');
            let ok = (5..=32).contains(&name.len())
                && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            ok.then(|| name.to_owned())
        },
    );
    let deeplink_key = r.optional_secret("DEEPLINK_KEY", "a secret of at least 16 bytes", |v| {
        (v.len() >= 16).then(|| Secret::new(v))
    });
    let lease = std::time::Duration::from_secs(r.number("TELEGRAM_LEASE_SECS", 30, 3..=600));
    Telegram {
        webhook_secret,
        listen_addr,
        api_url,
        bot_username,
        deeplink_key,
        lease,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webhook_secret_needs_32_to_256_allowed_characters() {
        assert!(webhook_secret_is_valid(&"a".repeat(32)));
        assert!(webhook_secret_is_valid(&"Az09_-".repeat(43)[..256]));
        assert!(!webhook_secret_is_valid(&"a".repeat(31)));
        assert!(!webhook_secret_is_valid(&"a".repeat(257)));
        assert!(!webhook_secret_is_valid(&format!("{}!", "a".repeat(32))));
        assert!(!webhook_secret_is_valid(&format!("{}ж", "a".repeat(32))));
    }
}
