use crate::store_fixtures::{account, db};
use chrono::{DateTime, TimeZone, Utc};
use kabinet::billing::{Money, Service};
use kabinet::store::StoreError;
use kabinet::store::accounts::AccountId;
use kabinet::store::payments::{NewPayment, PaymentSource};
use rust_decimal_macros::dec;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

fn card(account: AccountId, order: &str) -> NewPayment {
    NewPayment {
        account_id: account,
        service: Some(Service::Electricity),
        amount: Money::from_decimal(dec!(1543.21)),
        paid_at: at(2026, 3, 10),
        source: PaymentSource::Card,
        gateway_order_id: Some(order.into()),
    }
}

#[tokio::test]
async fn a_payment_reads_back_with_its_money() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let new = card(a.id, "70906e55-7114-41d6-8332-4609dc6590f4");
    assert!(db.store.insert_payment(&new).await.unwrap());
    let got = db
        .store
        .payments_between(a.id, at(2026, 3, 1), at(2026, 4, 1))
        .await
        .unwrap();
    assert_eq!(got.len(), 1);
    let p = &got[0];
    assert_eq!(
        (
            p.account_id,
            p.service,
            p.amount,
            p.paid_at,
            p.source,
            p.gateway_order_id.clone()
        ),
        (
            new.account_id,
            new.service,
            new.amount,
            new.paid_at,
            new.source,
            new.gateway_order_id
        )
    );
    assert_eq!(p.amount.kopecks(), 154321);
}

#[tokio::test]
async fn the_same_gateway_order_is_credited_once() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    assert!(
        db.store
            .insert_payment(&card(a.id, "order-1"))
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .insert_payment(&card(a.id, "order-1"))
            .await
            .unwrap()
    );
    assert!(
        db.store
            .insert_payment(&card(a.id, "order-2"))
            .await
            .unwrap()
    );
    let got = db
        .store
        .payments_between(a.id, at(2026, 1, 1), at(2027, 1, 1))
        .await
        .unwrap();
    assert_eq!(got.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_gateway_order_is_credited_once_when_both_arrive_at_once() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    for round in 0..10 {
        let order = format!("race-{round}");
        let (one, two) = (db.store.clone(), db.store.clone());
        let (p1, p2) = (card(a.id, &order), card(a.id, &order));
        let first = tokio::spawn(async move { one.insert_payment(&p1).await.unwrap() });
        let second = tokio::spawn(async move { two.insert_payment(&p2).await.unwrap() });
        let (first, second) = (first.await.unwrap(), second.await.unwrap());
        assert!(
            first ^ second,
            "exactly one of two concurrent credits is new (round {round})"
        );
    }
    let got = db
        .store
        .payments_between(a.id, at(2026, 1, 1), at(2027, 1, 1))
        .await
        .unwrap();
    assert_eq!(got.len(), 10);
}

#[tokio::test]
async fn payments_without_a_gateway_order_are_always_new() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let cash = NewPayment {
        source: PaymentSource::Cash,
        gateway_order_id: None,
        service: None,
        ..card(a.id, "")
    };
    assert!(db.store.insert_payment(&cash).await.unwrap());
    assert!(db.store.insert_payment(&cash).await.unwrap());
    let got = db
        .store
        .payments_between(a.id, at(2026, 1, 1), at(2027, 1, 1))
        .await
        .unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].service, None);
}

#[tokio::test]
async fn a_zero_or_negative_payment_is_rejected() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    for amount in [dec!(0), dec!(-5)] {
        let p = NewPayment {
            amount: Money::from_decimal(amount),
            ..card(a.id, &format!("z{amount}"))
        };
        let err = db.store.insert_payment(&p).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Rejected { constraint } if constraint == "payments_amount_check"),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn payments_between_include_the_start_and_exclude_the_end() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    for (order, paid_at) in [
        ("a", at(2026, 3, 1)),
        ("b", at(2026, 3, 15)),
        ("c", at(2026, 4, 1)),
    ] {
        db.store
            .insert_payment(&NewPayment {
                paid_at,
                ..card(a.id, order)
            })
            .await
            .unwrap();
    }
    let got: Vec<_> = db
        .store
        .payments_between(a.id, at(2026, 3, 1), at(2026, 4, 1))
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.gateway_order_id.unwrap())
        .collect();
    assert_eq!(got, vec!["a", "b"]);
}
