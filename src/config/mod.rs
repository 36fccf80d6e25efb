//! Every setting, read once at start from the environment and an optional `.env` file, validated
//! before anything runs. A missing or malformed value stops the program with a message naming the
//! variable and what it expects; all such problems are reported together.

mod company;
mod outbox;
mod read;
mod secret;

pub use crate::billing::ReadingWindow;
use company::Company;
pub use outbox::{Outbox, SmsGateway, Smtp};
pub use read::VarError;
pub use secret::{ConnUrl, Secret};

use read::{Reader, http_url};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// The settings of one Kabinet process.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `DATABASE_URL`: the Postgres database. `None` runs in demo mode on the local server's
    /// `kabinet_demo` database.
    pub database_url: Option<ConnUrl>,
    /// `REDIS_URL`: dialogue sessions and update de-duplication. `None` keeps sessions in memory
    /// (one process only).
    pub redis_url: Option<ConnUrl>,
    /// `TELEGRAM_TOKEN`: the bot token from @BotFather; only `serve` needs it
    /// (see [`Settings::require_telegram_token`]).
    pub telegram_token: Option<Secret>,
    /// `PUBLIC_URL`: where Telegram and the payment gateway reach this process from outside
    /// (webhook, payment return pages). `None` means long polling and sandbox-only payments.
    pub public_url: Option<String>,
    /// The Telegram channel's own settings (webhook, Bot API server, deep links).
    pub telegram: Telegram,
    /// The card payment gateway.
    pub gateway: Gateway,
    /// Where the outbox sends SMS and email.
    pub outbox: Outbox,
    /// The supplier's details for receipts and the payment QR code.
    pub company: Company,
    /// `READING_WINDOW_START` / `READING_WINDOW_END`: days of the month when readings count for
    /// the current period (15 / 25 by default).
    pub reading_window: ReadingWindow,
    /// `PAYMENT_DUE_DAY`: a period's bill is due on this day of the next month (15 by default);
    /// penalties count from the day after.
    pub payment_due_day: u32,
    /// `SESSION_TTL_HOURS`: how long an idle dialogue is remembered (24 hours by default).
    pub session_ttl: Duration,
    /// `LOG_FORMAT`: `text` (default) or `json` for log collectors.
    pub log_format: LogFormat,
}

/// The Telegram channel's settings besides the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Telegram {
    /// `TELEGRAM_WEBHOOK_SECRET`: the secret token Telegram sends with every webhook request
    /// (1–256 of `A-Za-z0-9_-`); webhook mode (PUBLIC_URL set) needs it
    /// (see [`Settings::require_webhook_secret`]).
    pub webhook_secret: Option<Secret>,
    /// `LISTEN_ADDR`: where `serve` listens for the webhook and `/healthz` (127.0.0.1:8080).
    pub listen_addr: SocketAddr,
    /// `TELEGRAM_API_URL`: the Bot API server (https://api.telegram.org/ by default; a local
    /// Bot API server or a test double otherwise).
    pub api_url: Option<String>,
    /// `TELEGRAM_BOT_USERNAME`: the bot's @username (without @), for deep links.
    pub bot_username: Option<String>,
    /// `DEEPLINK_KEY`: the secret (at least 16 bytes) that signs staff deep links.
    pub deeplink_key: Option<Secret>,
}

/// The card payment gateway's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gateway {
    /// `GATEWAY_URL`: `sandbox` (the default) or the REST base URL of Sberbank's acquiring.
    pub endpoint: GatewayEndpoint,
    /// `GATEWAY_USER`: the merchant's API login; required with a real gateway.
    pub user: Option<String>,
    /// `GATEWAY_PASSWORD`: the merchant's API password; required with a real gateway.
    pub password: Option<Secret>,
    /// `GATEWAY_CALLBACK_KEY`: the key that signs the gateway's callbacks (HMAC-SHA256).
    pub callback_key: Option<Secret>,
}

