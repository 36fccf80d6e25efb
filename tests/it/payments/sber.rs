//! The Sberbank client against the local fake, and the web endpoint over it when it fails.

use super::fake_sber::{self, Mode};
use super::{Env, listener, rub};
use kabinet::billing::Service;
use kabinet::config::Secret;
use kabinet::payments::sber::{SberConfig, SberGateway};
use kabinet::payments::{Gateway, GatewayError, GatewayState, OrderRequest};
use std::sync::Arc;
use std::time::Duration;

fn client(base: &str, password: &str) -> SberGateway {
    let mut config = SberConfig::new(base, fake_sber::USER, Secret::new(password));
    config.timeout = Duration::from_millis(500);
    config.tax_type = 6;
    config.sbp = true;
    SberGateway::new(config).unwrap()
}

fn request(number: &str) -> OrderRequest {
    OrderRequest {
        order_number: number.into(),
        amount: rub(150_050),
        items: vec![
            (Service::Electricity, rub(140_000)),
            (Service::Penalty, rub(10_050)),
        ],
        description: "Лицевой счёт 7701000000048".into(),
        return_url: "http://127.0.0.1/pay/return".into(),
        fail_url: "http://127.0.0.1/pay/fail".into(),
        contact: Some(kabinet::payments::Contact::Phone("79031234517".into())),
        language: "ru",
    }
}

#[tokio::test]
async fn register_sends_the_bundle_in_kopecks_and_status_is_paid_only_at_two() {
    let (fake, base) = fake_sber::start().await;
    let gw = client(&base, fake_sber::PASSWORD);
    let reg = gw.register(&request("K1")).await.unwrap();
    let sent = fake_sber::calls(&fake, "register.do");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["amount"], "150050");
    assert_eq!(sent[0]["currency"], "643");
    let bundle: serde_json::Value = serde_json::from_str(&sent[0]["orderBundle"]).unwrap();
    let items = bundle["cartItems"]["items"].as_array().unwrap();
    let sum: i64 = items
        .iter()
        .map(|i| i["itemAmount"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 150_050);
    assert_eq!(items[0]["tax"]["taxType"], 6);
    assert_eq!(bundle["customerDetails"]["phone"], "79031234517");
    let status = gw.status(&reg.gateway_order_id).await.unwrap();
    assert_eq!(
        status.state,
        GatewayState::Pending,
        "orderStatus 0 stays pending"
    );
    for (code, state) in [
        (1, GatewayState::Pending),
        (5, GatewayState::Pending),
        (6, GatewayState::Declined),
        (4, GatewayState::Returned),
        (2, GatewayState::Paid),
    ] {
        fake_sber::set_order(&fake, &reg.gateway_order_id, 150_050, code);
        assert_eq!(
            gw.status(&reg.gateway_order_id).await.unwrap().state,
            state,
            "{code}"
        );
    }
    gw.refund(&reg.gateway_order_id, rub(150_050))
        .await
        .unwrap();
    let link = gw.sbp_link(&reg.gateway_order_id).await.unwrap();
    assert!(link.starts_with("https://qr.nspk.ru/"), "{link}");
}

#[tokio::test]
async fn the_gateways_errors_are_typed() {
    let (fake, base) = fake_sber::start().await;
    let refused = client(&base, "wrong").register(&request("K2")).await;
    assert!(
        matches!(refused, Err(GatewayError::Refused { ref code, .. }) if code == "5"),
        "{refused:?}"
    );
    let gw = client(&base, fake_sber::PASSWORD);
    assert!(matches!(
        gw.status("nope").await,
        Err(GatewayError::UnknownOrder)
    ));
    gw.register(&request("K3")).await.unwrap();
    let again = gw.register(&request("K3")).await;
    assert!(
        matches!(again, Err(GatewayError::Refused { ref code, .. }) if code == "1"),
        "{again:?}"
    );
    fake_sber::set_mode(&fake, Mode::Malformed);
    assert!(matches!(
        gw.status("x").await,
        Err(GatewayError::Malformed(_))
    ));
    fake_sber::set_mode(&fake, Mode::Down);
    assert!(matches!(
        gw.status("x").await,
        Err(GatewayError::Unavailable(_))
    ));
}

