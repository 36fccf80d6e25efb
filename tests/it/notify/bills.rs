//! The notices about bills: receipt ready after a close, пени ahead for the demo debtor.

use kabinet::notify::{self, NotifySettings};
use kabinet::store::Store;
use kabinet::store::testing::TestDb;

use super::{account, day, link, msk, number};

#[tokio::test]
async fn a_close_is_followed_by_receipt_ready_notices_with_total_and_due_date() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let (charged, not_charged) = (account(store, 1).await, account(store, 2).await);
    link(store, 9100, charged).await;
    link(store, 9101, not_charged).await;
    for (service, amount) in [("electricity", "1000.50"), ("odn", "119.48")] {
        sqlx::query(
            "INSERT INTO charges (account_id, period, service, amount)
             VALUES ($1, DATE '2026-10-01', $2, $3::numeric)",
        )
        .bind(charged)
        .bind(service)
        .bind(amount)
        .execute(store.pool())
        .await
        .unwrap();
    }
    let october = kabinet::billing::Period::new(2026, 10).unwrap();
    let settings = NotifySettings::default();
    let now = msk("2026-11-01", 10, 0);
    let report = notify::after_close(store, &settings, october, now)
        .await
        .unwrap();
    assert_eq!(
        report.to_string(),
        "notices: 1 queued, 0 already sent, 0 skipped"
    );
    let message = store.outbox_after(0).await.unwrap().pop().unwrap();
    assert_eq!(message.recipient, "9100");
    let i18n = kabinet::i18n::I18n::new().unwrap();
    let text = kabinet::outbox::templates::render(&i18n, &message).unwrap();
    assert_eq!(
        text,
        format!(
            "Лицевой счёт {}: квитанция за период «Октябрь 2026 г.» готова. Начислено за месяц \
             1\u{a0}119,98\u{a0}₽, всего к оплате 1\u{a0}119,98\u{a0}₽ до {}.",
            number(1),
            settings.due.due_date(october).format("%d.%m.%Y")
        )
    );
    let buttons = kabinet::outbox::templates::buttons(&i18n, &message);
    assert_eq!(
        buttons[0][0].data,
        format!("go:receipt:{}:2026-10", number(1))
    );
    // Closing again (a rerun of close-period) queues nothing more.
    let again = notify::after_close(store, &settings, october, now)
        .await
        .unwrap();
    assert_eq!(again.counts.already, 1);
    assert_eq!(again.counts.queued, 0);
}

#[tokio::test]
async fn the_demo_debtor_is_warned_of_penalties_on_day_25_of_lateness() {
    let db = TestDb::demo(crate::support::fixed_now().date_naive())
        .await
        .unwrap();
    let store = &db.store;
    let debtor = crate::support::fixtures::account_id(store, "7701000000048")
        .await
        .unwrap();
    link(store, 9200, debtor).await;
    let settings = NotifySettings::default();
    let now = msk("2026-11-09", 10, 0);
    let penalty_warnings = |store: &Store| {
        let store = store.clone();
        async move {
            store
                .outbox_after(0)
                .await
                .unwrap()
                .into_iter()
                .filter(|m| m.template == "notice-penalty-ahead")
                .collect::<Vec<_>>()
        }
    };
    notify::run(store, &settings, day("2026-11-08"), now, false)
        .await
        .unwrap();
    assert!(penalty_warnings(store).await.is_empty(), "day 24: not yet");
    // September's bill was due on 15.10.2026: 09.11 is day 25 of its lateness.
    notify::run(store, &settings, day("2026-11-09"), now, false)
        .await
        .unwrap();
    // A rerun (the scheduler's next turn) warns nobody twice.
    notify::run(store, &settings, day("2026-11-09"), now, false)
        .await
        .unwrap();
    let warned = penalty_warnings(store).await;
    assert_eq!(warned.len(), 1, "{warned:#?}");
    let payload = &warned[0].payload;
    assert_eq!(payload["account"], "7701000000048");
    assert_eq!(payload["period"], "2026-09");
    assert_eq!(payload["from"], "2026-11-15");
    // A day of пени from day 31: debt × rate / 300 (the rate in percent, capped).
    let debt: rust_decimal::Decimal = payload["amount"].as_str().unwrap().parse().unwrap();
    let rate = kabinet::accounting::penalty_rates(store)
        .await
        .unwrap()
        .rate_on(day("2026-11-15"))
        .unwrap();
    let per_day: rust_decimal::Decimal = payload["per_day"].as_str().unwrap().parse().unwrap();
    assert!(debt > rust_decimal::Decimal::ZERO);
    assert_eq!(
        per_day,
        (debt * rate / rust_decimal::Decimal::from(30_000))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    );
    let i18n = kabinet::i18n::I18n::new().unwrap();
    let text = kabinet::outbox::templates::render(&i18n, &warned[0]).unwrap();
    assert!(
        text.contains("Через 5 дней, с 15.11.2026, начнут начисляться пени"),
        "{text}"
    );
    assert!(text.contains("7701000000048"), "{text}");
}

#[tokio::test]
async fn a_receipt_paid_in_advance_says_nothing_is_to_pay() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let id = account(store, 3).await;
    link(store, 9110, id).await;
    sqlx::query(
        "INSERT INTO charges (account_id, period, service, amount)
         VALUES ($1, DATE '2026-10-01', 'electricity', 500)",
    )
    .bind(id)
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO payments (account_id, amount, paid_at, source)
         VALUES ($1, 600, TIMESTAMPTZ '2026-10-20 12:00+03', 'bank')",
    )
    .bind(id)
    .execute(store.pool())
    .await
    .unwrap();
    let october = kabinet::billing::Period::new(2026, 10).unwrap();
    notify::after_close(
        store,
        &NotifySettings::default(),
        october,
        msk("2026-11-01", 10, 0),
    )
    .await
    .unwrap();
    let message = store.outbox_after(0).await.unwrap().pop().unwrap();
    assert_eq!(message.payload["to_pay"], "-100.00");
    let i18n = kabinet::i18n::I18n::new().unwrap();
    let text = kabinet::outbox::templates::render(&i18n, &message).unwrap();
    assert_eq!(
        text,
        format!(
            "Лицевой счёт {}: квитанция за период «Октябрь 2026 г.» готова. Начислено за месяц \
             500,00\u{a0}₽; уже оплачено, к оплате ничего.",
            number(3)
        )
    );
}