/// Which gateway payments go to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayEndpoint {
    /// The built-in sandbox: pages served by Kabinet itself, no money moves.
    Sandbox,
    /// A real gateway's REST base URL, always ending with `/`.
    Rest(String),
}

/// How logs are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Why the settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// One or more variables are missing or malformed; each names its variable.
    #[error("invalid settings:\n{}", list(.0))]
    Invalid(Vec<VarError>),
    /// `.env` exists but cannot be read or parsed.
    #[error("cannot read .env: {0}")]
    DotEnv(#[from] dotenvy::Error),
}

impl ConfigError {
    /// The variables at fault, in the order they were read.
    pub fn vars(&self) -> Vec<&'static str> {
        match self {
            ConfigError::Invalid(errors) => errors.iter().map(|e| e.var).collect(),
            ConfigError::DotEnv(_) => Vec::new(),
        }
    }
}

fn list(errors: &[VarError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Settings {
    /// Reads the process environment, falling back to `./.env` for variables it lacks.
    /// The environment is not modified.
    pub fn load() -> Result<Settings, ConfigError> {
        let dotenv = read_dotenv(Path::new(".env"))?;
        Settings::from_lookup(|name| {
            std::env::var_os(name)
                .map(|v| v.to_string_lossy().into_owned())
                .or_else(|| dotenv.get(name).cloned())
        })
    }

    /// Reads the settings through `lookup` (a variable's name → its value), so tests need not
    /// touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let mut r = Reader::new(&lookup);
        let database_url = r.optional_secret(
            "DATABASE_URL",
            "a Postgres URL like postgres://user:password@host:5432/kabinet",
            |v| ConnUrl::parse(v, &["postgres", "postgresql"]),
        );
        let redis_url = r.optional_secret(
            "REDIS_URL",
            "a Redis URL like redis://127.0.0.1:6379",
            |v| ConnUrl::parse(v, &["redis", "rediss", "redis+unix", "unix"]),
        );
        let telegram_token = r.secret("TELEGRAM_TOKEN");
        let public_url = r.optional(
            "PUBLIC_URL",
            "an https:// URL where Telegram and the gateway reach this bot",
            |v| http_url(v).map(|u| u.trim_end_matches('/').to_owned()),
        );
        let telegram = read_telegram(&mut r);
        let gateway = read_gateway(&mut r);
        let outbox = outbox::read(&mut r);
        let company = Company::read(&mut r);
        let start_day = r.number("READING_WINDOW_START", 15, 1..=28);
        let end_day = r.number("READING_WINDOW_END", 25, 1..=28);
        if start_day > end_day {
            r.fail(
                "READING_WINDOW_END",
                format!("must not come before READING_WINDOW_START ({start_day}), got {end_day}"),
            );
        }
        let payment_due_day = r.number("PAYMENT_DUE_DAY", 15, 1..=28);
        let ttl_hours: u64 = r.number("SESSION_TTL_HOURS", 24, 1..=24 * 90);
        let log_format = r.or("LOG_FORMAT", LogFormat::Text, "text or json", |v| {
            match v.to_ascii_lowercase().as_str() {
                "text" => Some(LogFormat::Text),
                "json" => Some(LogFormat::Json),
                _ => None,
            }
        });
        if !r.errors.is_empty() {
            return Err(ConfigError::Invalid(r.errors));
        }
        Ok(Settings {
            database_url,
            redis_url,
            telegram_token,
            public_url,
            telegram,
            gateway,
            outbox,
            company,
            reading_window: ReadingWindow::new(start_day, end_day).unwrap_or_default(),
            payment_due_day,
            session_ttl: Duration::from_secs(ttl_hours * 3600),
            log_format,
        })
    }

    /// True when no `DATABASE_URL` is set: the program uses the local demo database.
    pub fn demo_mode(&self) -> bool {
        self.database_url.is_none()
    }

    /// The bot token, or an error naming `TELEGRAM_TOKEN` (for `serve`, which cannot run without).
    pub fn require_telegram_token(&self) -> Result<&Secret, ConfigError> {
        self.telegram_token.as_ref().ok_or_else(|| {
            ConfigError::Invalid(vec![VarError {
                var: "TELEGRAM_TOKEN",
                problem: "not set; expected the bot token from @BotFather (serve needs it)".into(),
            }])
        })
    }
}

impl Settings {
    /// The webhook secret, or an error naming `TELEGRAM_WEBHOOK_SECRET` (webhook mode and
    /// `set-webhook` cannot run without: teloxide checks nothing when no secret is set).
    pub fn require_webhook_secret(&self) -> Result<&Secret, ConfigError> {
        self.telegram.webhook_secret.as_ref().ok_or_else(|| {
            ConfigError::Invalid(vec![VarError {
                var: "TELEGRAM_WEBHOOK_SECRET",
                problem: "not set; the webhook (PUBLIC_URL is set) needs a secret of A-Za-z0-9_-"
                    .into(),
            }])
        })
    }
}

fn read_telegram(r: &mut Reader<'_>) -> Telegram {
    let webhook_secret = r.optional_secret(
        "TELEGRAM_WEBHOOK_SECRET",
        "1 to 256 characters of A-Za-z0-9_-",
        |v| {
            let ok = v.len() <= 256
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            ok.then(|| Secret::new(v))
        },
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
    Telegram {
        webhook_secret,
        listen_addr,
        api_url,
        bot_username,
        deeplink_key,
    }
}

fn read_gateway(r: &mut Reader<'_>) -> Gateway {
    let endpoint = r.or(
        "GATEWAY_URL",
        GatewayEndpoint::Sandbox,
        "sandbox or the gateway's REST base URL, e.g. https://3dsec.sberbank.ru/payment/rest/",
        |v| {
            if v.eq_ignore_ascii_case("sandbox") {
                return Some(GatewayEndpoint::Sandbox);
            }
            let url = http_url(v)?;
            let url = if url.ends_with('/') { url } else { url + "/" };
            Some(GatewayEndpoint::Rest(url))
        },
    );
    let user = r.raw("GATEWAY_USER");
    let password = r.secret("GATEWAY_PASSWORD");
    if matches!(endpoint, GatewayEndpoint::Rest(_)) {
        if user.is_none() {
            r.fail(
                "GATEWAY_USER",
                "not set; expected the merchant's API login (GATEWAY_URL is a real gateway)",
            );
        }
        if password.is_none() {
            r.fail(
                "GATEWAY_PASSWORD",
                "not set; expected the merchant's API password (GATEWAY_URL is a real gateway)",
            );
        }
    }
    Gateway {
        endpoint,
        user,
        password,
        callback_key: r.secret("GATEWAY_CALLBACK_KEY"),
    }
}

/// The variables of a `.env` file; none when there is no such file.
fn read_dotenv(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    match dotenvy::from_path_iter(path) {
        Ok(iter) => Ok(iter.collect::<Result<_, _>>()?),
        Err(e) if e.not_found() => Ok(HashMap::new()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dotenv_file_is_read_without_touching_the_environment() {
        let path = std::env::temp_dir().join(format!("kabinet-{}.env", rand::random::<u64>()));
        std::fs::write(
            &path,
            "PAYMENT_DUE_DAY=10\n# a comment\nCOMPANY_NAME=\"АО Тест\"\n",
        )
        .unwrap();
        let vars = read_dotenv(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(vars.get("PAYMENT_DUE_DAY").map(String::as_str), Some("10"));
        assert_eq!(
            vars.get("COMPANY_NAME").map(String::as_str),
            Some("АО Тест")
        );
    }

    #[test]
    fn a_missing_dotenv_file_is_no_error() {
        let path = std::env::temp_dir().join("kabinet-no-such-file.env");
        assert!(read_dotenv(&path).unwrap().is_empty());
    }
}
