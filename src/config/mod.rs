//! Every setting, read once at start from the environment and an optional `.env` file, validated
//! before anything runs. A missing or malformed value stops the program with a message naming the
//! variable and what it expects; all such problems are reported together.

mod company;
mod outbox;
mod pay;
mod read;
mod secret;
mod telegram;
mod timezone;

pub use crate::billing::ReadingWindow;
pub use company::Company;
pub use outbox::{Outbox, SmsGateway, Smtp};
pub use pay::Pay;
pub use read::VarError;
pub use secret::{ConnUrl, Secret};
pub use telegram::{
    Telegram, WEBHOOK_SECRET_MAX_LEN, WEBHOOK_SECRET_MIN_LEN, webhook_secret_is_valid,
};
pub use timezone::TimeZone;

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
    /// `REDIS_PREFIX`: the start of every Redis key (`kabinet:` by default), so that several
    /// deployments (staging and production, two bots) can share one Redis.
    pub redis_prefix: String,
    /// `TELEGRAM_TOKEN`: the bot token from @BotFather; only `serve` needs it
    /// (see [`Settings::require_telegram_token`]).
    pub telegram_token: Option<Secret>,
    /// `PUBLIC_URL`: where Telegram and the payment gateway reach this process from outside
    /// (webhook, payment return pages). `None` means long polling and sandbox-only payments.
    pub public_url: Option<String>,
    /// The Telegram channel's own settings (webhook, Bot API server, deep links).
    pub telegram: Telegram,
    /// `METRICS_ADDR`: where `serve` answers `/healthz` and `/metrics` (127.0.0.1:9090), apart
    /// from the webhook's `LISTEN_ADDR`.
    pub metrics_addr: SocketAddr,
    /// `TELEGRAM_MAX_PER_SECOND`: messages a second the bot sends in all (30, Telegram's limit);
    /// raise it only against a local Bot API server (benchmarks).
    pub telegram_max_per_second: u32,
    /// The card payment gateway.
    pub gateway: Gateway,
    /// Payments and their web endpoint (`WEB_ADDR`, `PAY_MAX_AMOUNT`, …).
    pub pay: Pay,
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
    /// `DATABASE_TIMEOUT_MS`: the longest wait for a Postgres connection or statement.
    pub database_timeout: Duration,
    /// `REDIS_TIMEOUT_MS`: the longest wait for a Redis connection or answer.
    pub redis_timeout: Duration,
    /// The company's time zone (`TIMEZONE`, default Europe/Moscow): every "today" is its day.
    pub time_zone: TimeZone,
    /// `SESSION_TTL_HOURS`: how long an idle dialogue is remembered (24 hours by default).
    pub session_ttl: Duration,
    /// `RETENTION_DAYS`: how long counted attempts and delivered outbox messages are kept
    /// (90 days by default); `serve` purges older ones every hour, `kabinet purge` on demand.
    pub retention: chrono::Duration,
    /// `LOG_FORMAT`: `text` (default) or `json` for log collectors.
    pub log_format: LogFormat,
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
        let redis_prefix = r.or(
            "REDIS_PREFIX",
            DEFAULT_REDIS_PREFIX.to_owned(),
            "1 to 64 characters of A-Za-z0-9_.:- ending with ':', e.g. kabinet-staging:",
            |v| redis_prefix_is_valid(v).then(|| v.to_owned()),
        );
        let telegram_token = r.secret("TELEGRAM_TOKEN");
        let public_url = r.optional(
            "PUBLIC_URL",
            "an https:// URL where Telegram and the gateway reach this bot",
            |v| http_url(v).map(|u| u.trim_end_matches('/').to_owned()),
        );
        let telegram = telegram::read(&mut r);
        let metrics_addr = r.or(
            "METRICS_ADDR",
            SocketAddr::from(([127, 0, 0, 1], 9090)),
            "an address like 127.0.0.1:9090",
            |v| v.parse().ok(),
        );
        if public_url.is_some() && same_port(metrics_addr, telegram.listen_addr) {
            r.fail(
                "METRICS_ADDR",
                format!(
                    "must differ from LISTEN_ADDR ({}): /healthz and /metrics have a listener \
                     of their own, apart from the webhook",
                    telegram.listen_addr
                ),
            );
        }
        let gateway = read_gateway(&mut r);
        let pay = pay::read(&mut r);
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
        let time_zone = r.or(
            "TIMEZONE",
            TimeZone::default(),
            &format!("one of {}", TimeZone::known()),
            TimeZone::named,
        );
        let database_timeout_ms: u64 = r.number("DATABASE_TIMEOUT_MS", 5_000, 100..=600_000);
        let redis_timeout_ms: u64 = r.number("REDIS_TIMEOUT_MS", 2_000, 50..=60_000);
        let ttl_hours: u64 = r.number("SESSION_TTL_HOURS", 24, 1..=24 * 90);
        let retention_days: i64 = r.number("RETENTION_DAYS", 90, 1..=3650);
        let telegram_max_per_second: u32 = r.number("TELEGRAM_MAX_PER_SECOND", 30, 1..=1_000_000);
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
            redis_prefix,
            telegram_token,
            public_url,
            telegram,
            metrics_addr,
            telegram_max_per_second,
            gateway,
            pay,
            outbox,
            company,
            reading_window: ReadingWindow::new(start_day, end_day).unwrap_or_default(),
            payment_due_day,
            time_zone,
            database_timeout: Duration::from_millis(database_timeout_ms),
            redis_timeout: Duration::from_millis(redis_timeout_ms),
            session_ttl: Duration::from_secs(ttl_hours * 3600),
            retention: chrono::Duration::days(retention_days),
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

/// The default of `REDIS_PREFIX`.
pub const DEFAULT_REDIS_PREFIX: &str = "kabinet:";

/// 1 to 64 characters of `A-Za-z0-9_.:-`, ending with `:` so that keys read `<prefix>v1:…`.
fn redis_prefix_is_valid(value: &str) -> bool {
    (1..=64).contains(&value.len())
        && value.ends_with(':')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(&b))
}

/// True when two listeners would fight for one port.
fn same_port(a: SocketAddr, b: SocketAddr) -> bool {
    a.port() != 0
        && a.port() == b.port()
        && (a.ip() == b.ip() || a.ip().is_unspecified() || b.ip().is_unspecified())
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
