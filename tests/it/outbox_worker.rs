//! The outbox worker: rendering, delivery at least once, backoff, leases, senders.

use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use async_trait::async_trait;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Duration, Utc};
use kabinet::channels::telegram::adapter;
use kabinet::clock::{Clock, ManualClock};
use kabinet::config::Secret;
use kabinet::i18n::I18n;
use kabinet::outbox::{
    HttpSmsSender, Outgoing, Pass, SendError, Sender, Senders, TelegramSender, Worker,
};
use kabinet::store::Store;
use kabinet::store::outbox::{Channel, NewMessage};
use kabinet::store::testing::TestDb;
use serde_json::{Value, json};

use crate::support::fake_bot_api::{FakeBotApi, TOKEN};

/// Records what it is given; fails while `failing` is set.
#[derive(Default)]
struct Recorder {
    sent: Mutex<Vec<Outgoing>>,
    failing: std::sync::atomic::AtomicBool,
    delay: Option<StdDuration>,
}

impl Recorder {
    fn sent(&self) -> Vec<Outgoing> {
        self.sent.lock().unwrap().clone()
    }
}

#[async_trait]
impl Sender for Recorder {
    async fn send(&self, message: &Outgoing) -> Result<(), SendError> {
        if let Some(delay) = self.delay {
            tokio::time::sleep(delay).await;
        }
        if self.failing.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(SendError::Status(503));
        }
        self.sent.lock().unwrap().push(message.clone());
        Ok(())
    }
}

fn all_to(sender: Arc<dyn Sender>) -> Senders {
    Senders {
        sms: sender.clone(),
        email: sender.clone(),
        telegram: sender,
    }
}

/// A clock a little ahead of the database's `now()`, so messages queued now are due.
fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(Utc::now() + Duration::seconds(1)))
}

fn worker(store: &Store, senders: Senders, clock: Arc<ManualClock>) -> Worker {
    Worker::new(
        store.clone(),
        Arc::new(I18n::new().unwrap()),
        senders,
        clock,
    )
}

fn temporary_password(phone: &str) -> NewMessage {
    NewMessage {
        channel: Channel::Sms,
        recipient: phone.into(),
        template: "temporary_password".into(),
        payload: json!({ "login": "7701000000017", "password": "Zx9-secret-Qw" }),
    }
}

struct Row {
    delivered_at: Option<DateTime<Utc>>,
    next_attempt_at: DateTime<Utc>,
    attempts: i32,
    payload: Value,
}

async fn row(store: &Store, id: i64) -> Row {
    let (delivered_at, next_attempt_at, attempts, payload): (_, _, _, String) = sqlx::query_as(
        "SELECT delivered_at, next_attempt_at, attempts, payload::text FROM outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_one(store.pool())
    .await
    .unwrap();
    Row {
        delivered_at,
        next_attempt_at,
        attempts,
        payload: serde_json::from_str(&payload).unwrap(),
    }
}

#[tokio::test]
async fn a_due_message_is_delivered_once_and_marked() {
    let db = TestDb::new().await.unwrap();
    let id = db
        .store
        .enqueue(&temporary_password("+79161234567"))
        .await
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    let clock = clock();
    let w = worker(&db.store, all_to(recorder.clone()), clock.clone());

    let pass = w.run_once().await.unwrap();
    assert_eq!(
        pass,
        Pass {
            delivered: 1,
            ..Pass::default()
        }
    );
    // Long after any lease: a delivered message is never handed out again.
    clock.advance(Duration::hours(12));
    assert_eq!(w.run_once().await.unwrap(), Pass::default());

    let sent = recorder.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].recipient, "+79161234567");
    assert_eq!(sent[0].channel, Channel::Sms);
    assert!(
        sent[0].text.starts_with("Временный пароль"),
        "{}",
        sent[0].text
    );
    assert!(sent[0].text.contains("Zx9-secret-Qw"));
    assert!(row(&db.store, id).await.delivered_at.is_some());
}

