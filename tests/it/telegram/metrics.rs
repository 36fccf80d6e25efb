//! `/metrics` counts what the adapter handled, next to the outbox depth; neither it nor
//! `/healthz` lets a flood of requests take the database pool.

use std::sync::Arc;
use std::time::Duration;

use kabinet::channels::telegram::adapter::{self, Adapter};
use kabinet::channels::telegram::serve;
use kabinet::metrics::{self, Metrics};
use kabinet::sessions::{DEFAULT_TTL, MemorySessions};
use kabinet::store::Store;
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
    let intake = kabinet::channels::telegram::intake::Intake::new(adapter, super::live::quick());
    let running = super::live::polling(&intake, bot);

    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let router = metrics::router(metrics, store.clone());
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

    // The depth is read at most once per OUTBOX_DEPTH_MAX_AGE: a new message shows later.
    store
        .enqueue(&NewMessage {
            channel: Channel::Sms,
            recipient: "+79161234568".into(),
            template: "password-changed".into(),
            payload: json!({ "account": "7701000000024" }),
        })
        .await
        .unwrap();
    let cached = scrape(addr).await;
    assert!(cached.contains("kabinet_outbox_depth 1\n"), "{cached}");

    intake.request_stop();
    running.await.unwrap();
    intake.shutdown(Duration::from_secs(10)).await;
}

#[tokio::test]
async fn a_flood_of_scrapes_and_health_checks_takes_at_most_one_connection_each() {
    let harness = Harness::new().await;
    // A pool of its own, so that what the flood opens can be counted.
    let store = Store::connect_with(harness.db.options()).await.unwrap();
    let health = serve::Health {
        store: store.clone(),
        redis: None,
    };
    let router = serve::health_router(health).merge(metrics::router(Metrics::new(), store.clone()));
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(tcp, router).await.unwrap() });

    let client = reqwest::Client::new();
    let requests = (0..200).map(|i| {
        let path = if i % 2 == 0 { "metrics" } else { "healthz" };
        let request = client.get(format!("http://{addr}/{path}")).send();
        async move { request.await.unwrap().status().as_u16() }
    });
    let statuses = futures::future::join_all(requests).await;
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    assert!(
        store.pool().size() <= 2,
        "the pool grew to {} connections",
        store.pool().size()
    );
}
