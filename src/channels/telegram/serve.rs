//! Running the bot: teloxide's dispatcher feeding the [`Adapter`], by long polling or through
//! our own axum router (the webhook route behind our constant-time check of the secret), with
//! `/healthz` and `/metrics` on a listener of their own.
//!
//! teloxide's dispatcher handles one chat's updates in order and different chats at once; the
//! adapter adds what several processes need (dedup, a per-chat lock in Redis). Shutdown goes
//! through the dispatcher's [`ShutdownToken`]: it stops taking updates and waits for those in
//! flight. Webhook mode never calls setWebhook or deleteWebhook (`kabinet set-webhook` does).

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hmac::{Hmac, KeyInit, Mac};
use redis::aio::ConnectionManager;
use sha2::Sha256;
use teloxide::dispatching::{DefaultKey, ShutdownToken, UpdateHandler};
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::update_listeners::UpdateListener;
use teloxide::update_listeners::webhooks::{self, Options};

use super::adapter::{Adapter, TgBot};
use crate::cached::Cached;
use crate::config::{WEBHOOK_SECRET_MIN_LEN, webhook_secret_is_valid};
use crate::store::Store;

/// The path of the webhook route, under PUBLIC_URL.
pub const WEBHOOK_PATH: &str = "/telegram/webhook";

/// The header in which Telegram sends the webhook's secret.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// How long a `/healthz` answer is reused before Postgres and Redis are asked again.
pub const HEALTH_MAX_AGE: Duration = Duration::from_secs(1);

/// The dispatcher over `bot`, handing messages and button presses to `adapter`.
pub fn dispatcher(bot: TgBot, adapter: Adapter) -> Dispatcher<TgBot, Infallible, DefaultKey> {
    Dispatcher::builder(bot, handler())
        .dependencies(dptree::deps![adapter])
        .default_handler(|_| async {})
        .build()
}

fn handler() -> UpdateHandler<Infallible> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_update))
        .branch(Update::filter_callback_query().endpoint(on_update))
}

async fn on_update(update: Update, adapter: Adapter) -> Result<(), Infallible> {
    adapter.handle(update).await;
    Ok(())
}

/// Why the webhook route cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// PUBLIC_URL plus [`WEBHOOK_PATH`] is not a URL.
    #[error("PUBLIC_URL does not make a webhook URL: {0}")]
    BadUrl(String),
    /// The secret is shorter than [`WEBHOOK_SECRET_MIN_LEN`] or has characters Telegram refuses.
    #[error(
        "TELEGRAM_WEBHOOK_SECRET must be {WEBHOOK_SECRET_MIN_LEN} to 256 characters of A-Za-z0-9_-"
    )]
    WeakSecret,
}

/// The webhook listener, the future that resolves when it stops, and its route: POST
/// [`WEBHOOK_PATH`], answered 401 unless `X-Telegram-Bot-Api-Secret-Token` is `secret`
/// (compared in constant time, before teloxide sees the request).
pub fn webhook(
    public_url: &str,
    secret: &str,
    listen: SocketAddr,
) -> Result<
    (
        impl UpdateListener<Err = Infallible> + use<>,
        impl Future<Output = ()> + use<>,
        Router,
    ),
    WebhookError,
> {
    if !webhook_secret_is_valid(secret) {
        return Err(WebhookError::WeakSecret);
    }
    let url = format!("{}{WEBHOOK_PATH}", public_url.trim_end_matches('/'));
    let url = reqwest::Url::parse(&url).map_err(|e| WebhookError::BadUrl(e.to_string()))?;
    // No secret for teloxide: it would compare in variable time. Ours checks and removes the
    // header, so teloxide sees none and expects none.
    let options = Options::new(listen, url).path(WEBHOOK_PATH.to_owned());
    let (listener, stopped, router) = webhooks::axum_no_setup(options);
    let check = Arc::new(SecretCheck::new(secret));
    let router = router.route_layer(middleware::from_fn_with_state(check, require_secret));
    Ok((listener, stopped, router))
}

