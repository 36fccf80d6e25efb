//! Two `kabinet serve` processes behind one webhook address, as Telegram meets them: updates
//! of many chats spread over both, some delivered twice (to both), and one process killed with
//! SIGKILL in the middle of the burst and started again. Telegram's part is played here: an
//! update is delivered until an instance answers 200, the other one taking it when the first
//! refuses or is gone.
//!
//! Each chat alternates `/lang en` and `/lang ru`, so the answers show both whether every
//! update was answered once and whether in order.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Mutex;

use super::serve_cmd::{Running, database_url, free_addr, serve};
use crate::support::Harness;
use crate::support::fake_bot_api::{FakeBotApi, TOKEN, updates};

const SECRET: &str = "crash-Secret_1-0123456789abcdefABCDEF";
const CHATS: i64 = 12;
const PER_CHAT: usize = 8;
const FIRST_CHAT: i64 = 8100;

fn said(i: usize) -> &'static str {
    if i.is_multiple_of(2) {
        "/lang en"
    } else {
        "/lang ru"
    }
}

fn answered(text: &str) -> Option<usize> {
    if text.starts_with("Language: English") {
        Some(0)
    } else if text.starts_with("Язык: русский") {
        Some(1)
    } else {
        None
    }
}

/// One instance: its process (taken away when killed) and its webhook URL.
struct Instance {
    running: Mutex<Option<Running>>,
    url: String,
    vars: Vec<(String, String)>,
}

impl Instance {
    async fn start(vars: Vec<(String, String)>) -> Instance {
        let listen = vars
            .iter()
            .find(|(k, _)| k == "LISTEN_ADDR")
            .map(|(_, v)| v.clone())
            .unwrap();
        let instance = Instance {
            running: Mutex::new(None),
            url: format!("http://{listen}/telegram/webhook"),
            vars,
        };
        instance.restart().await;
        instance
    }

    async fn restart(&self) {
        let vars: Vec<(&str, &str)> = self
            .vars
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let running = Running::start(serve(&vars));
        running.wait_for_log("listening for the webhook").await;
        *self.running.lock().await = Some(running);
    }

    /// SIGKILL: no shutdown, no release of anything.
    async fn kill(&self) {
        if let Some(running) = self.running.lock().await.take() {
            drop(running);
        }
    }
}

/// Delivers `update` as Telegram would: to `first`, and on any failure to the next instance
/// after a pause, until one answers 200.
async fn deliver(instances: &[Arc<Instance>], first: usize, update: &Value) {
    let http = reqwest::Client::new();
    for attempt in 0..200 {
        let instance = &instances[(first + attempt) % instances.len()];
        let sent = http
            .post(&instance.url)
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .json(update)
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        if matches!(&sent, Ok(r) if r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("no instance took update {update}");
}

#[tokio::test]
async fn two_instances_answer_every_update_once_and_in_order_through_a_kill() {
    let fake = FakeBotApi::start().await;
    let harness = Harness::new().await;
    let prefix = super::prefix();
    let vars = |listen: String| {
        [
            ("TELEGRAM_TOKEN", TOKEN.to_owned()),
            ("TELEGRAM_API_URL", fake.url().to_string()),
            ("DATABASE_URL", database_url(harness.db.name())),
            ("REDIS_URL", "redis://127.0.0.1:6379/".to_owned()),
            ("REDIS_PREFIX", prefix.clone()),
            ("PUBLIC_URL", "https://bot.example.test".to_owned()),
            ("TELEGRAM_WEBHOOK_SECRET", SECRET.to_owned()),
            ("TELEGRAM_LEASE_SECS", "3".to_owned()),
            ("LISTEN_ADDR", listen),
            ("METRICS_ADDR", free_addr().to_string()),
            ("LOG_FORMAT", "json".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect::<Vec<_>>()
    };
    let a = Arc::new(Instance::start(vars(free_addr().to_string())).await);
    let b = Arc::new(Instance::start(vars(free_addr().to_string())).await);
    let instances = vec![a.clone(), b.clone()];

    let delivered = Arc::new(AtomicUsize::new(0));
    let total = CHATS as usize * PER_CHAT;
    let mut senders = Vec::new();
    for c in 0..CHATS {
        let (instances, delivered) = (instances.clone(), delivered.clone());
        senders.push(tokio::spawn(async move {
            let chat = FIRST_CHAT + c;
            for i in 0..PER_CHAT {
                let update_id = chat * 100 + i as i64;
                let update =
                    updates::with_id(updates::text(chat, i as i64 + 1, said(i)), update_id);
                let first = (c as usize + i) % 2;
                deliver(&instances, first, &update).await;
                // One in three comes twice: the other instance gets it too.
                if (c as usize + i).is_multiple_of(3) {
                    deliver(&instances, 1 - first, &update).await;
                }
                delivered.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(150)).await;
            }
        }));
    }
    // Mid-burst, the first instance dies and comes back a second later.
    while delivered.load(Ordering::SeqCst) < total / 2 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    a.kill().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    a.restart().await;
    for sender in senders {
        sender.await.unwrap();
    }

    let answers = |chat: i64| -> Vec<usize> {
        fake.calls_to("sendMessage")
            .into_iter()
            .filter(|c| c.status == 200 && c.i64("chat_id") == Some(chat))
            .filter_map(|c| answered(c.str("text").unwrap_or_default()))
            .collect()
    };
    let done = || (0..CHATS).all(|c| answers(FIRST_CHAT + c).len() >= PER_CHAT);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    while !done() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Anything doubled would arrive by now.
    tokio::time::sleep(Duration::from_secs(3)).await;

    let (mut answered_once, mut doubled, mut lost) = (0, 0, 0);
    for c in 0..CHATS {
        let got = answers(FIRST_CHAT + c);
        // A repeat shows as the same language twice in a row: the alternation does not.
        let mut collapsed = got.clone();
        collapsed.dedup();
        let expected: Vec<usize> = (0..PER_CHAT).map(|i| i % 2).collect();
        assert!(
            expected.starts_with(&collapsed),
            "chat {}: answers out of order: {got:?}",
            FIRST_CHAT + c
        );
        answered_once += collapsed.len();
        doubled += got.len() - collapsed.len();
        lost += PER_CHAT - collapsed.len();
    }
    println!(
        "crash test: {total} updates sent ({} deliveries with duplicates), {answered_once} \
         answered, {doubled} doubled, {lost} lost",
        total
            + (0..CHATS as usize)
                .flat_map(|c| (0..PER_CHAT).map(move |i| c + i))
                .filter(|n| n % 3 == 0)
                .count()
    );
    assert_eq!(lost, 0, "every update is answered");
    // A reply is repeated only when an instance dies in the milliseconds between sending it
    // and recording that it was sent; the turn itself never runs twice.
    assert!(doubled <= 1, "{doubled} answers doubled");
    let status = harness.db.store.inbox_status().await.unwrap();
    assert_eq!((status.waiting, status.unsent), (0, 0));
}
