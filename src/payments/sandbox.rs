//! The built-in sandbox gateway: the whole payment runs on a laptop, no money moves.
//!
//! It registers orders in memory, serves its own card page (test cards: one paid, one declined,
//! one that asks a 3-D Secure code) and an СБП-like page under `/sandbox/`, and — like the real
//! gateway — sends a callback signed with HMAC-SHA256 to our `/pay/callback`, then sends the
//! browser to the return (or fail) URL. Our endpoint treats it exactly as the real gateway:
//! it verifies the checksum and asks [`Gateway::status`] before crediting.

use super::{Gateway, GatewayError, GatewayState, OrderRequest, OrderStatus, Registered, checksum};
use crate::billing::Money;
use async_trait::async_trait;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The test cards.
pub mod cards {
    /// Paid at once.
    pub const PAID: &str = "4111111111111111";
    /// Declined by the "bank".
    pub const DECLINED: &str = "4000000000000002";
    /// Asks the 3-D Secure code [`THREE_DS_CODE`].
    pub const THREE_DS: &str = "5555555555554444";
    pub const THREE_DS_CODE: &str = "123456";
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Created,
    ThreeDs,
    Paid,
    Declined,
    Refunded,
}

#[derive(Clone, Debug)]
struct SandboxOrder {
    order_number: String,
    amount: Money,
    description: String,
    return_url: String,
    fail_url: String,
    stage: Stage,
}

/// The sandbox gateway; share it between the payments service and the web endpoint.
pub struct Sandbox {
    orders: Mutex<HashMap<String, SandboxOrder>>,
    /// Where the payer's browser reaches the sandbox pages (our web endpoint).
    base_url: String,
    /// Where the sandbox sends its callbacks (our web endpoint, reached locally).
    callback_url: String,
    key: Vec<u8>,
    http: reqwest::Client,
}

impl Sandbox {
    /// `base_url`: the pages as the browser sees them; `callback_url`: our `/pay/callback`;
    /// `key`: the callback key (the same the endpoint verifies with).
    pub fn new(base_url: &str, callback_url: &str, key: &[u8]) -> Sandbox {
        Sandbox {
            orders: Mutex::new(HashMap::new()),
            base_url: base_url.trim_end_matches('/').to_owned(),
            callback_url: callback_url.to_owned(),
            key: key.to_vec(),
            http: reqwest::Client::new(),
        }
    }

    fn get(&self, id: &str) -> Option<SandboxOrder> {
        self.orders.lock().ok()?.get(id).cloned()
    }

    fn set(&self, id: &str, stage: Stage) {
        if let Ok(mut orders) = self.orders.lock()
            && let Some(o) = orders.get_mut(id)
        {
            o.stage = stage;
        }
    }

    /// The routes of the sandbox pages, to merge into the web endpoint.
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/sandbox/pay/{id}", get(card_page).post(card_submit))
            .route("/sandbox/3ds/{id}", axum::routing::post(three_ds_submit))
            .route("/sandbox/sbp/{id}", get(sbp_page).post(sbp_submit))
            .with_state(self.clone())
    }

    /// Ends the payment: the new stage, the signed callback (sent aside, as a gateway does),
    /// and the browser sent back to us.
    fn finish(&self, id: &str, order: &SandboxOrder, paid: bool) -> Response {
        self.set(id, if paid { Stage::Paid } else { Stage::Declined });
        let mut params: Vec<(String, String)> = vec![
            ("mdOrder".into(), id.to_owned()),
            ("orderNumber".into(), order.order_number.clone()),
            (
                "operation".into(),
                if paid {
                    "deposited"
                } else {
                    "declinedByTimeout"
                }
                .into(),
            ),
            ("status".into(), if paid { "1" } else { "0" }.into()),
            ("amount".into(), order.amount.kopecks().to_string()),
        ];
        let sum = checksum::sign(&self.key, &params);
        params.push(("checksum".into(), sum));
        let http = self.http.clone();
        let url = self.callback_url.clone();
        tokio::spawn(async move {
            if let Err(e) = http.get(url).query(&params).send().await {
                tracing::warn!(error = %e.without_url(), "sandbox callback not delivered");
            }
        });
        let back = if paid {
            &order.return_url
        } else {
            &order.fail_url
        };
        Redirect::to(&format!("{back}?orderId={id}")).into_response()
    }
}

