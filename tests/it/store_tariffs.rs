use crate::store_fixtures::{day, db};
use kabinet::billing::{Category, Zone};
use kabinet::store::StoreError;
use kabinet::store::tariffs::Tariff;
use rust_decimal_macros::dec;

fn tariff(
    category: Category,
    zone: Zone,
    rate: rust_decimal::Decimal,
    from: chrono::NaiveDate,
    to: Option<chrono::NaiveDate>,
) -> Tariff {
    Tariff {
        category,
        zone,
        rate,
        valid_from: from,
        valid_to: to,
    }
}

#[tokio::test]
async fn a_month_with_a_july_change_gets_both_rates() {
    let db = db().await;
    let old = tariff(
        Category::Urban,
        Zone::Total,
        dec!(7.13),
        day(2025, 7, 1),
        Some(day(2026, 7, 1)),
    );
    let new = tariff(
        Category::Urban,
        Zone::Total,
        dec!(8.0535),
        day(2026, 7, 1),
        None,
    );
    let night = tariff(
        Category::Urban,
        Zone::Night,
        dec!(3.01),
        day(2025, 7, 1),
        None,
    );
    let rural = tariff(
        Category::Rural,
        Zone::Total,
        dec!(4.99),
        day(2025, 7, 1),
        None,
    );
    for t in [&old, &new, &night, &rural] {
        db.store.insert_tariff(t).await.unwrap();
    }
    let july = db
        .store
        .tariffs_between(Category::Urban, day(2026, 6, 15), day(2026, 7, 14))
        .await
        .unwrap();
    assert_eq!(july, vec![night.clone(), old.clone(), new.clone()]);
    let june = db
        .store
        .tariffs_between(Category::Urban, day(2026, 6, 1), day(2026, 6, 30))
        .await
        .unwrap();
    assert_eq!(june, vec![night.clone(), old.clone()]);
    let august = db
        .store
        .tariffs_between(Category::Urban, day(2026, 8, 1), day(2026, 8, 31))
        .await
        .unwrap();
    assert_eq!(august, vec![night, new]);
}

#[tokio::test]
async fn a_tariff_twice_from_the_same_day_is_a_conflict() {
    let db = db().await;
    let t = tariff(
        Category::Urban,
        Zone::Total,
        dec!(7.13),
        day(2025, 7, 1),
        None,
    );
    db.store.insert_tariff(&t).await.unwrap();
    let err = db.store.insert_tariff(&t).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
}

#[tokio::test]
async fn a_zero_rate_or_an_empty_interval_is_rejected() {
    let db = db().await;
    for t in [
        tariff(Category::Urban, Zone::Total, dec!(0), day(2025, 7, 1), None),
        tariff(
            Category::Urban,
            Zone::Total,
            dec!(5),
            day(2025, 7, 1),
            Some(day(2025, 7, 1)),
        ),
    ] {
        let err = db.store.insert_tariff(&t).await.unwrap_err();
        assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
    }
}
