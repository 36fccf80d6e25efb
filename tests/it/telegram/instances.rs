//! Several instances of one bot: duplicates handled once, one chat's updates spread over two
//! dispatchers sharing Redis, and the webhook's secret.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use kabinet::channels::telegram::adapter::{self, Adapter};
use kabinet::channels::telegram::serve;
use kabinet::sessions::{DEFAULT_TTL, MemorySessions};
use kabinet::store::chats;

use super::live::{Live, key};
use crate::support::fake_bot_api::{FakeBotApi, TOKEN, deliver_to_webhook, updates};
use crate::support::{Harness, engine};

const CHAT: i64 = 6001;

#[tokio::test]
async fn the_same_update_delivered_twice_is_handled_once() {
    let live = Live::start(1, true).await;
    let update = updates::with_id(updates::text(CHAT, 1, "/start"), 900);
    live.fake.push_update(update.clone());
    live.fake.push_update(update);
    live.settle().await;
    let texts = live.sent_texts(CHAT);
    assert_eq!(texts.len(), 2, "greeting and menu once: {texts:#?}");
    live.stop().await;
}

#[tokio::test]
async fn two_dispatchers_sharing_redis_handle_one_chat_once_and_in_order() {
    let live = Live::start(2, true).await;
    // Registration up to the phone question, all at once: both dispatchers see every update.
    for (i, text) in [
        "/register 7701000000017",
        "Иванов Иван Иванович",
        "+7 903 123-45-17",
    ]
    .iter()
    .enumerate()
    {
        live.fake
            .push_update(updates::text(CHAT, i as i64 + 1, text));
    }
    live.settle().await;
    live.press(CHAT, "Пропустить").await;

    let texts = live.sent_texts(CHAT);
    let once = |prefix: &str| texts.iter().filter(|t| t.starts_with(prefix)).count();
    assert_eq!(
        once("Лицевой счёт 7701000000017. Введите фамилию"),
        1,
        "{texts:#?}"
    );
    assert_eq!(once("Спасибо, владелец подтверждён"), 1, "{texts:#?}");
    assert_eq!(once("Номер для SMS"), 1, "{texts:#?}");
    let links = chats::links(live.harness.db.store.pool(), CHAT)
        .await
        .unwrap();
    assert_eq!(links.len(), 1, "{texts:#?}");
    live.stop().await;
}

#[tokio::test]
async fn the_webhook_takes_only_the_fixed_secret_and_health_is_reported() {
    let fake = FakeBotApi::start().await;
    let harness = Harness::new().await;
    let clock = harness.clock.clone();
    let sessions = Arc::new(MemorySessions::new(DEFAULT_TTL, clock.clone()));
    let engine = Arc::new(engine(&harness.db, clock, sessions));
    let bot = adapter::bot(TOKEN, Some(fake.url()));
    let dispatcher = serve::dispatcher(bot.clone(), Adapter::new(bot, engine, Some(key()), None));
    let token = dispatcher.shutdown_token();

    let addr: SocketAddr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap()
    };
    let (listener, stopped, router) =
        serve::webhook("https://bot.example.test", "hook-Secret_1", addr).unwrap();
    let health = serve::Health {
        store: harness.db.store.clone(),
        redis: Some(super::redis().await),
    };
    let router = router.merge(serve::health_router(health));
    let running = tokio::spawn(serve::run_webhook(
        dispatcher, listener, stopped, router, addr,
    ));
    let base = format!("http://{addr}");
    let url = format!("{base}{}", serve::WEBHOOK_PATH);
    let mut up = false;
    for _ in 0..50 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server listens");
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.status().as_u16(), 200);

    let update = updates::with_id(updates::text(CHAT, 1, "/start"), 700);
    assert_eq!(
        deliver_to_webhook(&url, None, &update).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        deliver_to_webhook(&url, Some("wrong"), &update).await,
        StatusCode::UNAUTHORIZED
    );
    assert!(fake.calls_to("sendMessage").is_empty());
    assert_eq!(
        deliver_to_webhook(&url, Some("hook-Secret_1"), &update).await,
        StatusCode::OK
    );
    let sent = fake
        .wait_for("sendMessage", 2, Duration::from_secs(10))
        .await;
    assert!(sent[0].str("text").unwrap().starts_with("Здравствуйте!"));
    assert!(
        fake.webhook().is_none(),
        "serve never sets the webhook itself"
    );
    assert!(fake.calls_to("deleteWebhook").is_empty());

    loop {
        match token.shutdown() {
            Ok(done) => {
                done.await;
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("the server stops with the dispatcher")
        .unwrap()
        .unwrap();
}