#[async_trait]
impl Gateway for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn register(&self, order: &OrderRequest) -> Result<Registered, GatewayError> {
        let id = format!("sbx-{:032x}", rand::random::<u128>());
        let mut orders = self
            .orders
            .lock()
            .map_err(|_| GatewayError::Unavailable("sandbox poisoned".into()))?;
        if orders
            .values()
            .any(|o| o.order_number == order.order_number)
        {
            return Err(GatewayError::Refused {
                code: "1".into(),
                message: "order number already used".into(),
            });
        }
        orders.insert(
            id.clone(),
            SandboxOrder {
                order_number: order.order_number.clone(),
                amount: order.amount,
                description: order.description.clone(),
                return_url: order.return_url.clone(),
                fail_url: order.fail_url.clone(),
                stage: Stage::Created,
            },
        );
        Ok(Registered {
            form_url: format!("{}/sandbox/pay/{id}", self.base_url),
            gateway_order_id: id,
        })
    }

    async fn status(&self, id: &str) -> Result<OrderStatus, GatewayError> {
        let order = self.get(id).ok_or(GatewayError::UnknownOrder)?;
        let state = match order.stage {
            Stage::Created | Stage::ThreeDs => GatewayState::Pending,
            Stage::Paid => GatewayState::Paid,
            Stage::Declined => GatewayState::Declined,
            Stage::Refunded => GatewayState::Returned,
        };
        Ok(OrderStatus {
            state,
            amount: order.amount,
        })
    }

    async fn refund(&self, id: &str, _amount: Money) -> Result<(), GatewayError> {
        match self.get(id).map(|o| o.stage) {
            Some(Stage::Paid) => {
                self.set(id, Stage::Refunded);
                Ok(())
            }
            Some(_) => Err(GatewayError::Refused {
                code: "7".into(),
                message: "not paid".into(),
            }),
            None => Err(GatewayError::UnknownOrder),
        }
    }

    async fn sbp_link(&self, id: &str) -> Result<String, GatewayError> {
        self.get(id).ok_or(GatewayError::UnknownOrder)?;
        Ok(format!("{}/sandbox/sbp/{id}", self.base_url))
    }

    fn sbp_enabled(&self) -> bool {
        true
    }
}

/// The card form's fields.
#[derive(serde::Deserialize)]
struct CardForm {
    pan: String,
    #[serde(default)]
    expiry: String,
    #[serde(default)]
    cvc: String,
}

#[derive(serde::Deserialize)]
struct CodeForm {
    code: String,
}

async fn card_page(State(sb): State<Arc<Sandbox>>, Path(id): Path<String>) -> Response {
    match sb.get(&id) {
        Some(o) if o.stage == Stage::Created => Html(card_html(&id, &o, None)).into_response(),
        Some(o) => done_page(&id, &o),
        None => not_found(),
    }
}

async fn card_submit(
    State(sb): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    Form(form): Form<CardForm>,
) -> Response {
    let Some(order) = sb.get(&id) else {
        return not_found();
    };
    if order.stage != Stage::Created {
        return done_page(&id, &order);
    }
    let pan: String = form.pan.chars().filter(char::is_ascii_digit).collect();
    let filled = !form.expiry.trim().is_empty() && form.cvc.trim().len() == 3;
    match pan.as_str() {
        _ if !filled => Html(card_html(
            &id,
            &order,
            Some("Укажите срок действия и CVC (три цифры)."),
        ))
        .into_response(),
        cards::PAID => sb.finish(&id, &order, true),
        cards::DECLINED => sb.finish(&id, &order, false),
        cards::THREE_DS => {
            sb.set(&id, Stage::ThreeDs);
            Html(three_ds_html(&id, &order)).into_response()
        }
        _ => Html(card_html(
            &id,
            &order,
            Some("Это не тестовая карта: используйте одну из списка."),
        ))
        .into_response(),
    }
}