#[tokio::test]
async fn a_slow_gateway_times_out_register_is_tried_once_and_status_retried() {
    let (fake, base) = fake_sber::start().await;
    let gw = client(&base, fake_sber::PASSWORD);
    fake_sber::set_mode(&fake, Mode::Slow);
    let started = std::time::Instant::now();
    let reg = gw.register(&request("K4")).await;
    assert!(matches!(reg, Err(GatewayError::Unavailable(_))), "{reg:?}");
    assert!(started.elapsed() < Duration::from_millis(1500));
    assert_eq!(
        fake_sber::calls(&fake, "register.do").len(),
        1,
        "never a blind retry"
    );
    let status = gw.status("x").await;
    assert!(matches!(status, Err(GatewayError::Unavailable(_))));
    assert_eq!(
        fake_sber::calls(&fake, "getOrderStatusExtended.do").len(),
        3
    );
}

async fn sber_env() -> (Env, fake_sber::Shared) {
    let (fake, rest) = fake_sber::start().await;
    let (listener, base) = listener().await;
    let gw: Arc<dyn Gateway> = Arc::new(client(&rest, fake_sber::PASSWORD));
    (Env::start(gw, None, listener, base).await, fake)
}

#[tokio::test]
async fn the_gateway_down_during_the_return_is_confirmed_later_by_reconcile() {
    let (env, fake) = sber_env().await;
    let reg = env.order(vec![(Service::Penalty, rub(9_999))]).await;
    let id = env.gateway_id(reg.order_id).await;
    assert!(reg.sbp_url.is_some());
    fake_sber::set_order(&fake, &id, 9_999, 2);
    fake_sber::set_mode(&fake, Mode::Down);
    let page = reqwest::get(format!("{}/pay/return?orderId={id}", env.base))
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Платёж обрабатывается"), "{page}");
    assert!(page.contains("99,99"), "{page}");
    assert_eq!(env.db.store.credits_of(&id).await.unwrap(), 0);
    // A callback while the gateway is down is answered 503, so the gateway repeats it.
    let cb = reqwest::Client::new()
        .get(format!("{}/pay/callback", env.base))
        .query(&super::signed_callback(&[
            ("mdOrder", &id),
            ("status", "1"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(cb.status(), 503);
    fake_sber::set_mode(&fake, Mode::Normal);
    let nothing_yet = env
        .payments
        .reconcile(chrono::Duration::minutes(15))
        .await
        .unwrap();
    assert_eq!(
        nothing_yet.checked, 0,
        "the order is younger than 15 minutes"
    );
    env.clock.advance(chrono::Duration::minutes(16));
    let done = env
        .payments
        .reconcile(chrono::Duration::minutes(15))
        .await
        .unwrap();
    assert_eq!((done.checked, done.credited), (1, 1));
    assert_eq!(env.db.store.credits_of(&id).await.unwrap(), 1);
    let again = env
        .payments
        .reconcile(chrono::Duration::minutes(15))
        .await
        .unwrap();
    assert_eq!(again.checked, 0);
}

#[tokio::test]
async fn a_confirmed_amount_other_than_the_order_is_credited_as_confirmed_and_flagged() {
    let (env, fake) = sber_env().await;
    let reg = env
        .order(vec![
            (Service::Electricity, rub(100_000)),
            (Service::Penalty, rub(50_000)),
        ])
        .await;
    let id = env.gateway_id(reg.order_id).await;
    fake_sber::set_order(&fake, &id, 120_000, 2);
    let page = reqwest::get(format!("{}/pay/return?orderId={id}", env.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("1\u{a0}200,00"), "{page}");
    let stored = env.payments_of(&id).await;
    let total: rust_decimal::Decimal = stored.iter().map(|(_, a)| *a).sum();
    assert_eq!(total, rust_decimal::Decimal::new(120_000, 2));
    let order = env.db.store.order(reg.order_id).await.unwrap().unwrap();
    assert!(order.flagged);
    assert_eq!(order.confirmed_amount, Some(rub(120_000)));
}

#[tokio::test]
async fn an_order_left_unpaid_for_a_day_expires_and_the_chat_is_told() {
    let (env, _fake) = sber_env().await;
    let reg = env.order(vec![(Service::Electricity, rub(1_000))]).await;
    env.clock.advance(chrono::Duration::hours(25));
    let done = env
        .payments
        .reconcile(chrono::Duration::minutes(15))
        .await
        .unwrap();
    assert_eq!(done.closed, 1);
    let order = env.db.store.order(reg.order_id).await.unwrap().unwrap();
    assert_eq!(
        order.state,
        kabinet::store::payment_orders::OrderState::Expired
    );
    assert_eq!(env.notices().await.len(), 1);
}
