//! A local fake of Sberbank's acquiring REST API: form-encoded requests, JSON answers, and
//! switches for the failures a test needs (down, slow, malformed, wrong amount).

use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const USER: &str = "kabinet-api";
pub const PASSWORD: &str = "s3cret";

/// How the fake answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// HTTP 503 to everything.
    Down,
    /// Answers after 2 s.
    Slow,
    /// Answers with something that is not JSON.
    Malformed,
}

#[derive(Default)]
pub struct Fake {
    pub mode: Option<Mode>,
    /// Order id → (amount in kopecks, orderStatus).
    pub orders: HashMap<String, (i64, i64)>,
    /// Every call: method and its form.
    pub calls: Vec<(String, HashMap<String, String>)>,
}

pub type Shared = Arc<Mutex<Fake>>;

/// Serves the fake on a loopback port; returns its REST base URL.
pub async fn start() -> (Shared, String) {
    let fake: Shared = Arc::default();
    let app = Router::new()
        .route("/payment/rest/{*method}", post(handle))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/payment/rest/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (fake, base)
}

pub fn set_mode(fake: &Shared, mode: Mode) {
    fake.lock().unwrap().mode = Some(mode);
}

/// Sets an order's status and amount as the bank would.
pub fn set_order(fake: &Shared, id: &str, kopecks: i64, status: i64) {
    fake.lock()
        .unwrap()
        .orders
        .insert(id.to_owned(), (kopecks, status));
}

pub fn calls(fake: &Shared, method: &str) -> Vec<HashMap<String, String>> {
    fake.lock()
        .unwrap()
        .calls
        .iter()
        .filter(|(m, _)| m == method)
        .map(|(_, f)| f.clone())
        .collect()
}

async fn handle(
    State(fake): State<Shared>,
    axum::extract::Path(method): axum::extract::Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mode = {
        let mut f = fake.lock().unwrap();
        f.calls.push((method.clone(), form.clone()));
        f.mode.unwrap_or(Mode::Normal)
    };
    match mode {
        Mode::Down => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Mode::Slow => tokio::time::sleep(Duration::from_secs(2)).await,
        Mode::Malformed => return "<html>Bad gateway</html>".into_response(),
        Mode::Normal => {}
    }
    if form.get("userName").map(String::as_str) != Some(USER)
        || form.get("password").map(String::as_str) != Some(PASSWORD)
    {
        return axum::Json(json!({"errorCode": "5", "errorMessage": "Доступ запрещён."}))
            .into_response();
    }
    let mut f = fake.lock().unwrap();
    let answer = match method.as_str() {
        "register.do" => {
            let number = form.get("orderNumber").cloned().unwrap_or_default();
            let seen = f
                .calls
                .iter()
                .filter(|(m, c)| m == "register.do" && c.get("orderNumber") == Some(&number))
                .count();
            if seen > 1 {
                json!({"errorCode": "1", "errorMessage": "Заказ с таким номером уже обработан"})
            } else {
                let id = format!("sber-{:016x}", rand::random::<u64>());
                let amount: i64 = form["amount"].parse().unwrap();
                f.orders.insert(id.clone(), (amount, 0));
                json!({"orderId": id, "formUrl": format!("https://3dsec.example/payment/merchants/pay.html?mdOrder={id}")})
            }
        }
        "getOrderStatusExtended.do" => match f.orders.get(&form["orderId"]) {
            Some((amount, status)) => json!({
                "errorCode": "0", "errorMessage": "Успешно",
                "orderStatus": status, "amount": amount, "currency": "643",
            }),
            None => json!({"errorCode": "6", "errorMessage": "Заказ не найден"}),
        },
        "refund.do" => match f.orders.get_mut(&form["orderId"]) {
            Some(order) if order.1 == 2 => {
                order.1 = 4;
                json!({"errorCode": 0, "errorMessage": "Успешно"})
            }
            Some(_) => json!({"errorCode": 7, "errorMessage": "Неверное состояние заказа"}),
            None => json!({"errorCode": 6, "errorMessage": "Заказ не найден"}),
        },
        "sbp/c2b/qr/dynamic/get.do" => json!({
            "errorCode": 0, "qrId": "AD100004BAL7227F9BNP6KNE007J9B3K",
            "payload": "https://qr.nspk.ru/AD100004BAL7227F9BNP6KNE007J9B3K?type=02&bank=100000000111",
        }),
        _ => json!({"errorCode": "4", "errorMessage": "Неизвестный метод"}),
    };
    axum::Json(answer).into_response()
}
