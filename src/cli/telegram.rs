//! The Telegram commands: `serve`, `set-webhook`, `set-commands`, `link`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::Utc;
use kabinet::billing::AccountNumber;
use kabinet::channels::telegram::adapter::{self, Adapter, Shared, TgBot};
use kabinet::channels::telegram::deeplink::{self, LinkAction, LinkKey};
use kabinet::channels::telegram::intake::{Intake, IntakeSettings};
use kabinet::channels::telegram::limiter::Limiter;
use kabinet::channels::telegram::{commands, serve};
use kabinet::config::Settings;
use kabinet::i18n::I18n;
use kabinet::metrics::Metrics;
use kabinet::outbox::{HttpSmsSender, Senders, SmtpSender, TelegramSender, Worker};
use kabinet::store::Store;
use teloxide::prelude::*;

fn bot(settings: &Settings) -> anyhow::Result<TgBot> {
    let token = settings.require_telegram_token()?;
    let api_url = match &settings.telegram.api_url {
        Some(url) => Some(url.parse().context("TELEGRAM_API_URL")?),
        None => None,
    };
    Ok(adapter::bot(token.expose(), api_url))
}

fn link_key(settings: &Settings) -> anyhow::Result<Option<LinkKey>> {
    match &settings.telegram.deeplink_key {
        Some(key) => Ok(Some(LinkKey::new(key.expose())?)),
        None => Ok(None),
    }
}

/// `serve`: polling, or the webhook when PUBLIC_URL is set; stops on SIGTERM / SIGINT after
/// the updates in flight.
pub async fn serve(settings: &Settings, store: Store) -> anyhow::Result<ExitCode> {
    let bot = bot(settings)?;
    let webhook_secret = match &settings.public_url {
        Some(_) => Some(settings.require_webhook_secret()?),
        None => None,
    };
    let key = link_key(settings)?;
    if key.is_none() {
        tracing::warn!("DEEPLINK_KEY is not set: every deep link is refused");
    }
    let redis = match &settings.redis_url {
        Some(url) => Some(
            kabinet::sessions::redis_manager(url.expose(), settings.redis_timeout)
                .await
                .context("connecting to Redis (REDIS_URL)")?,
        ),
        None => {
            tracing::warn!("REDIS_URL is not set: run one instance only");
            None
        }
    };
    let shared = redis
        .clone()
        .map(|conn| Shared::new(conn, &settings.redis_prefix));
    // Payment pages: on the webhook's listener behind PUBLIC_URL, else on WEB_ADDR.
    let (payments, pay_routes) = match &settings.public_url {
        Some(public) => {
            let local = format!("http://{}", settings.telegram.listen_addr);
            let stack = super::payments::stack(settings, store.clone(), &local)?;
            tracing::info!(url = %public, "payment pages served with the webhook");
            (Some(stack.payments), Some(stack.router))
        }
        None => (
            super::payments::serve_web(settings, store.clone()).await?,
            None,
        ),
    };
    if let Some(p) = &payments {
        super::payments::spawn_reconciler(p.clone(), std::time::Duration::from_secs(300));
    }
    let engine = Arc::new(match payments {
        Some(p) => kabinet::app::engine_paying(store.clone(), settings, p, false).await?,
        None => kabinet::app::engine(store.clone(), settings).await?,
    });
    let metrics = Metrics::new();
    let limiter = match &redis {
        Some(conn) => Limiter::redis(conn.clone(), &settings.redis_prefix),
        None => Limiter::local(),
    };
    let limiter = Arc::new(limiter.overall(settings.telegram_max_per_second));
    let adapter = Adapter::new(bot.clone(), engine.clone(), key, shared)
        .with_limiter(limiter)
        .with_metrics(metrics.clone());
    // Notices go in bulk: no bursts (see `Limiter::steady`), on the adapter's shared buckets.
    let notices_limiter = match &redis {
        Some(conn) => Arc::new(
            Limiter::redis(conn.clone(), &settings.redis_prefix)
                .overall(settings.telegram_max_per_second)
                .steady(),
        ),
        None => adapter.limiter(),
    };
    let worker = Worker::new(
        store.clone(),
        engine.ctx().i18n.clone(),
        senders(settings, &bot, notices_limiter)?,
        engine.ctx().clock.clone(),
    )
    .with_settings(kabinet::outbox::WorkerSettings {
        max_attempts: settings.outbox.max_attempts,
        ..kabinet::outbox::WorkerSettings::default()
    })
    .with_metrics(metrics.clone())
    .spawn();
    let purger = spawn_purger(store.clone(), settings.retention);
    let scheduler = kabinet::notify::leader::spawn(
        store.clone(),
        kabinet::notify::NotifySettings::from_settings(settings),
        engine.ctx().clock.clone(),
        std::time::Duration::from_secs(600),
    );
    let intake = Intake::new(adapter, IntakeSettings::with_lease(settings.telegram.lease));
    serve::shutdown_on_signals(intake.clone());
    let ops = serve::health_router(serve::Health {
        store: store.clone(),
        redis,
    })
    .merge(kabinet::metrics::router(metrics, store));
    let metrics_addr = settings.metrics_addr;
    match (&settings.public_url, webhook_secret) {
        (Some(public_url), Some(secret)) => {
            let listen = settings.telegram.listen_addr;
            let webhook = serve::webhook(public_url, secret.expose(), intake.clone())?;
            let webhook = match pay_routes {
                Some(routes) => webhook.merge(routes),
                None => webhook,
            };
            tracing::info!(path = serve::WEBHOOK_PATH, "serving Telegram by webhook");
            serve::run_webhook(intake, bot, webhook, listen, ops, metrics_addr).await?;
        }
        _ => {
            tracing::info!("serving Telegram by long polling");
            serve::run_polling(intake, bot, ops, metrics_addr).await?;
        }
    }
    worker.stop().await;
    purger.abort();
    scheduler.abort();
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Every hour: attempts and delivered outbox messages past the retention period, and stale
/// one-time codes, are deleted (idempotent, so several instances may all do it).
fn spawn_purger(store: Store, retention: chrono::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match store.purge(chrono::Utc::now(), retention).await {
                Ok(purged) => tracing::info!(
                    attempts = purged.attempts,
                    codes = purged.codes,
                    outbox = purged.outbox,
                    inbox = purged.inbox,
                    "old records purged"
                ),
                Err(e) => tracing::warn!(error = %e, "old records were not purged"),
            }
        }
    })
}

