use crate::store_fixtures::{account, day, db, meter};
use chrono::{TimeZone, Utc};
use kabinet::billing::{AccountNumber, Money, Period, ReadingSource, Service, TariffKind, Zone};
use kabinet::staff::AccountCard;
use kabinet::store::Store;
use kabinet::store::accounts::Account;
use kabinet::store::charges::Charge;
use kabinet::store::payments::{NewPayment, PaymentSource};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn flat(p: &str, service: Service, amount: Decimal) -> Charge {
    Charge {
        period: p.parse().unwrap(),
        service,
        zone: None,
        part: 0,
        volume: None,
        rate: None,
        amount: Money::from_decimal(amount),
        estimated: false,
    }
}

async fn pay(store: &Store, a: &Account, service: Option<Service>, amount: Decimal) {
    store
        .insert_payment(&NewPayment {
            account_id: a.id,
            service,
            amount: Money::from_decimal(amount),
            paid_at: Utc.with_ymd_and_hms(2026, 3, 10, 8, 0, 0).unwrap(),
            source: PaymentSource::Bank,
            gateway_order_id: None,
        })
        .await
        .unwrap();
}

async fn debts(store: &Store, a: &Account) {
    store
        .insert_charges(
            a.id,
            &[
                flat("2026-01", Service::Electricity, dec!(1000)),
                flat("2026-02", Service::Electricity, dec!(800.50)),
                flat("2026-02", Service::Odn, dec!(70)),
                flat("2026-02", Service::Penalty, dec!(19)),
            ],
        )
        .await
        .unwrap();
    pay(store, a, Some(Service::Electricity), dec!(1000)).await;
    pay(store, a, Some(Service::Other), dec!(5)).await;
    pay(store, a, None, dec!(50)).await;
}

#[tokio::test]
async fn totals_subtract_payments_per_service() {
    let db = db().await;
    let a = account(&db.store, "7701000000048").await;
    debts(&db.store, &a).await;
    let totals = db.store.totals(a.id).await.unwrap();
    let due: Vec<(Service, Decimal)> = totals
        .by_service
        .iter()
        .map(|t| (t.service, t.due().amount()))
        .collect();
    assert_eq!(
        due,
        vec![
            (Service::Electricity, dec!(800.50)),
            (Service::Odn, dec!(70)),
            (Service::Penalty, dec!(19)),
            (Service::Other, dec!(-5)),
        ]
    );
    assert_eq!(totals.unassigned_paid.amount(), dec!(50));
    assert_eq!(totals.due().amount(), dec!(834.50));
}

#[tokio::test]
async fn an_account_without_history_owes_nothing() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let totals = db.store.totals(a.id).await.unwrap();
    assert!(totals.by_service.is_empty());
    assert!(totals.due().is_zero());
}

#[tokio::test]
async fn the_staff_card_shows_masked_contacts_last_readings_and_the_balance() {
    let db = db().await;
    let a = account(&db.store, "7701000000048").await;
    let m = meter(&db.store, &a, "353425345", TariffKind::Single).await;
    for (on, value) in [
        (day(2026, 2, 20), dec!(5800)),
        (day(2026, 3, 20), dec!(5910)),
    ] {
        db.store
            .record_readings(
                m.id,
                on,
                Period::of(on),
                ReadingSource::Chat,
                &[(Zone::Total, value)],
            )
            .await
            .unwrap();
    }
    debts(&db.store, &a).await;
    let number = AccountNumber::parse("7701000000048").unwrap();
    let card = AccountCard::load(&db.store, &number, day(2026, 3, 20))
        .await
        .unwrap()
        .unwrap();
    let text = card.to_string();
    for expected in [
        "Лицевой счёт 7701000000048",
        "Иванов Иван Иванович",
        "+7916*****67",
        "iv***@mail.ru",
        "№ 353425345",
        "5910 кВт·ч на 20.03.2026",
        "пени",
        "ИТОГО",
        "834,50",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
    assert!(!text.contains("+79161234567"), "{text}");
    let earlier = AccountCard::load(&db.store, &number, day(2026, 3, 19))
        .await
        .unwrap()
        .unwrap();
    assert!(earlier.to_string().contains("5800 кВт·ч на 20.02.2026"));
}

#[tokio::test]
async fn the_staff_card_of_an_unknown_account_is_none() {
    let db = db().await;
    let number = AccountNumber::parse("7701000000055").unwrap();
    assert!(
        AccountCard::load(&db.store, &number, day(2026, 3, 20))
            .await
            .unwrap()
            .is_none()
    );
}