async fn three_ds_submit(
    State(sb): State<Arc<Sandbox>>,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    match sb.get(&id) {
        Some(o) if o.stage == Stage::ThreeDs => {
            let right = form.code.trim() == cards::THREE_DS_CODE;
            sb.finish(&id, &o, right)
        }
        Some(o) => done_page(&id, &o),
        None => not_found(),
    }
}

async fn sbp_page(State(sb): State<Arc<Sandbox>>, Path(id): Path<String>) -> Response {
    match sb.get(&id) {
        Some(o) if o.stage == Stage::Created => Html(page(
            "Оплата по СБП",
            &format!(
                "<p>{}</p><p>Сумма: <b>{}</b></p>\
                 <p>Так выглядел бы QR-код для приложения банка. Здесь оплату подтверждает кнопка.</p>\
                 <form method=\"post\" action=\"/sandbox/sbp/{id}\">\
                 <button id=\"sbp-pay\" type=\"submit\">Оплатить в приложении банка</button></form>",
                esc(&o.description),
                esc(&o.amount.to_string()),
            ),
        ))
        .into_response(),
        Some(o) => done_page(&id, &o),
        None => not_found(),
    }
}

async fn sbp_submit(State(sb): State<Arc<Sandbox>>, Path(id): Path<String>) -> Response {
    match sb.get(&id) {
        Some(o) if o.stage == Stage::Created => sb.finish(&id, &o, true),
        Some(o) => done_page(&id, &o),
        None => not_found(),
    }
}

fn done_page(id: &str, order: &SandboxOrder) -> Response {
    let back = match order.stage {
        Stage::Declined => &order.fail_url,
        _ => &order.return_url,
    };
    Redirect::to(&format!("{back}?orderId={id}")).into_response()
}

fn not_found() -> Response {
    (
        axum::http::StatusCode::NOT_FOUND,
        Html(page(
            "Заказ не найден",
            "<p>Такого заказа в тестовом режиме нет.</p>",
        )),
    )
        .into_response()
}

fn card_html(id: &str, order: &SandboxOrder, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\" id=\"error\">{}</p>", esc(e)))
        .unwrap_or_default();
    page(
        "Оплата картой",
        &format!(
            "<p>{desc}</p><p>Сумма: <b id=\"amount\">{amount}</b></p>{error}\
             <form method=\"post\" action=\"/sandbox/pay/{id}\">\
             <label>Номер карты <input id=\"pan\" name=\"pan\" inputmode=\"numeric\" autocomplete=\"off\"></label><br>\
             <label>Срок (ММ/ГГ) <input id=\"expiry\" name=\"expiry\" size=\"5\"></label>\
             <label>CVC <input id=\"cvc\" name=\"cvc\" size=\"3\"></label><br>\
             <button id=\"pay\" type=\"submit\">Оплатить</button></form>\
             <p>Тестовые карты (срок и CVC — любые):</p><ul>\
             <li>{paid} — оплата проходит</li><li>{declined} — банк отклоняет</li>\
             <li>{three_ds} — 3-D Secure, код {code}</li></ul>\
             <p><a href=\"/sandbox/sbp/{id}\">Оплатить по СБП</a></p>",
            desc = esc(&order.description),
            amount = esc(&order.amount.to_string()),
            paid = cards::PAID,
            declined = cards::DECLINED,
            three_ds = cards::THREE_DS,
            code = cards::THREE_DS_CODE,
        ),
    )
}

fn three_ds_html(id: &str, order: &SandboxOrder) -> String {
    page(
        "3-D Secure",
        &format!(
            "<p>Подтвердите оплату {amount}: введите код из SMS (в тестовом режиме — {code}).</p>\
             <form method=\"post\" action=\"/sandbox/3ds/{id}\">\
             <input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"off\">\
             <button id=\"confirm\" type=\"submit\">Подтвердить</button></form>",
            amount = esc(&order.amount.to_string()),
            code = cards::THREE_DS_CODE,
        ),
    )
}

/// A sandbox page: the test-mode banner on top of every one.
fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body>\
         <p id=\"test-mode\" style=\"background:#ffe08a;padding:8px\"><b>Тестовый режим, деньги не списываются.</b></p>\
         <h1>{title}</h1>{body}</body></html>",
        title = esc(title)
    )
}

/// HTML-escapes text.
pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
