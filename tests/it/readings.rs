//! The readings flow against the demo data: what it stores, when, for which period, and what it
//! never stores.

use crate::support::{Harness, fixtures, typed};
use chrono::{DateTime, NaiveDate, Utc};
use kabinet::billing::{MeterSpec, Period, ReadingSource, TariffKind, Zone};
use kabinet::conversation::Event;
use kabinet::store::accounts::AccountId;
use kabinet::store::chats;
use kabinet::store::meters::NewMeter;
use kabinet::store::readings::Reading;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const CHAT: i64 = 3_000_001;
const IVANOV: &str = "7701000000017";
const PETROVA: &str = "7701000000024";
const IVANOV_METER: &str = "353425345";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn period(y: i32, m: u32) -> Period {
    Period::new(y, m).unwrap()
}

/// 10:00 in Moscow on `date`.
fn morning(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(7, 0, 0).unwrap().and_utc()
}

fn press(data: &str) -> Event {
    Event::Button(data.into())
}

/// A harness (on the demo data of the scripts' day) with the chat linked to `number`.
async fn linked(number: &str) -> Harness {
    let h = Harness::new().await;
    let id = fixtures::account_id(&h.db.store, number)
        .await
        .expect("a demo account");
    chats::ensure(h.db.store.pool(), CHAT).await.unwrap();
    chats::link(h.db.store.pool(), CHAT, id, 0).await.unwrap();
    h
}

/// The readings of a meter taken from `from` on.
async fn readings_since(h: &Harness, serial: &str, from: NaiveDate) -> Vec<Reading> {
    let meter = h.db.store.meter_by_serial(serial).await.unwrap().unwrap();
    h.db.store
        .readings_between(meter.id, from, d(2030, 1, 1))
        .await
        .unwrap()
}

/// Opens the flow, types `value` and confirms; returns what the bot said at the end.
async fn submit(h: &Harness, value: &str) -> Vec<String> {
    h.say(CHAT, typed("/readings")).await;
    let review = h.say(CHAT, typed(value)).await;
    assert!(
        review.iter().any(|l| l.contains("Внести показания?")),
        "{review:?}"
    );
    h.say(CHAT, press("readings:submit")).await
}

fn says(lines: &[String], text: &str) -> bool {
    lines.iter().any(|l| l.contains(text))
}

#[tokio::test]
async fn a_confirmed_reading_is_stored_for_this_period_from_the_chat() {
    let h = linked(IVANOV).await;
    let done = submit(&h, "5952").await;
    assert!(
        says(&done, "Спасибо. Ваши показания занесены без ошибок."),
        "{done:?}"
    );
    let stored = readings_since(&h, IVANOV_METER, d(2026, 11, 1)).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    let r = &stored[0];
    assert_eq!(
        (r.zone, r.value, r.period, r.taken_on, r.source),
        (
            Zone::Total,
            dec!(5952),
            period(2026, 11),
            d(2026, 11, 20),
            ReadingSource::Chat
        )
    );
}

#[tokio::test]
async fn a_second_reading_on_the_same_day_replaces_the_first() {
    let h = linked(IVANOV).await;
    submit(&h, "5952").await;
    // The previous reading is still 19 October's: today's is the one being replaced.
    let listed = h.say(CHAT, typed("/readings")).await;
    assert!(says(&listed, "19.10.2026 · 5910"), "{listed:?}");
    let review = h.say(CHAT, typed("5955")).await;
    assert!(says(&review, "Расход 45 кВт·ч"), "{review:?}");
    h.say(CHAT, press("readings:submit")).await;
    let stored = readings_since(&h, IVANOV_METER, d(2026, 11, 1)).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].value, dec!(5955));
}

