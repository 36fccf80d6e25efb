//! The web endpoint of payments: the gateway's return and fail pages and its callback (and,
//! with the sandbox gateway, the sandbox's own pages).
//!
//! Nothing a browser or a callback says is believed: the return page and the callback only
//! name an order, which is then confirmed with the gateway and credited once
//! ([`Payments::confirm`]). The callback must carry a valid checksum first.

mod pages;

use crate::payments::sandbox::Sandbox;
use crate::payments::{Confirmation, PayError, Payments, Via, checksum};
use axum::Router;
use axum::extract::{RawForm, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::future::Future;
use std::sync::Arc;

/// What the handlers share.
#[derive(Clone)]
pub struct Web {
    pub payments: Payments,
    /// The key callbacks are signed with; without one every callback is refused (the return
    /// page and reconcile still credit).
    pub callback_key: Option<Arc<Vec<u8>>>,
}

/// The payment routes: `/pay/return`, `/pay/fail`, `/pay/callback`, plus the sandbox's pages
/// when the gateway is the sandbox.
pub fn router(web: Web, sandbox: Option<&Arc<Sandbox>>) -> Router {
    let routes = Router::new()
        .route("/pay/return", get(back))
        .route("/pay/fail", get(back))
        .route("/pay/callback", get(callback_get).post(callback_post))
        .with_state(web);
    match sandbox {
        Some(sandbox) => routes.merge(sandbox.router()),
        None => routes,
    }
}

/// Serves `router` on `listener` until `stop` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(stop)
        .await
}

#[derive(serde::Deserialize)]
struct Back {
    #[serde(rename = "orderId")]
    order_id: Option<String>,
}

/// The gateway's order id in the return URL's query (`orderId=…`); `None` when missing, empty,
/// over 100 bytes or the query is not a form.
pub(crate) fn return_order(query: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Back>(query)
        .ok()?
        .order_id
        .filter(|id| !id.is_empty() && id.len() <= 100)
}

/// The order a (verified) callback is about.
pub(crate) fn callback_order(params: &[(String, String)]) -> Option<&str> {
    params
        .iter()
        .find(|(n, _)| n == "mdOrder")
        .map(|(_, id)| id.as_str())
}

/// The return and fail URLs: the same handler, since the gateway's word decides, not the URL.
async fn back(State(web): State<Web>, RawQuery(query): RawQuery) -> Response {
    let Some(id) = return_order(query.unwrap_or_default().as_bytes()) else {
        return (StatusCode::BAD_REQUEST, Html(pages::unknown())).into_response();
    };
    let bot = web.payments.settings().bot_url.clone();
    match web.payments.confirm(&id, Via::Return).await {
        Ok(Confirmation::Credited(order, amount)) => {
            Html(pages::paid(&order, amount, bot.as_deref())).into_response()
        }
        Ok(Confirmation::AlreadyCredited(order)) => {
            let amount = order.confirmed_amount.unwrap_or(order.amount);
            Html(pages::paid(&order, amount, bot.as_deref())).into_response()
        }
        Ok(Confirmation::Pending(order)) => {
            Html(pages::later(Some(&order), bot.as_deref())).into_response()
        }
        Ok(Confirmation::Declined(order)) => {
            Html(pages::declined(&order, bot.as_deref())).into_response()
        }
        Err(PayError::UnknownOrder) => {
            (StatusCode::NOT_FOUND, Html(pages::unknown())).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "return page: the payment is not confirmed yet");
            let order = web
                .payments
                .store()
                .order_by_gateway_id(&id)
                .await
                .ok()
                .flatten();
            Html(pages::later(order.as_ref(), bot.as_deref())).into_response()
        }
    }
}

async fn callback_get(State(web): State<Web>, RawQuery(query): RawQuery) -> Response {
    callback(web, query.unwrap_or_default().as_bytes()).await
}

async fn callback_post(State(web): State<Web>, RawForm(body): RawForm) -> Response {
    callback(web, &body).await
}

/// The gateway's notice: checksum first (400 when bad or missing, nothing credited), then the
/// gateway is asked, then the order credited.
async fn callback(web: Web, raw: &[u8]) -> Response {
    let params: Vec<(String, String)> = form_urlencoded(raw);
    let signed = web
        .callback_key
        .as_ref()
        .is_some_and(|key| checksum::verify(key, &params));
    if !signed {
        tracing::warn!("payment callback with a bad or missing checksum: refused");
        return (StatusCode::BAD_REQUEST, "bad checksum").into_response();
    }
    let Some(id) = callback_order(&params) else {
        return (StatusCode::BAD_REQUEST, "no mdOrder").into_response();
    };
    match web.payments.confirm(id, Via::Callback).await {
        Ok(_) => (StatusCode::OK, "OK").into_response(),
        Err(PayError::UnknownOrder) => (StatusCode::NOT_FOUND, "unknown order").into_response(),
        Err(e) => {
            // The gateway repeats a callback that did not get 200; reconcile also catches it.
            tracing::warn!(error = %e, "payment callback: not confirmed yet");
            (StatusCode::SERVICE_UNAVAILABLE, "retry later").into_response()
        }
    }
}

/// `a=1&b=2` into pairs, percent- and plus-decoded.
pub(crate) fn form_urlencoded(raw: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(raw).unwrap_or_default()
}
