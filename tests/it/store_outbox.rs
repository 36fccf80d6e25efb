use crate::store_fixtures::db;
use chrono::{DateTime, Duration, TimeZone, Utc};
use kabinet::store::StoreError;
use kabinet::store::outbox::{AfterFailure, Channel, NewMessage, backoff};
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
}

#[tokio::test]
async fn a_failed_message_waits_longer_after_each_failure() {
    let db = db().await;
    db.store.enqueue(&sms("x")).await.unwrap();
    let t = Utc::now() + Duration::minutes(1);
    let lease = Duration::minutes(2);
    let claimed = db.store.fetch_due(t, 1, lease).await.unwrap().remove(0);
    let first = db
        .store
        .mark_claim_failed(&claimed, t, "smsc: timeout", 10, false, &[])
        .await
        .unwrap();
    assert_eq!(first, AfterFailure::Retry(t + Duration::minutes(1)));
    let t2 = t + Duration::minutes(1);
    let claimed = db.store.fetch_due(t2, 1, lease).await.unwrap().remove(0);
    assert_eq!(claimed.attempts, 1);
    let second = db
        .store
        .mark_claim_failed(&claimed, t2, "smsc: timeout", 10, false, &[])
        .await
        .unwrap();
    assert_eq!(second, AfterFailure::Retry(t2 + Duration::minutes(2)));
    assert!(
        db.store
            .fetch_due(t2 + Duration::seconds(90), 10, lease)
            .await
            .unwrap()
            .is_empty()
    );
    let due = db
        .store
        .fetch_due(t2 + Duration::minutes(2), 10, lease)
        .await
        .unwrap();
    assert_eq!(due[0].attempts, 2);
}

#[tokio::test]
async fn a_mark_of_a_claim_that_passed_to_another_worker_changes_nothing() {
    let db = db().await;
    let id = db.store.enqueue(&sms("x")).await.unwrap();
    let t = Utc::now() + Duration::minutes(1);
    let lease = Duration::minutes(2);
    let slow = db.store.fetch_due(t, 1, lease).await.unwrap().remove(0);
    // The slow worker's lease runs out; another takes the message over.
    let fast = db
        .store
        .fetch_due(t + lease, 1, lease)
        .await
        .unwrap()
        .remove(0);
    assert_eq!((slow.id, fast.id), (id, id));
    assert_ne!(slow.claim, fast.claim);
    assert!(
        !db.store
            .mark_claim_delivered(&slow, t, false)
            .await
            .unwrap()
    );
    assert_eq!(
        db.store
            .mark_claim_failed(&slow, t, "late", 10, false, &[])
            .await
            .unwrap(),
        AfterFailure::ClaimLost
    );
    assert!(
        !db.store
            .bury_claim(&slow, t, "late", true, &[])
            .await
            .unwrap()
    );
    // The current holder's marks count, once.
    assert!(
        db.store
            .mark_claim_delivered(&fast, t, false)
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .mark_claim_delivered(&fast, t, false)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn at_the_attempt_cap_a_message_is_dead_lettered_with_its_secret_erased() {
    let db = db().await;
    let id = db.store.enqueue(&sms("x")).await.unwrap();
    let notice = NewMessage {
        channel: Channel::Telegram,
        recipient: "4242".into(),
        template: "credentials-undelivered".into(),
        payload: json!({ "account": "7701000000017", "channel": "sms" }),
    };
    let mut t = Utc::now() + Duration::minutes(1);
    let lease = Duration::minutes(2);
    for attempt in 1..=3 {
        let claimed = db.store.fetch_due(t, 1, lease).await.unwrap().remove(0);
        let after = db
            .store
            .mark_claim_failed(
                &claimed,
                t,
                "smsc: 400",
                3,
                true,
                std::slice::from_ref(&notice),
            )
            .await
            .unwrap();
        if attempt < 3 {
            assert!(matches!(after, AfterFailure::Retry(_)), "{after:?}");
        } else {
            assert_eq!(after, AfterFailure::Dead);
        }
        t += Duration::hours(7);
    }
    let status = db.store.outbox_status(t).await.unwrap();
    assert_eq!((status.dead, status.depth), (1, 1), "the notice waits");
    let dead = db.store.dead_letters(10).await.unwrap();
    assert_eq!(dead[0].id, id);
    assert_eq!(dead[0].attempts, 3);
    assert_eq!(dead[0].last_error.as_deref(), Some("smsc: 400"));
    let payload: String = sqlx::query_scalar("SELECT payload::text FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(payload, "{}");
    // Only the notice is handed out: the dead letter never again.
    let queued = db.store.fetch_due(t, 10, lease).await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].template, "credentials-undelivered");
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
