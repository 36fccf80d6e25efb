//! Rate limits counted atomically in Postgres (`store::limits`).

use chrono::{DateTime, Duration, Utc};
use kabinet::store::limits::{Counter, Kind, Reserved, Scope};
use kabinet::store::testing::TestDb;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T07:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + Duration::minutes(minute)
}

fn chat(id: i64) -> Counter {
    Counter::new(Scope::Chat, id.to_string(), 5, Duration::minutes(15))
}

#[tokio::test]
async fn five_attempts_in_fifteen_minutes_lock_until_the_oldest_expires() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    for minute in 0..5 {
        let reserved = store
            .reserve(Kind::Ident, &[chat(1)], at(minute))
            .await
            .unwrap();
        assert!(matches!(reserved, Reserved::Granted(_)), "attempt {minute}");
    }
    assert_eq!(
        store.reserve(Kind::Ident, &[chat(1)], at(5)).await.unwrap(),
        Reserved::Limited { until: at(15) }
    );
    // A refused attempt is not counted: the lock lifts when the oldest one leaves the window.
    assert_eq!(
        store
            .limited_until(Kind::Ident, &[chat(1)], at(15))
            .await
            .unwrap(),
        None
    );
    // Another chat, another kind: counted apart.
    assert_eq!(
        store
            .limited_until(Kind::Ident, &[chat(2)], at(5))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .limited_until(Kind::Code, &[chat(1)], at(5))
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_successful_attempt_gives_its_places_back() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    for minute in 0..10 {
        let Reserved::Granted(ids) = store
            .reserve(Kind::Ident, &[chat(1)], at(minute))
            .await
            .unwrap()
        else {
            panic!("attempt {minute} refused although every earlier one succeeded");
        };
        store.release(&ids).await.unwrap();
    }
}

#[tokio::test]
async fn twenty_parallel_attempts_get_exactly_the_allowed_number() {
    let db = TestDb::new().await.unwrap();
    let account = Counter::new(Scope::Account, "7701000000062", 5, Duration::minutes(15));
    let tries = (0..20).map(|i| {
        let store = db.store.clone();
        let counters = vec![chat(100 + i), account.clone()];
        tokio::spawn(async move { store.reserve(Kind::Ident, &counters, at(0)).await.unwrap() })
    });
    let results = futures::future::join_all(tries).await;
    let granted = results
        .into_iter()
        .filter(|r| matches!(r.as_ref().unwrap(), Reserved::Granted(_)))
        .count();
    assert_eq!(granted, 5);
}

#[tokio::test]
async fn attempts_and_delivered_messages_are_purged_after_the_retention_period() {
    use kabinet::store::outbox::{Channel, NewMessage};
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let now = at(0);
    let old = now - Duration::days(91);
    store.reserve(Kind::Ident, &[chat(1)], old).await.unwrap();
    store.reserve(Kind::Ident, &[chat(2)], now).await.unwrap();
    let message = |to: &str| NewMessage {
        channel: Channel::Sms,
        recipient: to.into(),
        template: "password-changed".into(),
        payload: serde_json::json!({"account": "7701000000017"}),
    };
    let delivered_long_ago = store.enqueue(&message("+79990000001")).await.unwrap();
    store.mark_delivered(delivered_long_ago, old).await.unwrap();
    let delivered_today = store.enqueue(&message("+79990000002")).await.unwrap();
    store.mark_delivered(delivered_today, now).await.unwrap();
    let pending = store.enqueue(&message("+79990000003")).await.unwrap();

    let purged = store.purge(now, Duration::days(90)).await.unwrap();
    assert_eq!((purged.attempts, purged.outbox), (1, 1));
    let left: Vec<i64> = sqlx::query_scalar("SELECT id FROM outbox ORDER BY id")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(left, vec![delivered_today, pending]);
    assert_eq!(
        store
            .limited_until(
                Kind::Ident,
                &[Counter::new(Scope::Chat, "2", 1, Duration::minutes(15))],
                now
            )
            .await
            .unwrap(),
        Some(now + Duration::minutes(15)),
        "a recent attempt stays counted"
    );
}
