use crate::store_fixtures::{account, day, db, meter};
use chrono::{TimeZone, Utc};
use kabinet::accounting::account_balance;
use kabinet::billing::{AccountNumber, Money, Period, ReadingSource, Service, TariffKind, Zone};
use kabinet::billing::{DueDay, DueSchedule};
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

fn due() -> DueSchedule {
    DueSchedule::new(DueDay::DEFAULT)
}

fn moscow() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(3 * 3600).unwrap()
}

#[tokio::test]
async fn the_balance_allocates_payments_per_service_and_oldest_debt_first() {
    let db = db().await;
    let a = account(&db.store, "7701000000048").await;
    debts(&db.store, &a).await;
    let balance = account_balance(&db.store, a.id, day(2026, 3, 20), &due(), moscow())
        .await
        .unwrap();
    let by_service: Vec<(Service, Decimal)> = balance
        .balances
        .iter()
        .map(|(s, m)| (s, m.amount()))
        .filter(|(_, m)| !m.is_zero())
        .collect();
    // 1000 for electricity pays January; the 50 "for everything" goes to February's electricity.
    assert!(
        by_service.contains(&(Service::Electricity, dec!(750.50))),
        "{by_service:?}"
    );
    assert!(
        by_service.contains(&(Service::Odn, dec!(70))),
        "{by_service:?}"
    );
    assert!(
        by_service.contains(&(Service::Penalty, dec!(19))),
        "{by_service:?}"
    );
    assert!(
        by_service.contains(&(Service::Other, dec!(-5))),
        "{by_service:?}"
    );
    assert_eq!(balance.total_due().amount(), dec!(834.50));
}

#[tokio::test]
async fn an_account_without_history_owes_nothing() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let balance = account_balance(&db.store, a.id, day(2026, 3, 20), &due(), moscow())
        .await
        .unwrap();
    assert!(balance.total_due().is_zero());
    assert_eq!(balance.last_closed, None);
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
    let card = AccountCard::load(&db.store, &number, day(2026, 3, 20), &due(), moscow())
        .await
        .unwrap()
        .unwrap();
    let text = card.to_string();
    for expected in [
        "Лицевой счёт 7701000000048",
        "Иванов Иван Иванович",
        "+7 916 ***-**-67",
        "i***v@mail.ru",
        "№ 353425345",
        "5910 кВт·ч на 20.03.2026",
        "пени",
        "ИТОГО к оплате",
        "834,50",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
    assert!(!text.contains("+79161234567"), "{text}");
    let earlier = AccountCard::load(&db.store, &number, day(2026, 3, 19), &due(), moscow())
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
        AccountCard::load(&db.store, &number, day(2026, 3, 20), &due(), moscow())
            .await
            .unwrap()
            .is_none()
    );
}