/// The outbox's senders: chats through the bot, SMS through the gateway and email through
/// SMTP when configured, the rest logged only.
fn senders(
    settings: &Settings,
    bot: &TgBot,
    limiter: Arc<kabinet::channels::telegram::limiter::Limiter>,
) -> anyhow::Result<Senders> {
    let mut senders = Senders {
        telegram: Arc::new(TelegramSender::new(bot.clone()).with_limiter(limiter)),
        ..Senders::default()
    };
    match &settings.outbox.sms_gateway {
        Some(gateway) => {
            let url = gateway.url.parse().context("SMS_GATEWAY_URL")?;
            senders.sms = Arc::new(HttpSmsSender::new(url, gateway.token.clone())?);
        }
        None => tracing::warn!(
            "SMS_GATEWAY_URL is NOT SET: SMS are only logged (masked), so one-time codes and \
             passwords sent by SMS will NOT reach users. Set SMS_GATEWAY_URL and \
             SMS_GATEWAY_TOKEN to an HTTP SMS gateway (it takes POST {{\"to\", \"text\"}} \
             with Authorization: Bearer <token>)"
        ),
    }
    match &settings.outbox.smtp {
        Some(smtp) => senders.email = Arc::new(SmtpSender::new(smtp)?),
        None => tracing::warn!("SMTP_URL is not set: emails are only logged"),
    }
    Ok(senders)
}

/// `set-webhook`: points Telegram at PUBLIC_URL with the secret.
pub async fn set_webhook(settings: &Settings) -> anyhow::Result<ExitCode> {
    let bot = bot(settings)?;
    let Some(public_url) = &settings.public_url else {
        anyhow::bail!("PUBLIC_URL is not set: the webhook needs the address Telegram posts to");
    };
    let secret = settings.require_webhook_secret()?;
    let url = format!("{public_url}{}", serve::WEBHOOK_PATH);
    let parsed = url.parse().context("the webhook URL")?;
    adapter::retrying(|| {
        bot.set_webhook(reqwest::Url::clone(&parsed))
            .secret_token(secret.expose().to_owned())
            .allowed_updates(vec![
                teloxide::types::AllowedUpdate::Message,
                teloxide::types::AllowedUpdate::CallbackQuery,
            ])
            .send()
    })
    .await
    .context("setWebhook")?;
    println!("webhook set to {url}");
    Ok(ExitCode::SUCCESS)
}

/// `set-commands`: the command menu and descriptions in every language.
pub async fn set_commands(settings: &Settings) -> anyhow::Result<ExitCode> {
    let bot = bot(settings)?;
    let i18n = I18n::new()?;
    commands::set_commands(&bot, &i18n)
        .await
        .context("setting the commands")?;
    println!("commands and descriptions set for ru and en");
    Ok(ExitCode::SUCCESS)
}

/// `link`: prints a signed deep link for staff.
pub fn link(
    settings: &Settings,
    action: LinkAction,
    account: Option<&str>,
    days: u32,
    qr: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    let Some(key) = link_key(settings)? else {
        anyhow::bail!("DEEPLINK_KEY is not set: links are signed with it");
    };
    let Some(username) = &settings.telegram.bot_username else {
        anyhow::bail!("TELEGRAM_BOT_USERNAME is not set: links name the bot");
    };
    let account = account.map(AccountNumber::parse).transpose()?;
    if account.is_some() && action != LinkAction::Registration {
        anyhow::bail!("--account goes with the registration link only");
    }
    let expires = Utc::now() + chrono::Duration::days(i64::from(days));
    let payload = deeplink::encode(action, account.as_ref(), expires, &key);
    let url = deeplink::link_url(username, &payload);
    println!("{url}");
    if let Some(path) = qr {
        let png = kabinet::channels::telegram::qr::png(&url)?;
        std::fs::write(path, png).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("QR code written to {}", path.display());
    }
    eprintln!("valid until {}", expires.format("%Y-%m-%d %H:%M UTC"));
    Ok(ExitCode::SUCCESS)
}
