//! Sberbank's acquiring REST API (form-encoded POSTs, JSON answers): `register.do` with the
//! 54-FZ `orderBundle`, `getOrderStatusExtended.do`, `refund.do` and the СБП step
//! `sbp/c2b/qr/dynamic/get.do`.
//!
//! `register.do` is tried once: it is not idempotent, and a timed-out call may still have
//! created an order, so the caller registers a fresh order number instead. Status checks are
//! safe and are retried on transport errors.

use super::{Contact, Gateway, GatewayError, GatewayState, OrderRequest, OrderStatus, Registered};
use crate::billing::{Money, Service};
use crate::config::Secret;
use async_trait::async_trait;
use serde_json::{Value, json};
use std::time::Duration;

/// How to reach the gateway.
#[derive(Clone, Debug)]
pub struct SberConfig {
    /// The REST base, ending with `/`: `https://securepayments.sberbank.ru/payment/rest/`.
    pub base_url: String,
    pub user: String,
    pub password: Secret,
    /// PEM roots added for this client only (the Russian Trusted Root CA).
    pub ca_pem: Option<Vec<u8>>,
    /// The gateway's own `tax.taxType` code for the receipt lines (configured, not guessed).
    pub tax_type: u32,
    /// Whether СБП is enabled for the merchant.
    pub sbp: bool,
    /// One call's time limit.
    pub timeout: Duration,
    /// Status checks: this many attempts in all.
    pub status_attempts: u32,
}

impl SberConfig {
    pub fn new(base_url: impl Into<String>, user: impl Into<String>, password: Secret) -> Self {
        SberConfig {
            base_url: base_url.into(),
            user: user.into(),
            password,
            ca_pem: None,
            tax_type: 0,
            sbp: false,
            timeout: Duration::from_secs(20),
            status_attempts: 3,
        }
    }
}

/// The Sberbank client.
pub struct SberGateway {
    http: reqwest::Client,
    config: SberConfig,
}

impl SberGateway {
    /// Builds the client; a CA file that is no PEM certificate is an error.
    pub fn new(config: SberConfig) -> Result<SberGateway, GatewayError> {
        let mut builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout);
        if let Some(pem) = &config.ca_pem {
            let roots = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| GatewayError::Malformed(format!("GATEWAY_CA_FILE: {e}")))?;
            if roots.is_empty() {
                return Err(GatewayError::Malformed(
                    "GATEWAY_CA_FILE holds no certificate".into(),
                ));
            }
            for root in roots {
                builder = builder.add_root_certificate(root);
            }
        }
        let http = builder
            .build()
            .map_err(|e| GatewayError::Unavailable(e.to_string()))?;
        Ok(SberGateway { http, config })
    }

    /// One form-encoded call; the answer as JSON. Credentials go in the body, never the URL.
    async fn call(&self, method: &str, params: &[(&str, String)]) -> Result<Value, GatewayError> {
        let mut form: Vec<(&str, String)> = vec![
            ("userName", self.config.user.clone()),
            ("password", self.config.password.expose().to_owned()),
        ];
        form.extend(params.iter().cloned());
        let url = format!("{}{method}", self.config.base_url);
        let response = self
            .http
            .post(url)
            .form(&form)
            .send()
            .await
            .map_err(|e| GatewayError::Unavailable(e.without_url().to_string()))?;
        let status = response.status();
        if status.is_server_error() {
            return Err(GatewayError::Unavailable(format!("HTTP {status}")));
        }
        let body = response
            .text()
            .await
            .map_err(|e| GatewayError::Unavailable(e.without_url().to_string()))?;
        read_answer(&body)
            .map_err(|_| GatewayError::Malformed(format!("{method}: HTTP {status}, not JSON")))
    }

    async fn status_once(&self, id: &str) -> Result<OrderStatus, GatewayError> {
        let answer = self
            .call("getOrderStatusExtended.do", &[("orderId", id.to_owned())])
            .await?;
        read_status(&answer)
    }
}

