//! Running the bot: the [`Intake`] fed by long polling or by our webhook route (behind our
//! constant-time check of the secret), with `/healthz` and `/metrics` on a listener of their
//! own.
//!
//! The intake takes each update in durably before it is acknowledged and handles one chat's
//! updates at a time, in order, across processes (see [`super::intake`]). Shutdown (SIGTERM,
//! SIGINT) stops taking updates in and waits for the turns in flight. Webhook mode never calls
//! setWebhook or deleteWebhook (`kabinet set-webhook` does).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hmac::{Hmac, KeyInit, Mac};
use redis::aio::ConnectionManager;
use sha2::Sha256;
use teloxide::prelude::*;

use super::adapter::TgBot;
use super::intake::Intake;
use crate::cached::Cached;
use crate::config::{WEBHOOK_SECRET_MIN_LEN, webhook_secret_is_valid};
use crate::store::Store;

/// The path of the webhook route, under PUBLIC_URL.
pub const WEBHOOK_PATH: &str = "/telegram/webhook";

/// The header in which Telegram sends the webhook's secret.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// How long a `/healthz` answer is reused before Postgres and Redis are asked again.
pub const HEALTH_MAX_AGE: Duration = Duration::from_secs(1);

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

/// The webhook route: POST [`WEBHOOK_PATH`], answered 401 unless
/// `X-Telegram-Bot-Api-Secret-Token` is `secret` (compared in constant time), 200 once the
/// update is taken in, 503 when it could not be (Telegram delivers it again), 400 when the body
/// is not an update.
pub fn webhook(public_url: &str, secret: &str, intake: Intake) -> Result<Router, WebhookError> {
    if !webhook_secret_is_valid(secret) {
        return Err(WebhookError::WeakSecret);
    }
    let url = format!("{}{WEBHOOK_PATH}", public_url.trim_end_matches('/'));
    reqwest::Url::parse(&url).map_err(|e| WebhookError::BadUrl(e.to_string()))?;
    let check = Arc::new(SecretCheck::new(secret));
    Ok(Router::new()
        .route(WEBHOOK_PATH, post(on_webhook))
        .with_state(intake)
        .route_layer(middleware::from_fn_with_state(check, require_secret)))
}

async fn on_webhook(State(intake): State<Intake>, body: Bytes) -> StatusCode {
    let update = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(update) => update,
        Err(e) => {
            tracing::warn!(error = %e, "the webhook got a body that is not an update");
            return StatusCode::BAD_REQUEST;
        }
    };
    if intake.stopping() {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    match intake.accept(update).await {
        Ok(()) => StatusCode::OK,
        Err(super::intake::IntakeError::Json(e)) => {
            tracing::warn!(error = %e, "the webhook got a body that is not an update");
            StatusCode::BAD_REQUEST
        }
        Err(e) => {
            tracing::error!(error = %e, "an update was not taken in; Telegram will retry");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
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

/// How long shutdown waits for the turns in flight.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Long polling until shut down, serving `ops` (`/healthz`, `/metrics`) on `metrics_addr`
/// meanwhile.
pub async fn run_polling(
    intake: Intake,
    bot: TgBot,
    ops: Router,
    metrics_addr: SocketAddr,
) -> std::io::Result<()> {
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = serve_on(metrics_addr, ops, "/healthz and /metrics", async {
        let _ = stopped.await;
    })
    .await?;
    if wait_for_bot_api(&bot, &intake).await {
        // getUpdates answers 409 while a webhook is set.
        if let Err(e) = teloxide::requests::Request::send(bot.delete_webhook()).await {
            tracing::warn!(error = %e, "the webhook was not removed before polling");
        }
        let sweeper = intake.spawn_sweeper();
        intake.poll(bot).await;
        sweeper.abort();
    }
    intake.shutdown(SHUTDOWN_GRACE).await;
    let _ = stop.send(());
    joined(server.await)
}

/// Serves `webhook` (the route from [`webhook`]) on `listen` and `ops` (`/healthz`,
/// `/metrics`) on `metrics_addr` until shut down; then waits for the turns in flight.
pub async fn run_webhook(
    intake: Intake,
    bot: TgBot,
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
    if !wait_for_bot_api(&bot, &intake).await {
        let _ = stop_ops.send(());
        return joined(ops_server.await);
    }
    let stopping = intake.clone();
    let webhook_server = match serve_on(listen, webhook, "the webhook", async move {
        stopping.stopped().await
    })
    .await
    {
        Ok(server) => server,
        Err(e) => {
            let _ = stop_ops.send(());
            let _ = ops_server.await;
            return Err(e);
        }
    };
    let sweeper = intake.spawn_sweeper();
    let webhook_result = joined(webhook_server.await);
    sweeper.abort();
    intake.shutdown(SHUTDOWN_GRACE).await;
    let _ = stop_ops.send(());
    let ops_result = joined(ops_server.await);
    webhook_result.and(ops_result)
}

/// Asks the Bot API who the bot is until it answers, backing off from 1 s to a minute and
/// saying so in the log: at start the API may be unreachable (the network not up yet, a local
/// Bot API server still starting), and teloxide's dispatcher would panic on its own first
/// call. False when a signal asked to stop meanwhile.
pub async fn wait_for_bot_api(bot: &TgBot, intake: &Intake) -> bool {
    let mut delay = Duration::from_secs(1);
    let mut signal = std::pin::pin!(intake.stopped());
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

/// Stops the intake on SIGTERM or SIGINT.
pub fn shutdown_on_signals(intake: Intake) {
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down: finishing the updates in flight");
        intake.request_stop();
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