#[tokio::test]
async fn nothing_is_stored_after_cancel_at_any_step() {
    let h = linked(IVANOV).await;
    // Cancelled at the review, at the confirmation of a jump, and while asked.
    for value in ["5952", "9952", ""] {
        h.say(CHAT, typed("/readings")).await;
        if !value.is_empty() {
            h.say(CHAT, typed(value)).await;
        }
        let cancelled = h.say(CHAT, typed("/cancel")).await;
        assert!(says(&cancelled, "Отменено."), "{cancelled:?}");
    }
    // A button of the abandoned review does nothing either.
    let stale = h.say(CHAT, press("readings:submit")).await;
    assert!(says(&stale, "Эта кнопка устарела"), "{stale:?}");
    assert!(
        readings_since(&h, IVANOV_METER, d(2026, 11, 1))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn after_the_window_the_reading_is_stored_for_the_next_period() {
    let h = linked(IVANOV).await;
    h.clock.set(morning(d(2026, 11, 27)));
    h.say(CHAT, typed("/readings")).await;
    let review = h.say(CHAT, typed("5960")).await;
    assert!(
        says(
            &review,
            "Показания, переданные после 25-го числа, будут учтены в расчёте за Декабрь 2026 г."
        ),
        "{review:?}"
    );
    h.say(CHAT, press("readings:submit")).await;
    let stored = readings_since(&h, IVANOV_METER, d(2026, 11, 1)).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (stored[0].period, stored[0].taken_on),
        (period(2026, 12), d(2026, 11, 27))
    );
}

#[tokio::test]
async fn before_the_window_the_reading_counts_for_this_month_and_says_so() {
    let h = linked(IVANOV).await;
    h.clock.set(morning(d(2026, 11, 10)));
    h.say(CHAT, typed("/readings")).await;
    let review = h.say(CHAT, typed("5940")).await;
    assert!(
        says(
            &review,
            "Показания, переданные до 15-го числа, будут учтены в расчёте за Ноябрь 2026 г."
        ),
        "{review:?}"
    );
    h.say(CHAT, press("readings:submit")).await;
    let stored = readings_since(&h, IVANOV_METER, d(2026, 11, 1)).await;
    assert_eq!(stored[0].period, period(2026, 11));
}

#[tokio::test]
async fn both_zones_of_a_two_zone_meter_are_stored_together() {
    let h = linked(PETROVA).await;
    h.say(CHAT, typed("/readings")).await;
    let night = h.say(CHAT, typed("18150")).await;
    assert!(says(&night, "зона «ночь»"), "{night:?}");
    // Nothing is stored until the whole meter is confirmed.
    assert!(
        readings_since(&h, "411802736", d(2026, 11, 1))
            .await
            .is_empty()
    );
    h.say(CHAT, typed("7470")).await;
    h.say(CHAT, press("readings:submit")).await;
    let stored = readings_since(&h, "411802736", d(2026, 11, 1)).await;
    let values: Vec<(Zone, Decimal)> = stored.iter().map(|r| (r.zone, r.value)).collect();
    assert_eq!(
        values,
        [(Zone::Day, dec!(18150)), (Zone::Night, dec!(7470))]
    );
}

#[tokio::test]
async fn several_meters_are_asked_one_after_another_and_a_new_one_takes_any_value() {
    let h = linked(IVANOV).await;
    let account = fixtures::account_id(&h.db.store, IVANOV).await.unwrap();
    h.db.store
        .insert_meter(&NewMeter {
            account_id: AccountId(account),
            serial: "NEW-2026".into(),
            kind: TariffKind::Single,
            digits: 6,
            fraction_digits: 0,
            installed_on: d(2026, 11, 1),
            verified_until: None,
        })
        .await
        .unwrap();
    let listed = h.say(CHAT, typed("/readings")).await;
    assert!(says(&listed, "NEW-2026 · нет показаний"), "{listed:?}");
    h.say(CHAT, typed("5952")).await;
    let next = h.say(CHAT, press("readings:submit")).await;
    assert!(says(&next, "Спасибо."), "{next:?}");
    assert!(says(&next, "счётчика NEW-2026"), "{next:?}");
    // No previous reading: any value within the digits, no volume and no amount.
    let review = h.say(CHAT, typed("000012")).await;
    assert!(says(&review, "Показание 12 — первое"), "{review:?}");
    assert!(
        review.iter().any(|l| l == "Внести показания?"),
        "{review:?}"
    );
    h.say(CHAT, press("readings:submit")).await;
    assert_eq!(readings_since(&h, "NEW-2026", d(2026, 1, 1)).await.len(), 1);
    assert_eq!(
        readings_since(&h, IVANOV_METER, d(2026, 11, 1)).await.len(),
        1
    );
}

#[tokio::test]
async fn an_unlinked_chat_is_told_it_needs_an_account() {
    let h = Harness::new().await;
    let lines = h.say(CHAT, typed("/readings")).await;
    assert!(
        says(&lines, "Для этого раздела нужен подключённый лицевой счёт"),
        "{lines:?}"
    );
}

#[tokio::test]
async fn the_flow_speaks_english_when_the_chat_chose_it() {
    let h = linked(IVANOV).await;
    chats::set_language(h.db.store.pool(), CHAT, kabinet::i18n::Lang::En)
        .await
        .unwrap();
    let listed = h.say(CHAT, typed("/readings")).await;
    assert!(
        says(
            &listed,
            "Electricity · rate 6,54\u{a0}₽/kWh · 353425345 · 19.10.2026 · 5910"
        ),
        "{listed:?}"
    );
    let review = h.say(CHAT, typed("5952")).await;
    assert!(
        says(&review, "42 kWh × 6,54\u{a0}₽ = 274,68\u{a0}₽"),
        "{review:?}"
    );
}

#[tokio::test]
async fn the_monthly_history_takes_the_last_actual_reading_of_each_period() {
    let h = linked(IVANOV).await;
    let store = &h.db.store;
    let meter = store.meter_by_serial(IVANOV_METER).await.unwrap().unwrap();
    let spec = MeterSpec::new(5, 0, TariffKind::Single).unwrap();
    let today = d(2026, 11, 20);
    let history = store
        .monthly_actual_volumes(meter.id, Zone::Total, &spec, today)
        .await
        .unwrap();
    // The demo's 13 readings from October 2025 (4048) to October 2026 (5910).
    assert_eq!(history.len(), 12);
    assert_eq!(history.iter().sum::<Decimal>(), dec!(1862));
    // An estimate and a reading taken today are left out; a later actual reading of the
    // same period replaces the earlier one.
    let november = period(2026, 11);
    store
        .record_readings(
            meter.id,
            today,
            november,
            ReadingSource::Chat,
            &[(Zone::Total, dec!(9000))],
        )
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO readings (meter_id, zone, value, period, taken_on, source)
         VALUES ($1, 'total', 9999, DATE '2026-11-01', DATE '2026-11-02', 'estimate')",
    )
    .bind(meter.id)
    .execute(store.pool())
    .await
    .unwrap();
    store
        .record_readings(
            meter.id,
            d(2026, 10, 24),
            period(2026, 10),
            ReadingSource::Web,
            &[(Zone::Total, dec!(5920))],
        )
        .await
        .unwrap();
    let history = store
        .monthly_actual_volumes(meter.id, Zone::Total, &spec, today)
        .await
        .unwrap();
    assert_eq!(history.len(), 12);
    assert_eq!(history.iter().sum::<Decimal>(), dec!(1872));
}