#[tokio::test]
async fn the_payload_secret_is_erased_after_delivery_but_kept_while_pending() {
    let db = TestDb::new().await.unwrap();
    let secret = db
        .store
        .enqueue(&temporary_password("+79161234567"))
        .await
        .unwrap();
    let notice = db
        .store
        .enqueue(&NewMessage {
            channel: Channel::Email,
            recipient: "a@example.com".into(),
            template: "password-changed".into(),
            payload: json!({ "account": "7701000000017" }),
        })
        .await
        .unwrap();
    assert_eq!(
        row(&db.store, secret).await.payload["password"],
        "Zx9-secret-Qw"
    );
    let recorder = Arc::new(Recorder::default());
    let w = worker(&db.store, all_to(recorder.clone()), clock());
    assert_eq!(w.run_once().await.unwrap().delivered, 2);

    assert_eq!(row(&db.store, secret).await.payload, json!({}));
    // A notice without secrets keeps its payload for the record.
    assert_eq!(
        row(&db.store, notice).await.payload,
        json!({ "account": "7701000000017" })
    );
}

#[tokio::test]
async fn a_failing_sender_leaves_the_message_pending_for_later() {
    let db = TestDb::new().await.unwrap();
    let id = db
        .store
        .enqueue(&temporary_password("+79161234567"))
        .await
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    recorder
        .failing
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let clock = clock();
    let w = worker(&db.store, all_to(recorder.clone()), clock.clone());

    assert_eq!(
        w.run_once().await.unwrap(),
        Pass {
            failed: 1,
            ..Pass::default()
        }
    );
    let after = row(&db.store, id).await;
    assert!(after.delivered_at.is_none());
    assert_eq!(after.attempts, 1);
    // The database keeps microseconds; the backoff is one minute.
    assert!(after.next_attempt_at >= clock.now() + Duration::seconds(59));
    assert_eq!(after.payload["password"], "Zx9-secret-Qw", "still needed");
    // Not retried before the backoff ends; delivered once it has and the sender recovers.
    assert_eq!(w.run_once().await.unwrap(), Pass::default());
    recorder
        .failing
        .store(false, std::sync::atomic::Ordering::SeqCst);
    clock.advance(Duration::minutes(2));
    assert_eq!(w.run_once().await.unwrap().delivered, 1);
    assert_eq!(recorder.sent().len(), 1);
}

#[tokio::test]
async fn an_unknown_template_fails_without_sending() {
    let db = TestDb::new().await.unwrap();
    let mut message = temporary_password("+79161234567");
    message.template = "no-such-template".into();
    let id = db.store.enqueue(&message).await.unwrap();
    let recorder = Arc::new(Recorder::default());
    let w = worker(&db.store, all_to(recorder.clone()), clock());
    assert_eq!(w.run_once().await.unwrap().failed, 1);
    assert!(recorder.sent().is_empty());
    assert_eq!(row(&db.store, id).await.attempts, 1);
}

#[tokio::test]
async fn the_message_language_comes_from_its_payload() {
    let db = TestDb::new().await.unwrap();
    db.store
        .enqueue(&NewMessage {
            channel: Channel::Email,
            recipient: "new@example.com".into(),
            template: "email-confirmation".into(),
            payload: json!({ "code": "482913", "account": "7701000000017", "lang": "en" }),
        })
        .await
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    worker(&db.store, all_to(recorder.clone()), clock())
        .run_once()
        .await
        .unwrap();
    let text = &recorder.sent()[0].text;
    assert!(text.starts_with("Email confirmation code"), "{text}");
    assert!(text.contains("482913") && text.contains("7701000000017"));
}

#[tokio::test]
async fn two_workers_at_once_deliver_each_message_once() {
    let db = TestDb::new().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..30 {
        let phone = format!("+7916123{i:04}");
        ids.push(db.store.enqueue(&temporary_password(&phone)).await.unwrap());
    }
    let recorder = Arc::new(Recorder {
        delay: Some(StdDuration::from_millis(5)),
        ..Recorder::default()
    });
    let clock = clock();
    let settings = kabinet::outbox::WorkerSettings {
        batch: 4,
        ..Default::default()
    };
    let a = worker(&db.store, all_to(recorder.clone()), clock.clone()).with_settings(settings);
    let b = worker(&db.store, all_to(recorder.clone()), clock.clone()).with_settings(settings);
    let drain = |w: Worker| async move {
        let mut total = 0;
        loop {
            let pass = w.run_once().await.unwrap();
            if pass == Pass::default() {
                return total;
            }
            total += pass.delivered;
        }
    };
    let (by_a, by_b) = tokio::join!(drain(a), drain(b));
    assert_eq!(by_a + by_b, 30);
    assert!(by_a > 0 && by_b > 0, "both worked: {by_a} + {by_b}");
    let mut sent: Vec<i64> = recorder.sent().iter().map(|m| m.id).collect();
    sent.sort();
    assert_eq!(sent, ids);
}