/// Compares a presented secret with ours in constant time: both go through HMAC-SHA256 under a
/// key of this process's own, and the tags are compared by `verify_slice` (constant time), so
/// neither the content nor the length of our secret shows in the time an answer takes.
struct SecretCheck {
    key: [u8; 32],
    tag: Vec<u8>,
}

impl SecretCheck {
    fn new(secret: &str) -> SecretCheck {
        let key = rand::random::<[u8; 32]>();
        let tag = Self::mac(&key, secret.as_bytes())
            .finalize()
            .into_bytes()
            .to_vec();
        SecretCheck { key, tag }
    }

    fn mac(key: &[u8; 32], value: &[u8]) -> Hmac<Sha256> {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
        mac.update(value);
        mac
    }

    fn matches(&self, presented: &[u8]) -> bool {
        Self::mac(&self.key, presented)
            .verify_slice(&self.tag)
            .is_ok()
    }
}

async fn require_secret(
    State(check): State<Arc<SecretCheck>>,
    mut request: Request,
    next: Next,
) -> Response {
    let presented = request.headers_mut().remove(SECRET_HEADER);
    match presented {
        Some(value) if check.matches(value.as_bytes()) => next.run(request).await,
        _ => {
            tracing::debug!("webhook request without the right secret: 401");
            StatusCode::UNAUTHORIZED.into_response()
        }
    }
}

/// What `/healthz` checks.
#[derive(Clone)]
pub struct Health {
    pub store: Store,
    pub redis: Option<ConnectionManager>,
}

/// `GET /healthz`: 200 `ok` when Postgres (and Redis, if used) answer within two seconds,
/// else 503 naming what failed. One check runs at a time and its answer is reused for
/// [`HEALTH_MAX_AGE`], so a flood of requests takes at most one database connection.
pub fn health_router(health: Health) -> Router {
    let cache = Arc::new(Cached::new(HEALTH_MAX_AGE));
    Router::new()
        .route("/healthz", get(healthz))
        .with_state((health, cache))
}

type HealthState = (Health, Arc<Cached<(StatusCode, String)>>);

async fn healthz(State((health, cache)): State<HealthState>) -> (StatusCode, String) {
    cache.get(|| check_health(health)).await
}

async fn check_health(health: Health) -> (StatusCode, String) {
    const LIMIT: Duration = Duration::from_secs(2);
    let mut failed = Vec::new();
    let pg = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(health.store.pool());
    if !matches!(tokio::time::timeout(LIMIT, pg).await, Ok(Ok(1))) {
        failed.push("postgres");
    }
    if let Some(mut conn) = health.redis {
        let cmd = redis::cmd("PING");
        let ping = cmd.query_async::<String>(&mut conn);
        if !matches!(tokio::time::timeout(LIMIT, ping).await, Ok(Ok(_))) {
            failed.push("redis");
        }
    }
    if failed.is_empty() {
        (StatusCode::OK, "ok\n".into())
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("unavailable: {}\n", failed.join(", ")),
        )
    }
}

/// Binds `addr` and serves `router` there until `stop` resolves.
async fn serve_on(
    addr: SocketAddr,
    router: Router,
    what: &'static str,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<tokio::task::JoinHandle<std::io::Result<()>>> {
    let tcp = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(addr = %tcp.local_addr()?, "listening for {what}");
    Ok(tokio::spawn(async move {
        axum::serve(tcp, router).with_graceful_shutdown(stop).await
    }))
}

fn joined(result: Result<std::io::Result<()>, tokio::task::JoinError>) -> std::io::Result<()> {
    result.map_err(std::io::Error::other)?
}

