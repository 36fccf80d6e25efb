//! The sandbox gateway end to end over HTTP: card page → return page → credited once → chat told.

use super::{Env, listener, rub, signed_callback};
use kabinet::billing::Service;
use kabinet::payments::sandbox::{Sandbox, cards};
use kabinet::payments::{Via, templates};
use kabinet::store::payment_orders::OrderState;
use std::sync::Arc;
use std::time::Duration;

async fn sandbox_env() -> Env {
    let (listener, base) = listener().await;
    let sandbox = Arc::new(Sandbox::new(
        &base,
        &format!("{base}/pay/callback"),
        super::KEY,
    ));
    Env::start(sandbox.clone(), Some(&sandbox), listener, base).await
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn card(pan: &str) -> [(&'static str, String); 3] {
    [
        ("pan", pan.to_owned()),
        ("expiry", "12/30".into()),
        ("cvc", "123".into()),
    ]
}

/// Waits until the sandbox's own callback (sent aside) has been handled.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn a_sandbox_card_payment_is_credited_once_and_the_chat_is_told() {
    let env = sandbox_env().await;
    let reg = env.order(vec![(Service::Penalty, rub(12_345))]).await;
    assert!(reg.sbp_url.is_some(), "the sandbox offers СБП");
    let http = reqwest::Client::new();
    let form = http
        .get(&reg.form_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("Тестовый режим, деньги не списываются"),
        "{form}"
    );
    assert!(form.contains("123,45"), "{form}");
    let page = http
        .post(&reg.form_url)
        .form(&card(cards::PAID))
        .send()
        .await
        .unwrap();
    assert!(page.url().path().ends_with("/pay/return"), "{}", page.url());
    let page = page.text().await.unwrap();
    assert!(page.contains("Оплата прошла успешно"), "{page}");
    assert!(page.contains("123,45"), "{page}");
    assert!(page.contains(super::DEBTOR), "{page}");
    assert!(page.contains("https://t.me/kabinet_demo_bot"), "{page}");
    settle().await;
    let id = env.gateway_id(reg.order_id).await;
    assert_eq!(env.db.store.credits_of(&id).await.unwrap(), 1);
    assert_eq!(
        env.payments_of(&id).await,
        vec![("penalty".to_owned(), rust_decimal::Decimal::new(12_345, 2))]
    );
    let notices = env.notices().await;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].template, templates::CREDITED);
    assert_eq!(notices[0].recipient, "4242");
    let i18n = kabinet::i18n::I18n::new().unwrap();
    let text = kabinet::outbox::templates::render(&i18n, &notices[0]).unwrap();
    assert!(text.contains("Платёж на сумму 123,45"), "{text}");
    assert!(text.contains("зачислен"), "{text}");
    assert!(
        text.contains("Электроэнергия"),
        "the balance per service: {text}"
    );
    let order = env.db.store.order(reg.order_id).await.unwrap().unwrap();
    assert_eq!(order.state, OrderState::Paid);
    assert!(!order.flagged);
}

#[tokio::test]
async fn a_declined_card_credits_nothing_and_says_so() {
    let env = sandbox_env().await;
    let reg = env.order(vec![(Service::Electricity, rub(50_000))]).await;
    let page = reqwest::Client::new()
        .post(&reg.form_url)
        .form(&card(cards::DECLINED))
        .send()
        .await
        .unwrap();
    assert!(page.url().path().ends_with("/pay/fail"));
    let page = page.text().await.unwrap();
    assert!(page.contains("Оплата не прошла"), "{page}");
    settle().await;
    let id = env.gateway_id(reg.order_id).await;
    assert_eq!(env.db.store.credits_of(&id).await.unwrap(), 0);
    assert!(env.payments_of(&id).await.is_empty());
    let order = env.db.store.order(reg.order_id).await.unwrap().unwrap();
    assert_eq!(order.state, OrderState::Declined);
    let notices = env.notices().await;
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].template, templates::DECLINED);
}

