use crate::store_fixtures::{account, db};
use kabinet::billing::{Money, Period, Service, Zone};
use kabinet::store::StoreError;
use kabinet::store::charges::Charge;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn period(s: &str) -> Period {
    s.parse().unwrap()
}

fn electricity(p: Period, part: u16, volume: Decimal, rate: Decimal) -> Charge {
    Charge {
        period: p,
        service: Service::Electricity,
        zone: Some(Zone::Total),
        part,
        volume: Some(volume),
        rate: Some(rate),
        amount: Money::line(volume, rate),
        estimated: false,
    }
}

fn flat(p: Period, service: Service, amount: Decimal) -> Charge {
    Charge {
        period: p,
        service,
        zone: None,
        part: 0,
        volume: None,
        rate: None,
        amount: Money::from_decimal(amount),
        estimated: false,
    }
}

#[tokio::test]
async fn charges_round_trip_with_their_money_and_period() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let july = period("2026-07");
    let lines = vec![
        electricity(july, 0, dec!(42), dec!(7.13)),
        electricity(july, 1, dec!(58.5), dec!(8.0535)),
        flat(july, Service::Odn, dec!(-12.34)),
        Charge {
            estimated: true,
            ..flat(july, Service::Penalty, dec!(1.5))
        },
    ];
    db.store.insert_charges(a.id, &lines).await.unwrap();
    let mut got = db.store.charges_of(a.id, july).await.unwrap();
    got.sort_by_key(|c| (c.service, c.part));
    assert_eq!(got, lines);
    assert_eq!(
        got[1].amount,
        Money::from_decimal(dec!(471.13)),
        "58.5 × 8.0535 = 471.12975 → 471.13"
    );
    assert_eq!(got[2].amount.amount(), dec!(-12.34));
}

#[tokio::test]
async fn a_duplicate_line_is_a_conflict_and_nothing_is_written() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let p = period("2026-03");
    let err = db
        .store
        .insert_charges(
            a.id,
            &[
                flat(p, Service::Odn, dec!(10)),
                flat(p, Service::Odn, dec!(11)),
            ],
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert!(db.store.charges_of(a.id, p).await.unwrap().is_empty());
}

#[tokio::test]
async fn charges_between_cover_both_end_periods() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    for p in ["2025-12", "2026-01", "2026-02", "2026-03"] {
        db.store
            .insert_charges(a.id, &[flat(period(p), Service::Odn, dec!(10))])
            .await
            .unwrap();
    }
    let got: Vec<String> = db
        .store
        .charges_between(a.id, period("2026-01"), period("2026-02"))
        .await
        .unwrap()
        .iter()
        .map(|c| c.period.to_string())
        .collect();
    assert_eq!(got, vec!["2026-01", "2026-02"]);
}

#[tokio::test]
async fn closing_a_period_twice_writes_its_charges_once() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let p = period("2026-03");
    let lines = [
        electricity(p, 0, dec!(42), dec!(5.89)),
        flat(p, Service::Odn, dec!(73.63)),
    ];
    assert!(!db.store.period_closed(a.id, p).await.unwrap());
    assert!(
        db.store
            .close_account_period(a.id, p, &lines)
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .close_account_period(a.id, p, &lines)
            .await
            .unwrap()
    );
    assert!(db.store.period_closed(a.id, p).await.unwrap());
    assert_eq!(db.store.charges_of(a.id, p).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_close_refuses_a_line_of_another_period() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let p = period("2026-03");
    let err = db
        .store
        .close_account_period(a.id, p, &[flat(p.prev(), Service::Odn, dec!(1))])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
    assert!(!db.store.period_closed(a.id, p).await.unwrap());
}

#[tokio::test]
async fn a_period_column_off_the_first_day_is_rejected() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let err: StoreError = sqlx::query(
        "INSERT INTO charges (account_id, period, service, amount) VALUES ($1, '2026-03-02', 'odn', 1)",
    )
    .bind(a.id)
    .execute(db.store.pool())
    .await
    .unwrap_err()
    .into();
    assert!(matches!(err, StoreError::Rejected { .. }), "{err:?}");
}
