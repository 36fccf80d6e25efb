use crate::store_fixtures::{day, db};
use kabinet::store::StoreError;
use kabinet::store::key_rates::KeyRate;
use rust_decimal_macros::dec;

#[tokio::test]
async fn key_rates_come_back_oldest_first() {
    let db = db().await;
    let later = KeyRate {
        valid_from: day(2025, 10, 27),
        rate: dec!(16.5),
    };
    let earlier = KeyRate {
        valid_from: day(2022, 9, 19),
        rate: dec!(7.5),
    };
    db.store.insert_key_rate(&later).await.unwrap();
    db.store.insert_key_rate(&earlier).await.unwrap();
    assert_eq!(db.store.key_rates().await.unwrap(), vec![earlier, later]);
}

#[tokio::test]
async fn a_second_rate_for_the_same_day_is_a_conflict() {
    let db = db().await;
    let rate = KeyRate {
        valid_from: day(2025, 10, 27),
        rate: dec!(16.5),
    };
    db.store.insert_key_rate(&rate).await.unwrap();
    let err = db.store.insert_key_rate(&rate).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
}

#[tokio::test]
async fn a_rate_of_zero_or_a_hundred_percent_is_rejected() {
    let db = db().await;
    for rate in [dec!(0), dec!(100)] {
        let err = db
            .store
            .insert_key_rate(&KeyRate {
                valid_from: day(2025, 1, 1),
                rate,
            })
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
    }
}