#[tokio::test]
async fn a_three_d_secure_card_pays_after_the_code() {
    let env = sandbox_env().await;
    let reg = env.order(vec![(Service::Electricity, rub(70_000))]).await;
    let http = reqwest::Client::new();
    let page = http
        .post(&reg.form_url)
        .form(&card(cards::THREE_DS))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("3-D Secure"), "{page}");
    let id = env.gateway_id(reg.order_id).await;
    // Before the code, the order is not paid: returning early credits nothing.
    let early = http
        .get(format!("{}/pay/return?orderId={id}", env.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(early.contains("Платёж обрабатывается"), "{early}");
    assert_eq!(env.db.store.credits_of(&id).await.unwrap(), 0);
    let done = http
        .post(format!("{}/sandbox/3ds/{id}", env.base))
        .form(&[("code", cards::THREE_DS_CODE)])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(done.contains("Оплата прошла успешно"), "{done}");
    settle().await;
    assert_eq!(env.db.store.credits_of(&id).await.unwrap(), 1);
}

#[tokio::test]
async fn return_callback_and_reconcile_racing_credit_one_payment() {
    let env = sandbox_env().await;
    let items = vec![
        (Service::Electricity, rub(100_000)),
        (Service::Penalty, rub(2_550)),
    ];
    let reg = env.order(items).await;
    let id = env.gateway_id(reg.order_id).await;
    // Paid at the sandbox; the browser's redirect is not followed here, the racers do it.
    let paid = no_redirects()
        .post(&reg.form_url)
        .form(&card(cards::PAID))
        .send()
        .await
        .unwrap();
    assert!(paid.status().is_redirection());
    let mut racers = Vec::new();
    for i in 0..30 {
        let (base, id, payments) = (env.base.clone(), id.clone(), env.payments.clone());
        racers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            match i % 3 {
                0 => {
                    let page = http
                        .get(format!("{base}/pay/return?orderId={id}"))
                        .send()
                        .await
                        .unwrap()
                        .text()
                        .await
                        .unwrap();
                    assert!(page.contains("Оплата прошла успешно"), "{page}");
                }
                1 => {
                    let params = signed_callback(&[
                        ("mdOrder", &id),
                        ("operation", "deposited"),
                        ("status", "1"),
                    ]);
                    let answer = http
                        .get(format!("{base}/pay/callback"))
                        .query(&params)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(answer.status(), 200);
                }
                _ => {
                    payments.confirm(&id, Via::Reconcile).await.unwrap();
                }
            }
        }));
    }
    for r in racers {
        r.await.unwrap();
    }
    settle().await;
    assert_eq!(env.db.store.credits_of(&id).await.unwrap(), 1);
    let stored = env.payments_of(&id).await;
    assert_eq!(stored.len(), 2, "one row per service: {stored:?}");
    let total: rust_decimal::Decimal = stored.iter().map(|(_, a)| *a).sum();
    assert_eq!(total, rust_decimal::Decimal::new(102_550, 2));
    assert_eq!(env.notices().await.len(), 1, "the chat is told once");
}

#[tokio::test]
async fn a_forged_or_unsigned_callback_is_refused_and_credits_nothing() {
    let env = sandbox_env().await;
    let reg = env.order(vec![(Service::Electricity, rub(10_000))]).await;
    let id = env.gateway_id(reg.order_id).await;
    let http = reqwest::Client::new();
    let mut forged = signed_callback(&[
        ("mdOrder", &id),
        ("operation", "deposited"),
        ("status", "1"),
    ]);
    forged[2].1 = "0".into();
    for params in [
        forged,
        vec![
            ("mdOrder".to_owned(), id.clone()),
            ("status".into(), "1".into()),
        ],
        vec![
            ("mdOrder".to_owned(), id.clone()),
            ("checksum".into(), "00".repeat(32)),
        ],
    ] {
        let answer = http
            .get(format!("{}/pay/callback", env.base))
            .query(&params)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 400, "{params:?}");
        let post = http
            .post(format!("{}/pay/callback", env.base))
            .form(&params)
            .send()
            .await
            .unwrap();
        assert_eq!(post.status(), 400);
    }
    assert_eq!(env.db.store.credits_of(&id).await.unwrap(), 0);
    // A well-signed callback for an order that is not paid credits nothing either.
    let early = http
        .get(format!("{}/pay/callback", env.base))
        .query(&signed_callback(&[
            ("mdOrder", &id),
            ("operation", "deposited"),
            ("status", "1"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(early.status(), 200);
    assert_eq!(env.db.store.credits_of(&id).await.unwrap(), 0);
}

#[tokio::test]
async fn a_callback_naming_a_wrong_amount_credits_what_the_gateway_confirms() {
    let env = sandbox_env().await;
    let reg = env.order(vec![(Service::Electricity, rub(30_000))]).await;
    let id = env.gateway_id(reg.order_id).await;
    no_redirects()
        .post(&reg.form_url)
        .form(&card(cards::PAID))
        .send()
        .await
        .unwrap();
    let answer = reqwest::Client::new()
        .get(format!("{}/pay/callback", env.base))
        .query(&signed_callback(&[
            ("mdOrder", &id),
            ("operation", "deposited"),
            ("status", "1"),
            ("amount", "99999999"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    settle().await;
    assert_eq!(
        env.payments_of(&id).await,
        vec![(
            "electricity".to_owned(),
            rust_decimal::Decimal::new(30_000, 2)
        )]
    );
}

#[tokio::test]
async fn the_sbp_page_pays_the_order() {
    let env = sandbox_env().await;
    let reg = env.order(vec![(Service::Odn, rub(4_200))]).await;
    let http = reqwest::Client::new();
    let sbp = reg.sbp_url.clone().unwrap();
    let page = http.get(&sbp).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Тестовый режим"), "{page}");
    let done = http.post(&sbp).send().await.unwrap().text().await.unwrap();
    assert!(done.contains("Оплата прошла успешно"), "{done}");
    settle().await;
    assert_eq!(
        env.db
            .store
            .credits_of(&env.gateway_id(reg.order_id).await)
            .await
            .unwrap(),
        1
    );
}