#[tokio::test]
async fn a_reading_after_silent_months_is_charged_at_each_july_rate_in_turn() {
    // Ёлкина sent nothing since June: the interval crosses the tariff change of 1 July.
    let h = linked("7701000000055").await;
    let meter =
        h.db.store
            .meter_by_serial("371554620")
            .await
            .unwrap()
            .unwrap();
    let last =
        h.db.store
            .last_actual_reading(meter.id, Zone::Total, d(2026, 11, 20))
            .await
            .unwrap()
            .expect("a reading in June");
    assert_eq!(last.period, period(2026, 6));
    h.say(CHAT, typed("/readings")).await;
    // About 180 kWh a month for five months: no jump to confirm.
    let review = h
        .say(
            CHAT,
            typed(&(last.value + dec!(900)).normalize().to_string()),
        )
        .await;
    let parts: Vec<&String> = review.iter().filter(|l| l.starts_with("Расход")).collect();
    assert_eq!(parts.len(), 2, "{review:?}");
    assert!(
        parts[0].contains("5,89") && parts[0].ends_with("по 30.06.2026)"),
        "{review:?}"
    );
    assert!(
        parts[1].contains("6,54") && parts[1].contains("с 01.07.2026 по 19.11.2026"),
        "{review:?}"
    );
    assert!(says(&review, "Итого:"), "{review:?}");
}
