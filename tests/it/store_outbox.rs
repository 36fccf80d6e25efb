use crate::store_fixtures::db;
use chrono::{DateTime, Duration, TimeZone, Utc};
use kabinet::store::StoreError;
use kabinet::store::outbox::{Channel, NewMessage, backoff};
use serde_json::json;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 20, 9, 0, 0).unwrap()
}

fn sms(text: &str) -> NewMessage {
    NewMessage {
        channel: Channel::Sms,
        recipient: "+79161234567".into(),
        template: "registration-password".into(),
        payload: json!({ "login": "7701000000017", "text": text }),
    }
}

#[tokio::test]
async fn a_queued_message_is_handed_out_once_while_leased() {
    let db = db().await;
    let id = db.store.enqueue(&sms("one")).await.unwrap();
    // The default next_attempt_at is the database's now(); look from a minute later.
    let t = Utc::now() + Duration::minutes(1);
    let lease = Duration::minutes(5);
    let first = db.store.fetch_due(t, 10, lease).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].id, id);
    assert_eq!(first[0].channel, Channel::Sms);
    assert_eq!(first[0].payload["text"], "one");
    assert_eq!(first[0].attempts, 0);
    assert!(
        db.store.fetch_due(t, 10, lease).await.unwrap().is_empty(),
        "leased"
    );
    let after_lease = db.store.fetch_due(t + lease, 10, lease).await.unwrap();
    assert_eq!(
        after_lease.len(),
        1,
        "a worker that died does not lose the message"
    );
}

#[tokio::test]
async fn fetch_due_honours_the_limit_oldest_first() {
    let db = db().await;
    let ids = [
        db.store.enqueue(&sms("a")).await.unwrap(),
        db.store.enqueue(&sms("b")).await.unwrap(),
        db.store.enqueue(&sms("c")).await.unwrap(),
    ];
    let t = Utc::now() + Duration::minutes(1);
    let got: Vec<i64> = db
        .store
        .fetch_due(t, 2, Duration::minutes(5))
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(got, ids[..2]);
}

#[tokio::test]
async fn a_delivered_message_is_never_handed_out_again() {
    let db = db().await;
    let id = db.store.enqueue(&sms("x")).await.unwrap();
    db.store.mark_delivered(id, now()).await.unwrap();
    let much_later = Utc::now() + Duration::days(30);
    assert!(
        db.store
            .fetch_due(much_later, 10, Duration::minutes(5))
            .await
            .unwrap()
            .is_empty()
    );
    let err = db
        .store
        .mark_failed(id, now(), "late failure")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn a_failed_message_waits_longer_after_each_failure() {
    let db = db().await;
    let id = db.store.enqueue(&sms("x")).await.unwrap();
    let t = Utc::now();
    let first = db.store.mark_failed(id, t, "smsc: timeout").await.unwrap();
    assert_eq!(first, t + Duration::minutes(1));
    let second = db.store.mark_failed(id, t, "smsc: timeout").await.unwrap();
    assert_eq!(second, t + Duration::minutes(2));
    assert!(
        db.store
            .fetch_due(t + Duration::seconds(90), 10, Duration::minutes(5))
            .await
            .unwrap()
            .is_empty()
    );
    let due = db
        .store
        .fetch_due(second, 10, Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(due[0].attempts, 2);
}

#[test]
fn backoff_doubles_from_a_minute_up_to_six_hours() {
    assert_eq!(backoff(1), Duration::minutes(1));
    assert_eq!(backoff(4), Duration::minutes(8));
    assert_eq!(backoff(10), Duration::hours(6));
    assert_eq!(backoff(1000), Duration::hours(6));
}

#[tokio::test]
async fn an_unknown_channel_or_empty_recipient_is_rejected() {
    let db = db().await;
    let err = db
        .store
        .enqueue(&NewMessage {
            recipient: String::new(),
            ..sms("x")
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
}