/// Long polling until shut down, serving `ops` (`/healthz`, `/metrics`) on `metrics_addr`
/// meanwhile.
pub async fn run_polling(
    mut dispatcher: Dispatcher<TgBot, Infallible, DefaultKey>,
    bot: TgBot,
    ops: Router,
    metrics_addr: SocketAddr,
) -> std::io::Result<()> {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = serve_on(metrics_addr, ops, "/healthz and /metrics", async {
        let _ = stopped.await;
    })
    .await?;
    if wait_for_bot_api(&bot).await {
        let listener = teloxide::update_listeners::polling_default(bot).await;
        dispatch(&mut dispatcher, listener).await;
    }
    let _ = stop.send(());
    joined(server.await)
}

/// Serves `webhook` (the route from [`webhook`]) on `listen` and `ops` (`/healthz`,
/// `/metrics`) on `metrics_addr`, and dispatches what the webhook receives, until shut down;
/// the webhook server stops once the listener has, the other once the dispatcher has.
#[allow(clippy::too_many_arguments)]
pub async fn run_webhook(
    mut dispatcher: Dispatcher<TgBot, Infallible, DefaultKey>,
    bot: TgBot,
    listener: impl UpdateListener<Err = Infallible> + Send,
    stopped: impl Future<Output = ()> + Send + 'static,
    webhook: Router,
    listen: SocketAddr,
    ops: Router,
    metrics_addr: SocketAddr,
) -> std::io::Result<()> {
    let (stop_ops, ops_stopped) = tokio::sync::oneshot::channel::<()>();
    let ops_server = serve_on(metrics_addr, ops, "/healthz and /metrics", async {
        let _ = ops_stopped.await;
    })
    .await?;
    let webhook_server = match serve_on(listen, webhook, "the webhook", stopped).await {
        Ok(server) => server,
        Err(e) => {
            let _ = stop_ops.send(());
            let _ = ops_server.await;
            return Err(e);
        }
    };
    if wait_for_bot_api(&bot).await {
        dispatch(&mut dispatcher, listener).await;
    }
    let _ = stop_ops.send(());
    let webhook_result = joined(webhook_server.await);
    let ops_result = joined(ops_server.await);
    webhook_result.and(ops_result)
}

/// Asks the Bot API who the bot is until it answers, backing off from 1 s to a minute and
/// saying so in the log: at start the API may be unreachable (the network not up yet, a local
/// Bot API server still starting), and teloxide's dispatcher would panic on its own first
/// call. False when a signal asked to stop meanwhile.
pub async fn wait_for_bot_api(bot: &TgBot) -> bool {
    let mut delay = Duration::from_secs(1);
    let mut signal = std::pin::pin!(wait_for_signal());
    loop {
        match teloxide::requests::Request::send(bot.get_me()).await {
            Ok(me) => {
                tracing::info!(username = %me.username(), "the Bot API answers");
                return true;
            }
            Err(e) => tracing::warn!(
                error = %e,
                retry_in_s = delay.as_secs(),
                "the Bot API does not answer at start; retrying"
            ),
        }
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = &mut signal => {
                tracing::info!("stopped before the Bot API answered");
                return false;
            }
        }
        delay = (delay * 2).min(Duration::from_secs(60));
    }
}

/// Dispatches from `listener` until shut down; a failure to start is logged, not a panic.
async fn dispatch(
    dispatcher: &mut Dispatcher<TgBot, Infallible, DefaultKey>,
    listener: impl UpdateListener<Err = impl std::fmt::Debug + Send> + Send,
) {
    let handler = LoggingErrorHandler::with_custom_text("An error from the update listener");
    if let Err(e) = dispatcher
        .try_dispatch_with_listener(listener, handler)
        .await
    {
        tracing::error!(error = %e, "the dispatcher could not start");
    }
}

/// Shuts the dispatcher down on SIGTERM or SIGINT, once it runs.
pub fn shutdown_on_signals(token: ShutdownToken) {
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down: finishing the updates in flight");
        loop {
            match token.shutdown() {
                Ok(done) => {
                    done.await;
                    return;
                }
                // Not running yet (still connecting): try again shortly.
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    });
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
