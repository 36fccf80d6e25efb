//! `/metrics` counts what the adapter handled, next to the outbox depth.

use std::sync::Arc;
use std::time::Duration;

use kabinet::channels::telegram::adapter::{self, Adapter};
use kabinet::channels::telegram::serve;
use kabinet::metrics::{self, Metrics};
use kabinet::sessions::{DEFAULT_TTL, MemorySessions};
use kabinet::store::outbox::{Channel, NewMessage};
use serde_json::json;

use crate::support::fake_bot_api::{FakeBotApi, TOKEN, updates};
use crate::support::{Harness, engine};

async fn scrape(addr: std::net::SocketAddr) -> String {
    let response = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/plain"), "{kind}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_the_updates_handled_and_the_outbox_depth() {
    let fake = FakeBotApi::start().await;
    let harness = Harness::new().await;
    let store = harness.db.store.clone();
    store
        .enqueue(&NewMessage {
            channel: Channel::Sms,
            recipient: "+79161234567".into(),
            template: "password-changed".into(),
            payload: json!({ "account": "7701000000017" }),
        })
        .await
        .unwrap();
    let sessions = Arc::new(MemorySessions::new(DEFAULT_TTL, harness.clock.clone()));
    let engine = Arc::new(engine(&harness.db, harness.clock.clone(), sessions));
    let bot = adapter::bot(TOKEN, Some(fake.url()));
    let metrics = Metrics::new();
    let adapter = Adapter::new(bot.clone(), engine, None, None).with_metrics(metrics.clone());
    let mut dispatcher = serve::dispatcher(bot, adapter);
    let token = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });

    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let router = metrics::router(metrics, store);
    tokio::spawn(async move { axum::serve(tcp, router).await.unwrap() });

    let before = scrape(addr).await;
    assert!(
        before.contains("kabinet_updates_handled_total 0\n"),
        "{before}"
    );

    fake.push_update(updates::text(5151, 1, "/start"));
    fake.push_update(updates::text(5151, 2, "/menu"));
    fake.wait_for("sendMessage", 2, Duration::from_secs(20))
        .await;
    // The count follows the last reply of the turn.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut text = scrape(addr).await;
    while !text.contains("kabinet_updates_handled_total 2\n")
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
        text = scrape(addr).await;
    }
    assert!(text.contains("kabinet_updates_handled_total 2\n"), "{text}");
    assert!(
        text.contains("kabinet_update_duration_seconds_count 2\n"),
        "{text}"
    );
    assert!(
        text.contains("kabinet_update_duration_seconds_bucket{le=\"+Inf\"} 2\n"),
        "{text}"
    );
    assert!(
        text.contains("# TYPE kabinet_errors_total counter"),
        "{text}"
    );
    assert!(text.contains("kabinet_outbox_depth 1\n"), "{text}");

    loop {
        match token.shutdown() {
            Ok(done) => {
                done.await;
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    running.await.unwrap();
}
