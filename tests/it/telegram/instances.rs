//! Several instances of one bot: duplicates handled once, one chat's updates spread over two
//! dispatchers sharing Redis, and the webhook's secret (with `/healthz` and `/metrics` on a
//! listener of their own).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use kabinet::channels::telegram::adapter::{self, Adapter};
use kabinet::channels::telegram::intake::Intake;
use kabinet::channels::telegram::serve;
use kabinet::metrics::{self, Metrics};
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
    assert_eq!(
        texts.len(),
        1,
        "the greeting with the menu, once: {texts:#?}"
    );
    live.stop().await;
}

#[tokio::test]
async fn two_dispatchers_sharing_redis_handle_one_chat_once_and_in_order() {
    let live = Live::start(2, true).await;
    // Registration up to the email question, all at once: both dispatchers see every update.
    for (i, text) in ["/register 7701000000017", "Иванов Иван Иванович"]
        .iter()
        .enumerate()
    {
        live.fake
            .push_update(updates::text(CHAT, i as i64 + 1, text));
    }
    // The own contact, equal to the phone on file, proves the account.
    live.fake
        .push_update(updates::contact(CHAT, 3, "+79031234517", Some(CHAT)));
    live.settle().await;
    live.press(CHAT, "Пропустить").await;

    let texts = live.sent_texts(CHAT);
    let once = |prefix: &str| texts.iter().filter(|t| t.starts_with(prefix)).count();
    assert_eq!(
        once("Лицевой счёт 7701000000017. Введите фамилию"),
        1,
        "{texts:#?}"
    );
    assert_eq!(once("Подтвердите, что лицевой счёт ваш"), 1, "{texts:#?}");
    assert_eq!(once("Спасибо, подтверждено"), 1, "{texts:#?}");
    let links = chats::links(live.harness.db.store.pool(), CHAT)
        .await
        .unwrap();
    assert_eq!(links.len(), 1, "{texts:#?}");
    live.stop().await;
}

/// A webhook secret as the settings accept it (32 to 256 of `A-Za-z0-9_-`).
const SECRET: &str = "hook-Secret_1-0123456789abcdefABCDEF";

/// An intake whose bot no server answers, for the route's construction only.
async fn intake_offline() -> Intake {
    let harness = Harness::new().await;
    let clock = harness.clock.clone();
    let sessions = Arc::new(MemorySessions::new(DEFAULT_TTL, clock.clone()));
    let engine = Arc::new(engine(&harness.db, clock, sessions));
    let bot = adapter::bot(TOKEN, Some("http://127.0.0.1:9".parse().unwrap()));
    Intake::new(Adapter::new(bot, engine, None, None), super::live::quick())
}

/// Two free ports of this machine.
fn free_addrs() -> (SocketAddr, SocketAddr) {
    let a = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let b = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    (a.local_addr().unwrap(), b.local_addr().unwrap())
}

#[tokio::test]
async fn the_webhook_route_is_not_made_with_a_weak_secret() {
    for weak in ["hook-Secret_1", &SECRET[..31], &format!("{SECRET}!")] {
        let made = serve::webhook("https://bot.example.test", weak, intake_offline().await);
        assert!(
            matches!(made, Err(serve::WebhookError::WeakSecret)),
            "{weak}"
        );
    }
}

