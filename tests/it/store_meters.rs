use crate::store_fixtures::{account, day, db, meter};
use kabinet::billing::{Service, TariffKind, Zone};
use kabinet::store::StoreError;
use kabinet::store::meters::NewMeter;

#[tokio::test]
async fn meters_of_an_account_come_with_their_zones() {
    let db = db().await;
    let a = account(&db.store, "7701000000024").await;
    let other = account(&db.store, "7701000000031").await;
    let two = meter(&db.store, &a, "TZ-1001", TariffKind::TwoZone).await;
    meter(&db.store, &other, "TZ-1002", TariffKind::ThreeZone).await;
    let meters = db.store.meters_of(a.id).await.unwrap();
    assert_eq!(meters, vec![two.clone()]);
    assert_eq!(meters[0].zones(), &[Zone::Day, Zone::Night]);
    assert_eq!(meters[0].service, Service::Electricity);
    assert_eq!(meters[0].digits, 5);
    assert_eq!(meters[0].installed_on, day(2020, 1, 15));
}

#[tokio::test]
async fn a_meter_is_found_by_its_exact_serial() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let m = meter(&db.store, &a, "353425345", TariffKind::Single).await;
    assert_eq!(
        db.store.meter_by_serial("353425345").await.unwrap(),
        Some(m)
    );
    assert_eq!(db.store.meter_by_serial("35342534").await.unwrap(), None);
}

#[tokio::test]
async fn a_serial_is_unique() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    meter(&db.store, &a, "353425345", TariffKind::Single).await;
    let err = db
        .store
        .insert_meter(&NewMeter {
            account_id: a.id,
            serial: "353425345".into(),
            kind: TariffKind::TwoZone,
            digits: 6,
            fraction_digits: 1,
            installed_on: day(2024, 1, 1),
            verified_until: None,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
}

#[tokio::test]
async fn a_meter_with_twelve_digits_is_rejected() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let err = db
        .store
        .insert_meter(&NewMeter {
            account_id: a.id,
            serial: "X-1".into(),
            kind: TariffKind::Single,
            digits: 12,
            fraction_digits: 0,
            installed_on: day(2024, 1, 1),
            verified_until: None,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Rejected { constraint } if constraint == "meters_digits_check"),
        "{err:?}"
    );
}
