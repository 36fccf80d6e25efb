//! Running the bot: teloxide's dispatcher feeding the [`Adapter`], by long polling or through
//! our own axum router (the webhook route, with a fixed secret, next to `/healthz`).
//!
//! teloxide's dispatcher handles one chat's updates in order and different chats at once; the
//! adapter adds what several processes need (dedup, a per-chat lock in Redis). Shutdown goes
//! through the dispatcher's [`ShutdownToken`]: it stops taking updates and waits for those in
//! flight. Webhook mode never calls setWebhook or deleteWebhook (`kabinet set-webhook` does).

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use redis::aio::ConnectionManager;
use teloxide::dispatching::{DefaultKey, ShutdownToken, UpdateHandler};
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;
use teloxide::update_listeners::UpdateListener;
use teloxide::update_listeners::webhooks::{self, Options};

use super::adapter::{Adapter, TgBot};
use crate::store::Store;

/// The path of the webhook route, under PUBLIC_URL.
pub const WEBHOOK_PATH: &str = "/telegram/webhook";

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

/// PUBLIC_URL plus [`WEBHOOK_PATH`] is not a URL.
#[derive(Debug, thiserror::Error)]
#[error("PUBLIC_URL does not make a webhook URL: {0}")]
pub struct BadWebhookUrl(String);

/// The webhook listener, the future that resolves when it stops, and its route (POST
/// [`WEBHOOK_PATH`], 401 without the right `X-Telegram-Bot-Api-Secret-Token`).
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
    BadWebhookUrl,
> {
    let url = format!("{}{WEBHOOK_PATH}", public_url.trim_end_matches('/'));
    let url = reqwest::Url::parse(&url).map_err(|e| BadWebhookUrl(e.to_string()))?;
    let options = Options::new(listen, url)
        .path(WEBHOOK_PATH.to_owned())
        .secret_token(secret.to_owned());
    Ok(webhooks::axum_no_setup(options))
}

/// What `/healthz` checks.
#[derive(Clone)]
pub struct Health {
    pub store: Store,
    pub redis: Option<ConnectionManager>,
}

/// `GET /healthz`: 200 `ok` when Postgres (and Redis, if used) answer within two seconds,
/// else 503 naming what failed.
pub fn health_router(health: Health) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .with_state(health)
}

async fn healthz(State(health): State<Health>) -> (StatusCode, String) {
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

/// Long polling until shut down, serving `router` (`/healthz`, `/metrics`) on `listen`
/// meanwhile.
pub async fn run_polling(
    mut dispatcher: Dispatcher<TgBot, Infallible, DefaultKey>,
    router: Router,
    listen: SocketAddr,
) -> std::io::Result<()> {
    let tcp = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(addr = %tcp.local_addr()?, "listening for /healthz and /metrics");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(tcp, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    dispatcher.dispatch().await;
    let _ = stop.send(());
    server.await.map_err(std::io::Error::other)?
}

/// Serves `router` on `listen` and dispatches what the webhook receives, until shut down;
/// the server stops once the listener has.
pub async fn run_webhook(
    mut dispatcher: Dispatcher<TgBot, Infallible, DefaultKey>,
    listener: impl UpdateListener<Err = Infallible> + Send,
    stopped: impl Future<Output = ()> + Send + 'static,
    router: Router,
    listen: SocketAddr,
) -> std::io::Result<()> {
    let tcp = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(addr = %tcp.local_addr()?, "listening for the webhook and /healthz");
    let server = tokio::spawn(async move {
        axum::serve(tcp, router)
            .with_graceful_shutdown(stopped)
            .await
    });
    dispatcher
        .dispatch_with_listener(listener, LoggingErrorHandler::new())
        .await;
    server.await.map_err(std::io::Error::other)?
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