#[tokio::test]
async fn the_webhook_takes_only_its_secret_and_health_and_metrics_listen_apart() {
    let fake = FakeBotApi::start().await;
    let harness = Harness::new().await;
    let clock = harness.clock.clone();
    let sessions = Arc::new(MemorySessions::new(DEFAULT_TTL, clock.clone()));
    let engine = Arc::new(engine(&harness.db, clock, sessions));
    let bot = adapter::bot(TOKEN, Some(fake.url()));
    let intake = Intake::new(
        Adapter::new(bot.clone(), engine, Some(key()), None),
        super::live::quick(),
    );

    let (addr, metrics_addr) = free_addrs();
    let webhook = serve::webhook("https://bot.example.test", SECRET, intake.clone()).unwrap();
    let store = harness.db.store.clone();
    let health = serve::Health {
        store: store.clone(),
        redis: Some(super::redis().await),
    };
    let ops = serve::health_router(health).merge(metrics::router(Metrics::new(), store));
    let running = tokio::spawn(serve::run_webhook(
        intake.clone(),
        bot,
        webhook,
        addr,
        ops,
        metrics_addr,
    ));
    let base = format!("http://{addr}");
    let ops_base = format!("http://{metrics_addr}");
    let url = format!("{base}{}", serve::WEBHOOK_PATH);
    let mut up = false;
    for _ in 0..50 {
        if reqwest::get(format!("{ops_base}/healthz")).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the server listens");
    let status = |url: String| async move { reqwest::get(url).await.unwrap().status().as_u16() };
    assert_eq!(status(format!("{ops_base}/healthz")).await, 200);
    assert_eq!(status(format!("{ops_base}/metrics")).await, 200);
    // The webhook's listener serves the webhook only, and the other one no webhook.
    assert_eq!(status(format!("{base}/healthz")).await, 404);
    assert_eq!(status(format!("{base}/metrics")).await, 404);
    let update = updates::with_id(updates::text(CHAT, 1, "/start"), 700);
    let on_ops = format!("{ops_base}{}", serve::WEBHOOK_PATH);
    assert_eq!(
        deliver_to_webhook(&on_ops, Some(SECRET), &update).await,
        StatusCode::NOT_FOUND
    );

    let mut off_by_one = SECRET.to_owned();
    off_by_one.replace_range(SECRET.len() - 1.., "G");
    for wrong in [
        None,
        Some("wrong"),
        Some(&SECRET[..32]),
        Some(off_by_one.as_str()),
        Some(&format!("{SECRET}x")),
        Some("not allowed!"),
    ] {
        assert_eq!(
            deliver_to_webhook(&url, wrong, &update).await,
            StatusCode::UNAUTHORIZED,
            "{wrong:?}"
        );
    }
    assert!(fake.calls_to("sendMessage").is_empty());
    assert_eq!(
        deliver_to_webhook(&url, Some(SECRET), &update).await,
        StatusCode::OK
    );
    let sent = fake
        .wait_for("sendMessage", 1, Duration::from_secs(10))
        .await;
    assert!(sent[0].str("text").unwrap().starts_with("Здравствуйте!"));
    assert!(
        fake.webhook().is_none(),
        "serve never sets the webhook itself"
    );
    assert!(fake.calls_to("deleteWebhook").is_empty());

    intake.request_stop();
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("both servers stop with the intake")
        .unwrap()
        .unwrap();
    assert!(
        reqwest::get(format!("{ops_base}/healthz")).await.is_err(),
        "the metrics listener is closed"
    );
}

/// A message that arrives while the chat's earlier ones have kept it busy for seconds (Telegram
/// lets about one message a second into a chat) is told to wait, once, and then answered.
#[tokio::test]
async fn a_message_waiting_behind_a_busy_turn_is_told_to_wait_once() {
    let live = Live::start(1, false).await;
    const BUSY: i64 = 6101;
    for i in 0..8_i64 {
        let text = if i % 2 == 0 { "/lang en" } else { "/lang ru" };
        live.fake.push_update(updates::text(BUSY, i + 1, text));
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    live.fake.push_update(updates::text(BUSY, 9, "/lang en"));
    live.fake.push_update(updates::text(BUSY, 10, "/lang ru"));
    live.settle().await;
    let texts = live.sent_texts(BUSY);
    let waits = texts
        .iter()
        // In the chat's language of the moment.
        .filter(|t| {
            t.starts_with("Подождите, обрабатываю предыдущее сообщение")
                || t.starts_with("One moment, I am still working on your previous message")
        })
        .count();
    assert_eq!(waits, 1, "{texts:#?}");
    assert_eq!(
        texts.len(),
        11,
        "ten answers and the one «подождите»: {texts:#?}"
    );
    live.stop().await;
}

/// A chat marked as having blocked the bot (a notice met 403) is unmarked when it writes again.
#[tokio::test]
async fn a_chat_that_writes_again_is_no_longer_marked_blocked() {
    let live = Live::start(1, false).await;
    const BACK: i64 = 6102;
    let pool = live.harness.db.store.pool().clone();
    chats::ensure(&pool, BACK).await.unwrap();
    chats::block(&pool, BACK).await.unwrap();
    assert!(chats::is_blocked(&pool, BACK).await.unwrap());
    live.send(updates::text(BACK, 1, "/start")).await;
    assert!(!chats::is_blocked(&pool, BACK).await.unwrap());
    live.stop().await;
}