#[async_trait]
impl Gateway for SberGateway {
    fn name(&self) -> &'static str {
        "sberbank"
    }

    async fn register(&self, order: &OrderRequest) -> Result<Registered, GatewayError> {
        let bundle = order_bundle(order, self.config.tax_type);
        let answer = self
            .call(
                "register.do",
                &[
                    ("orderNumber", order.order_number.clone()),
                    ("amount", order.amount.kopecks().to_string()),
                    ("currency", "643".into()),
                    ("returnUrl", order.return_url.clone()),
                    ("failUrl", order.fail_url.clone()),
                    ("description", order.description.clone()),
                    ("language", order.language.into()),
                    ("orderBundle", bundle.to_string()),
                ],
            )
            .await?;
        read_registered(&answer)
    }

    async fn status(&self, id: &str) -> Result<OrderStatus, GatewayError> {
        let mut attempt = 1;
        loop {
            match self.status_once(id).await {
                Err(GatewayError::Unavailable(why)) if attempt < self.config.status_attempts => {
                    tracing::info!(attempt, %why, "gateway status check failed; retrying");
                    tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn refund(&self, id: &str, amount: Money) -> Result<(), GatewayError> {
        let answer = self
            .call(
                "refund.do",
                &[
                    ("orderId", id.to_owned()),
                    ("amount", amount.kopecks().to_string()),
                ],
            )
            .await?;
        refused(&answer)
    }

    async fn sbp_link(&self, id: &str) -> Result<String, GatewayError> {
        if !self.config.sbp {
            return Err(GatewayError::Unsupported);
        }
        let answer = self
            .call(
                "sbp/c2b/qr/dynamic/get.do",
                &[
                    ("mdOrder", id.to_owned()),
                    ("qrHeight", "300".into()),
                    ("qrWidth", "300".into()),
                    ("qrFormat", "matrix".into()),
                ],
            )
            .await?;
        read_sbp_payload(&answer)
    }

    fn sbp_enabled(&self) -> bool {
        self.config.sbp
    }
}

/// The answers of the gateway, read without any IO (so they can be fuzzed): every field is
/// checked, anything unexpected is [`GatewayError::Malformed`] or a refusal, never a panic.
pub mod answers {
    use super::{GatewayError, GatewayState, Money, OrderStatus, Registered, Value, number};

    /// The body of an answer: a JSON object (or any JSON value; the readers check the fields).
    pub fn read_answer(body: &str) -> Result<Value, serde_json::Error> {
        serde_json::from_str(body)
    }

    /// `getOrderStatusExtended.do`: the order's state and the amount the bank confirmed.
    pub fn read_status(answer: &Value) -> Result<OrderStatus, GatewayError> {
        super::refused(answer)?;
        let code = answer
            .get("orderStatus")
            .and_then(number)
            .ok_or_else(|| GatewayError::Malformed("no orderStatus".into()))?;
        let state = match code {
            2 => GatewayState::Paid,
            0 | 1 | 5 => GatewayState::Pending,
            3 | 4 => GatewayState::Returned,
            6 => GatewayState::Declined,
            other => return Err(GatewayError::Malformed(format!("orderStatus {other}"))),
        };
        let amount = answer
            .get("amount")
            .and_then(number)
            .filter(|kopecks| *kopecks >= 0)
            .ok_or_else(|| GatewayError::Malformed("no amount".into()))?;
        Ok(OrderStatus {
            state,
            amount: Money::from_kopecks(amount),
        })
    }

    /// `register.do`: the gateway's order id and the card page.
    pub fn read_registered(answer: &Value) -> Result<Registered, GatewayError> {
        super::refused(answer)?;
        let field = |name: &str| answer.get(name).and_then(Value::as_str).map(str::to_owned);
        match (field("orderId"), field("formUrl")) {
            (Some(gateway_order_id), Some(form_url)) => Ok(Registered {
                gateway_order_id,
                form_url,
            }),
            _ => Err(GatewayError::Malformed(
                "register.do: no orderId/formUrl".into(),
            )),
        }
    }

    /// `sbp/c2b/qr/dynamic/get.do`: the СБП link.
    pub fn read_sbp_payload(answer: &Value) -> Result<String, GatewayError> {
        super::refused(answer)?;
        answer
            .get("payload")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| GatewayError::Malformed("sbp: no payload".into()))
    }
}

use answers::{read_answer, read_registered, read_sbp_payload, read_status};

/// `errorCode` other than 0 is a refusal (a string or a number, as the gateway sends either).
fn refused(answer: &Value) -> Result<(), GatewayError> {
    let code = match answer.get("errorCode") {
        None | Some(Value::Null) => return Ok(()),
        Some(v) => number(v).ok_or_else(|| GatewayError::Malformed("errorCode".into()))?,
    };
    if code == 0 {
        return Ok(());
    }
    let message = answer
        .get("errorMessage")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if code == 6 {
        return Err(GatewayError::UnknownOrder);
    }
    Err(GatewayError::Refused {
        code: code.to_string(),
        message: format!("{} ({message})", describe(code)),
    })
}

/// What the gateway's error codes mean, for logs and staff.
pub fn describe(code: i64) -> &'static str {
    match code {
        1 => "an order with this number exists already, or the order was already handled",
        3 => "unknown currency",
        4 => "a required parameter is missing",
        5 => "wrong credentials or a parameter value refused",
        6 => "the gateway does not know the order",
        7 => "the gateway's system error",
        13 => "the merchant may not use this payment method",
        14 => "the payment method is refused (СБП not enabled?)",
        _ => "an error the gateway did not explain",
    }
}

/// A JSON number or a string of digits.
fn number(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The `orderBundle` for the fiscal receipt: one line per service, amounts in kopecks summing to
/// the order, full settlement (`paymentMethod` 4); electricity, ОДН and other services are a
/// service (`paymentObject` 4), the penalty a payment (10).
pub fn order_bundle(order: &OrderRequest, tax_type: u32) -> Value {
    let items: Vec<Value> = order
        .items
        .iter()
        .enumerate()
        .map(|(i, (service, amount))| {
            let object = if *service == Service::Penalty {
                "10"
            } else {
                "4"
            };
            json!({
                "positionId": (i + 1).to_string(),
                "name": item_name(*service),
                "quantity": {"value": 1, "measure": "шт"},
                "itemAmount": amount.kopecks(),
                "itemPrice": amount.kopecks(),
                "itemCode": service.code(),
                "tax": {"taxType": tax_type},
                "itemAttributes": {"attributes": [
                    {"name": "paymentMethod", "value": "4"},
                    {"name": "paymentObject", "value": object},
                ]},
            })
        })
        .collect();
    let mut customer = serde_json::Map::new();
    match &order.contact {
        Some(Contact::Email(email)) => {
            customer.insert("email".into(), json!(email));
        }
        Some(Contact::Phone(phone)) => {
            customer.insert("phone".into(), json!(phone));
        }
        None => {}
    }
    json!({
        "customerDetails": customer,
        "cartItems": {"items": items},
    })
}

/// The fiscal receipt's name of a line (Russian: the receipt is a Russian document).
fn item_name(service: Service) -> &'static str {
    match service {
        Service::Electricity => "Электроэнергия",
        Service::Odn => "Электроэнергия на общедомовые нужды",
        Service::Penalty => "Пени",
        Service::Other => "Прочие услуги",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundle_lines_sum_to_the_order_in_kopecks() {
        let order = OrderRequest {
            order_number: "K1".into(),
            amount: Money::from_kopecks(150_050),
            items: vec![
                (Service::Electricity, Money::from_kopecks(140_000)),
                (Service::Penalty, Money::from_kopecks(10_050)),
            ],
            description: "x".into(),
            return_url: "r".into(),
            fail_url: "f".into(),
            contact: Some(Contact::Email("a@b.ru".into())),
            language: "ru",
        };
        let bundle = order_bundle(&order, 7);
        let items = bundle["cartItems"]["items"].as_array().unwrap();
        let sum: i64 = items
            .iter()
            .map(|i| i["itemAmount"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, order.amount.kopecks());
        assert_eq!(items[1]["itemAttributes"]["attributes"][1]["value"], "10");
        assert_eq!(items[0]["tax"]["taxType"], 7);
        assert_eq!(bundle["customerDetails"]["email"], "a@b.ru");
    }

    #[test]
    fn error_codes_are_read_as_strings_or_numbers() {
        assert!(refused(&json!({"errorCode": "0"})).is_ok());
        assert!(refused(&json!({"orderId": "x"})).is_ok());
        assert!(matches!(
            refused(&json!({"errorCode": 5, "errorMessage": "Доступ запрещён"})),
            Err(GatewayError::Refused { .. })
        ));
        assert!(matches!(
            refused(&json!({"errorCode": "6"})),
            Err(GatewayError::UnknownOrder)
        ));
    }
}
