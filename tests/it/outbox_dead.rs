//! The outbox when a message cannot get through: the attempt cap, dead letters, the chat that
//! asked for a password told to recover access, and no password "delivered" into a log.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use chrono::{Duration, Utc};
use kabinet::clock::{Clock, ManualClock};
use kabinet::i18n::I18n;
use kabinet::outbox::{
    LogSender, Outgoing, Pass, SendError, Sender, Senders, Worker, WorkerSettings,
};
use kabinet::store::Store;
use kabinet::store::outbox::{Channel, NewMessage};
use kabinet::store::testing::TestDb;
use serde_json::{Value, json};

/// An SMS gateway that is down: every send fails, and it counts them.
#[derive(Default)]
struct Down {
    tries: AtomicUsize,
}

#[async_trait]
impl Sender for Down {
    async fn send(&self, _: &Outgoing) -> Result<(), SendError> {
        self.tries.fetch_add(1, Ordering::SeqCst);
        Err(SendError::Status(503))
    }
}

/// Chat notices recorded, for the chat the notice goes to.
#[derive(Default)]
struct Chats {
    texts: std::sync::Mutex<Vec<(String, String)>>,
}

#[async_trait]
impl Sender for Chats {
    async fn send(&self, message: &Outgoing) -> Result<(), SendError> {
        let mut texts = self.texts.lock().unwrap();
        texts.push((message.recipient.clone(), message.text.clone()));
        Ok(())
    }
}

fn credentials(chat: i64, lang: &str) -> NewMessage {
    NewMessage {
        channel: Channel::Sms,
        recipient: "+79161234567".into(),
        template: "web_credentials".into(),
        payload: json!({ "login": "7701000000017", "password": "Zx9-secret-Qw",
                         "chat": chat, "lang": lang }),
    }
}

fn worker(
    store: &Store,
    sms: Arc<dyn Sender>,
    chats: Arc<Chats>,
    clock: Arc<ManualClock>,
) -> Worker {
    Worker::new(
        store.clone(),
        Arc::new(I18n::new().unwrap()),
        Senders {
            sms,
            email: Arc::new(LogSender),
            telegram: chats,
        },
        clock,
    )
    .with_settings(WorkerSettings {
        max_attempts: 3,
        ..WorkerSettings::default()
    })
}

async fn payload(store: &Store, id: i64) -> Value {
    let text: String = sqlx::query_scalar("SELECT payload::text FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn a_message_failing_n_times_is_dead_lettered_and_the_chat_told_to_recover() {
    let db = TestDb::new().await.unwrap();
    let id = db.store.enqueue(&credentials(4242, "en")).await.unwrap();
    let down = Arc::new(Down::default());
    let chats = Arc::new(Chats::default());
    let clock = Arc::new(ManualClock::new(Utc::now() + Duration::seconds(1)));
    let w = worker(&db.store, down.clone(), chats.clone(), clock.clone());

    for attempt in 1..=3 {
        let pass = w.run_once().await.unwrap();
        if attempt < 3 {
            assert_eq!(pass.failed, 1, "attempt {attempt}: {pass:?}");
            assert_eq!(payload(&db.store, id).await["password"], "Zx9-secret-Qw");
        } else {
            // The third failure buries it; the notice it queued goes out in the same pass.
            assert_eq!((pass.dead, pass.delivered), (1, 1), "{pass:?}");
        }
        clock.advance(Duration::hours(7));
    }
    assert_eq!(down.tries.load(Ordering::SeqCst), 3);
    assert_eq!(
        w.run_once().await.unwrap(),
        Pass::default(),
        "never tried again"
    );
    assert_eq!(
        payload(&db.store, id).await,
        json!({}),
        "the password is erased"
    );

    let told = chats.texts.lock().unwrap().clone();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].0, "4242");
    assert!(told[0].1.contains("7701000000017"), "{}", told[0].1);
    assert!(told[0].1.contains("/recover"), "{}", told[0].1);
    assert!(
        told[0]
            .1
            .starts_with("We could not deliver the text message"),
        "{}",
        told[0].1
    );

    let status = db.store.outbox_status(clock.now()).await.unwrap();
    assert_eq!((status.depth, status.dead), (0, 1));
}

#[tokio::test]
async fn without_an_sms_gateway_a_password_is_never_logged_as_delivered() {
    let db = TestDb::new().await.unwrap();
    let id = db.store.enqueue(&credentials(77, "ru")).await.unwrap();
    let chats = Arc::new(Chats::default());
    let clock = Arc::new(ManualClock::new(Utc::now() + Duration::seconds(1)));
    let w = worker(&db.store, Arc::new(LogSender), chats.clone(), clock);

    let pass = w.run_once().await.unwrap();
    assert_eq!(
        (pass.dead, pass.delivered, pass.failed),
        (1, 1, 0),
        "{pass:?}"
    );
    let delivered: Option<chrono::DateTime<Utc>> =
        sqlx::query_scalar("SELECT delivered_at FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(db.store.pool())
            .await
            .unwrap();
    assert_eq!(delivered, None, "dead, not delivered");
    assert_eq!(payload(&db.store, id).await, json!({}));
    let told = chats.texts.lock().unwrap().clone();
    assert_eq!(told.len(), 1);
    assert!(
        told[0].1.starts_with("Не удалось доставить SMS"),
        "{}",
        told[0].1
    );
    let dead = db.store.dead_letters(5).await.unwrap();
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("no sms transport"),
        "{dead:?}"
    );
}
