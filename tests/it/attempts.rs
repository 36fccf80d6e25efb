use chrono::{DateTime, Duration, Utc};
use kabinet::billing::AccountNumber;
use kabinet::store::attempts::AttemptLimit;
use kabinet::store::testing::TestDb;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T07:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + Duration::minutes(minute)
}

#[tokio::test]
async fn five_failures_in_fifteen_minutes_lock_the_chat_until_the_oldest_expires() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let limit = AttemptLimit::default();
    for minute in 0..4 {
        store
            .record_identification_failure(1, None, at(minute))
            .await
            .unwrap();
    }
    assert_eq!(
        store
            .identification_locked_until(1, None, at(4), limit)
            .await
            .unwrap(),
        None
    );
    store
        .record_identification_failure(1, None, at(4))
        .await
        .unwrap();
    assert_eq!(
        store
            .identification_locked_until(1, None, at(5), limit)
            .await
            .unwrap(),
        Some(at(15))
    );
    assert_eq!(
        store
            .identification_locked_until(1, None, at(15), limit)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .identification_locked_until(2, None, at(5), limit)
            .await
            .unwrap(),
        None,
        "another chat is free"
    );
}

#[tokio::test]
async fn failures_against_one_account_from_many_chats_lock_that_account() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let account = AccountNumber::parse("7701000000017").unwrap();
    for chat in 0..5 {
        store
            .record_identification_failure(100 + chat, Some(&account), at(chat))
            .await
            .unwrap();
    }
    let limit = AttemptLimit::default();
    assert_eq!(
        store
            .identification_locked_until(999, Some(&account), at(6), limit)
            .await
            .unwrap(),
        Some(at(15))
    );
    assert_eq!(
        store
            .identification_locked_until(999, None, at(6), limit)
            .await
            .unwrap(),
        None
    );
}