/// What the gateway received: the Authorization header and the JSON body.
type Received = Vec<(Option<String>, Value)>;

#[derive(Clone, Default)]
struct Gateway {
    received: Arc<Mutex<Received>>,
}

async fn gateway_post(
    State(gateway): State<Gateway>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> StatusCode {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    gateway.received.lock().unwrap().push((auth, body));
    StatusCode::ACCEPTED
}

#[tokio::test]
async fn the_http_sms_sender_posts_the_text_with_the_bearer_token() {
    let gateway = Gateway::default();
    let app = axum::Router::new()
        .route("/send", axum::routing::post(gateway_post))
        .route(
            "/down",
            axum::routing::post(|| async { StatusCode::BAD_GATEWAY }),
        )
        .with_state(gateway.clone());
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(tcp, app).await.unwrap() });

    let db = TestDb::new().await.unwrap();
    db.store
        .enqueue(&temporary_password("+79161234567"))
        .await
        .unwrap();
    let url = format!("http://{addr}/send").parse().unwrap();
    let sms = HttpSmsSender::new(url, Secret::new("gw-token-1")).unwrap();
    let senders = Senders {
        sms: Arc::new(sms),
        ..Senders::default()
    };
    let pass = worker(&db.store, senders, clock())
        .run_once()
        .await
        .unwrap();
    assert_eq!(pass.delivered, 1);

    let received = gateway.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (auth, body) = &received[0];
    assert_eq!(auth.as_deref(), Some("Bearer gw-token-1"));
    assert_eq!(body["to"], "+79161234567");
    let text = body["text"].as_str().unwrap();
    assert!(text.contains("7701000000017: Zx9-secret-Qw"), "{text}");

    let down = HttpSmsSender::new(
        format!("http://{addr}/down").parse().unwrap(),
        Secret::new("t"),
    )
    .unwrap();
    let outgoing = Outgoing {
        id: 1,
        channel: Channel::Sms,
        recipient: "+79161234567".into(),
        template: "t".into(),
        subject: "s".into(),
        text: "x".into(),
        buttons: Vec::new(),
    };
    assert!(matches!(
        down.send(&outgoing).await,
        Err(SendError::Status(502))
    ));
}

#[tokio::test]
async fn a_chat_message_goes_through_the_bot() {
    let fake = FakeBotApi::start().await;
    let db = TestDb::new().await.unwrap();
    db.store
        .enqueue(&NewMessage {
            channel: Channel::Telegram,
            recipient: "4242".into(),
            template: "password-changed".into(),
            payload: json!({ "account": "7701000000017" }),
        })
        .await
        .unwrap();
    let bot = adapter::bot(TOKEN, Some(fake.url()));
    let senders = Senders {
        telegram: Arc::new(TelegramSender::new(bot)),
        ..Senders::default()
    };
    let pass = worker(&db.store, senders, clock())
        .run_once()
        .await
        .unwrap();
    assert_eq!(pass.delivered, 1);
    let call = &fake.calls_to("sendMessage")[0];
    assert_eq!(call.i64("chat_id"), Some(4242));
    assert!(call.str("text").unwrap().contains("7701000000017"));
}

#[tokio::test]
async fn a_spawned_worker_delivers_and_stops_when_asked() {
    let db = TestDb::new().await.unwrap();
    let recorder = Arc::new(Recorder::default());
    let settings = kabinet::outbox::WorkerSettings {
        idle: StdDuration::from_millis(20),
        ..Default::default()
    };
    let handle = Worker::new(
        db.store.clone(),
        Arc::new(I18n::new().unwrap()),
        all_to(recorder.clone()),
        Arc::new(kabinet::clock::SystemClock),
    )
    .with_settings(settings)
    .spawn();
    db.store
        .enqueue(&temporary_password("+79161234567"))
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(10);
    while recorder.sent().is_empty() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
    tokio::time::timeout(StdDuration::from_secs(5), handle.stop())
        .await
        .expect("stops promptly");
    assert_eq!(recorder.sent().len(), 1);
}
