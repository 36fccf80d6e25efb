use crate::store_fixtures::{account, day, db, meter};
use kabinet::billing::{Period, ReadingSource, TariffKind, Zone};
use kabinet::store::StoreError;
use kabinet::store::meters::MeterId;
use rust_decimal_macros::dec;

fn march() -> Period {
    Period::new(2026, 3).unwrap()
}

#[tokio::test]
async fn a_reading_reads_back_with_its_period() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let m = meter(&db.store, &a, "353425345", TariffKind::Single).await;
    db.store
        .record_readings(
            m.id,
            day(2026, 3, 27),
            march().next(),
            ReadingSource::Chat,
            &[(Zone::Total, dec!(5910))],
        )
        .await
        .unwrap();
    let readings = db
        .store
        .readings_between(m.id, day(2026, 3, 1), day(2026, 3, 31))
        .await
        .unwrap();
    assert_eq!(readings.len(), 1);
    let r = &readings[0];
    assert_eq!(
        (r.zone, r.value, r.taken_on),
        (Zone::Total, dec!(5910), day(2026, 3, 27))
    );
    assert_eq!(
        r.period,
        Period::new(2026, 4).unwrap(),
        "outside the window it counts for April"
    );
    assert_eq!(r.source, ReadingSource::Chat);
}

#[tokio::test]
async fn a_second_reading_on_the_same_day_replaces_the_first() {
    let db = db().await;
    let a = account(&db.store, "7701000000024").await;
    let m = meter(&db.store, &a, "TZ-1", TariffKind::TwoZone).await;
    let on = day(2026, 3, 20);
    db.store
        .record_readings(
            m.id,
            on,
            march(),
            ReadingSource::Chat,
            &[(Zone::Day, dec!(1200)), (Zone::Night, dec!(400))],
        )
        .await
        .unwrap();
    db.store
        .record_readings(
            m.id,
            on,
            march(),
            ReadingSource::Web,
            &[(Zone::Day, dec!(1210)), (Zone::Night, dec!(405))],
        )
        .await
        .unwrap();
    let readings = db.store.readings_between(m.id, on, on).await.unwrap();
    let values: Vec<_> = readings
        .iter()
        .map(|r| (r.zone, r.value, r.source))
        .collect();
    assert_eq!(
        values,
        vec![
            (Zone::Day, dec!(1210), ReadingSource::Web),
            (Zone::Night, dec!(405), ReadingSource::Web)
        ]
    );
}

#[tokio::test]
async fn a_negative_reading_is_rejected_and_no_zone_is_written() {
    let db = db().await;
    let a = account(&db.store, "7701000000024").await;
    let m = meter(&db.store, &a, "TZ-1", TariffKind::TwoZone).await;
    let on = day(2026, 3, 20);
    let err = db
        .store
        .record_readings(
            m.id,
            on,
            march(),
            ReadingSource::Chat,
            &[(Zone::Day, dec!(1200)), (Zone::Night, dec!(-1))],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Rejected { constraint } if constraint == "readings_value_check"),
        "{err:?}"
    );
    assert!(
        db.store
            .readings_between(m.id, on, on)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_zone_the_meter_does_not_count_is_rejected() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let m = meter(&db.store, &a, "353425345", TariffKind::Single).await;
    let err = db
        .store
        .record_readings(
            m.id,
            day(2026, 3, 20),
            march(),
            ReadingSource::Chat,
            &[(Zone::Night, dec!(10))],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
}

#[tokio::test]
async fn readings_of_an_unknown_meter_are_not_found() {
    let db = db().await;
    let err = db
        .store
        .record_readings(
            MeterId(77),
            day(2026, 3, 20),
            march(),
            ReadingSource::Chat,
            &[(Zone::Total, dec!(1))],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound { what: "meter" }),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_last_actual_reading_skips_estimates_and_the_day_itself() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let m = meter(&db.store, &a, "353425345", TariffKind::Single).await;
    let put = |on, source, value| {
        let store = db.store.clone();
        async move {
            store
                .record_readings(
                    m.id,
                    on,
                    kabinet::billing::Period::of(on),
                    source,
                    &[(Zone::Total, value)],
                )
                .await
                .unwrap()
        }
    };
    put(day(2026, 1, 20), ReadingSource::Chat, dec!(5800)).await;
    put(day(2026, 2, 20), ReadingSource::Estimate, dec!(5850)).await;
    put(day(2026, 3, 20), ReadingSource::Inspector, dec!(5910)).await;
    let last = |before| db.store.last_actual_reading(m.id, Zone::Total, before);
    assert_eq!(
        last(day(2026, 3, 21)).await.unwrap().unwrap().value,
        dec!(5910)
    );
    assert_eq!(
        last(day(2026, 3, 20)).await.unwrap().unwrap().value,
        dec!(5800)
    );
    assert_eq!(last(day(2026, 1, 20)).await.unwrap(), None);
}

#[tokio::test]
async fn last_actual_readings_give_one_per_zone() {
    let db = db().await;
    let a = account(&db.store, "7701000000031").await;
    let m = meter(&db.store, &a, "TRI-1", TariffKind::ThreeZone).await;
    let all = [
        (Zone::Peak, dec!(100)),
        (Zone::SemiPeak, dec!(200)),
        (Zone::Night, dec!(300)),
    ];
    db.store
        .record_readings(
            m.id,
            day(2026, 2, 20),
            march().prev(),
            ReadingSource::Web,
            &all,
        )
        .await
        .unwrap();
    db.store
        .record_readings(
            m.id,
            day(2026, 3, 20),
            march(),
            ReadingSource::Web,
            &[(Zone::Peak, dec!(150))],
        )
        .await
        .unwrap();
    let mut last = db
        .store
        .last_actual_readings(m.id, day(2026, 4, 1))
        .await
        .unwrap();
    last.sort_by_key(|r| r.zone);
    let got: Vec<_> = last.iter().map(|r| (r.zone, r.value, r.taken_on)).collect();
    assert_eq!(
        got,
        vec![
            (Zone::Night, dec!(300), day(2026, 2, 20)),
            (Zone::Peak, dec!(150), day(2026, 3, 20)),
            (Zone::SemiPeak, dec!(200), day(2026, 2, 20)),
        ]
    );
}

#[tokio::test]
async fn readings_between_include_both_ends_in_day_order() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let m = meter(&db.store, &a, "353425345", TariffKind::Single).await;
    for (d, v) in [
        (day(2026, 3, 31), dec!(30)),
        (day(2026, 1, 1), dec!(10)),
        (day(2026, 2, 15), dec!(20)),
        (day(2026, 4, 1), dec!(40)),
    ] {
        db.store
            .record_readings(
                m.id,
                d,
                Period::of(d),
                ReadingSource::Chat,
                &[(Zone::Total, v)],
            )
            .await
            .unwrap();
    }
    let got: Vec<_> = db
        .store
        .readings_between(m.id, day(2026, 1, 1), day(2026, 3, 31))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.value)
        .collect();
    assert_eq!(got, vec![dec!(10), dec!(20), dec!(30)]);
}

#[tokio::test]
async fn fractional_readings_keep_their_decimals() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let m = meter(&db.store, &a, "353425345", TariffKind::Single).await;
    db.store
        .record_readings(
            m.id,
            day(2026, 3, 20),
            march(),
            ReadingSource::Chat,
            &[(Zone::Total, dec!(5910.7))],
        )
        .await
        .unwrap();
    let r = db
        .store
        .last_actual_reading(m.id, Zone::Total, day(2026, 4, 1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.value, dec!(5910.7));
}
