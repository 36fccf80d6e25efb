//! Period close against a real database: small fixtures inserted by hand.

use chrono::NaiveDate;
use kabinet::billing::{Period, Service};
use kabinet::close::{
    AccountError, CloseProgress, CloseRunError, CloseSettings, close_period, close_through,
};
use kabinet::store::Store;
use kabinet::store::testing::TestDb;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn p(y: i32, m: u32) -> Period {
    Period::new(y, m).unwrap()
}

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 7, 10)
}

pub(crate) async fn db() -> TestDb {
    let db = TestDb::new().await.expect("test database");
    // Urban rates from July 2025; no rates at all for electric stoves.
    for (zone, rate) in [("total", "5.89"), ("day", "6.72"), ("night", "3.41")] {
        sqlx::query(
            "INSERT INTO tariffs (category, zone, rate, valid_from)
             VALUES ('urban', $1, $2::numeric, '2025-07-01')",
        )
        .bind(zone)
        .bind(rate)
        .execute(db.store.pool())
        .await
        .unwrap();
    }
    sqlx::query("INSERT INTO key_rates (valid_from, rate) VALUES ('2024-01-01', 16)")
        .execute(db.store.pool())
        .await
        .unwrap();
    db
}

pub(crate) async fn account(store: &Store, n: i64, category: &str, odn: Decimal) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO accounts (number, holder, address, category, odn_kwh, norm_kwh)
         VALUES ($1, 'Holder', 'Address', $2, $3, 230) RETURNING id",
    )
    .bind(format!("{:013}", 7_701_000_000_000 + n))
    .bind(category)
    .bind(odn)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

pub(crate) async fn meter(store: &Store, account: i64, kind: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO meters (account_id, serial, tariff_kind, digits, installed_on)
         VALUES ($1, 'S' || $1, $2, 5, '2025-01-01') RETURNING id",
    )
    .bind(account)
    .bind(kind)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

/// A reading of `zone` counted for `period`, taken on its 20th.
pub(crate) async fn reading(store: &Store, meter: i64, zone: &str, period: Period, value: i64) {
    sqlx::query(
        "INSERT INTO readings (meter_id, zone, value, period, taken_on, source)
         VALUES ($1, $2, $3, $4, $5, 'chat')",
    )
    .bind(meter)
    .bind(zone)
    .bind(Decimal::from(value))
    .bind(period.first_day())
    .bind(period.day(20))
    .execute(store.pool())
    .await
    .unwrap();
}

/// (service, zone, volume, amount, estimated) of an account's lines of a period, in key order.
async fn lines(
    store: &Store,
    account: i64,
    period: Period,
) -> Vec<(String, Option<String>, Option<Decimal>, Decimal, bool)> {
    sqlx::query_as(
        "SELECT service, zone, volume, amount, estimated FROM charges
         WHERE account_id = $1 AND period = $2 ORDER BY service, zone, line",
    )
    .bind(account)
    .bind(period.first_day())
    .fetch_all(store.pool())
    .await
    .unwrap()
}

fn s(v: &str) -> String {
    v.to_owned()
}

async fn close(store: &Store, period: Period) -> kabinet::close::CloseReport {
    close_period(store, period, today(), &CloseSettings::default(), |_| {})
        .await
        .unwrap()
}

#[tokio::test]
async fn the_charge_of_a_month_is_its_volume_times_the_rate() {
    let db = db().await;
    let a = account(&db.store, 1, "urban", dec!(3.5)).await;
    let m = meter(&db.store, a, "single").await;
    for (month, value) in [(1, 5000), (2, 5100), (3, 5210)] {
        reading(&db.store, m, "total", p(2026, month), value).await;
    }
    let report = close(&db.store, p(2026, 3)).await;
    assert_eq!((report.closed, report.lines), (1, 2));
    assert_eq!(
        lines(&db.store, a, p(2026, 3)).await,
        [
            (
                s("electricity"),
                Some(s("total")),
                Some(dec!(110.000)),
                dec!(647.90),
                false
            ),
            (s("odn"), None, Some(dec!(3.500)), dec!(20.62), false),
        ]
    );
}

#[tokio::test]
async fn an_account_without_a_reading_gets_an_estimated_line() {
    let db = db().await;
    let a = account(&db.store, 2, "urban", Decimal::ZERO).await;
    let m = meter(&db.store, a, "single").await;
    let mut value = 1000;
    reading(&db.store, m, "total", p(2025, 7), value).await;
    for (i, delta) in [100, 120, 80, 100, 110, 90, 100].into_iter().enumerate() {
        value += delta;
        reading(&db.store, m, "total", p(2025, 8).plus(i as i32), value).await;
    }
    close(&db.store, p(2026, 3)).await;
    assert_eq!(
        lines(&db.store, a, p(2026, 3)).await,
        [(
            s("electricity"),
            Some(s("total")),
            Some(dec!(100.000)),
            dec!(589.00),
            true
        )]
    );
    // April's reading covers March and April: what March billed by estimate is taken off.
    reading(&db.store, m, "total", p(2026, 4), value + 230).await;
    close(&db.store, p(2026, 4)).await;
    assert_eq!(
        lines(&db.store, a, p(2026, 4)).await,
        [(
            s("electricity"),
            Some(s("total")),
            Some(dec!(130.000)),
            dec!(765.70),
            false
        )]
    );
}

#[tokio::test]
async fn three_months_are_estimated_by_average_and_the_fourth_by_the_norm() {
    let db = db().await;
    let a = account(&db.store, 8, "urban", Decimal::ZERO).await;
    let m = meter(&db.store, a, "single").await;
    for i in 0..8 {
        reading(
            &db.store,
            m,
            "total",
            p(2025, 3).plus(i),
            2000 + i64::from(i) * 100,
        )
        .await;
    }
    let settings = CloseSettings::default();
    close_through(
        &db.store,
        p(2025, 11),
        p(2026, 2),
        today(),
        &settings,
        |_| {},
    )
    .await
    .unwrap();
    let mut billed = Vec::new();
    for period in [p(2025, 11), p(2025, 12), p(2026, 1), p(2026, 2)] {
        let l = lines(&db.store, a, period).await;
        let electricity: Vec<_> = l.iter().filter(|l| l.0 == "electricity").collect();
        assert!(
            electricity.len() == 1 && electricity[0].4,
            "{period}: {l:?}"
        );
        billed.push(electricity[0].2.unwrap());
    }
    assert_eq!(billed, [dec!(100), dec!(100), dec!(100), dec!(230)]);
}

#[tokio::test]
async fn a_late_debt_gets_a_penalty_line_in_the_right_month() {
    let db = db().await;
    let a = account(&db.store, 3, "urban", Decimal::ZERO).await;
    // 1 000 ₽ for October 2025, due 10 November, never paid.
    sqlx::query(
        "INSERT INTO charges (account_id, period, service, amount)
         VALUES ($1, '2025-10-01', 'electricity', 1000)",
    )
    .bind(a)
    .execute(db.store.pool())
    .await
    .unwrap();
    let settings = CloseSettings::default();
    close_through(
        &db.store,
        p(2025, 11),
        p(2026, 1),
        today(),
        &settings,
        |_| {},
    )
    .await
    .unwrap();
    let penalty = |period| {
        let store = db.store.clone();
        async move {
            lines(&store, a, period)
                .await
                .into_iter()
                .filter(|l| l.0 == Service::Penalty.code())
                .map(|l| l.3)
                .collect::<Vec<_>>()
        }
    };
    // November: days 1–20 of lateness, free. December: days 21–51, 21 of them at 1/300 of 9.5 %.
    assert_eq!(penalty(p(2025, 11)).await, Vec::<Decimal>::new());
    assert_eq!(penalty(p(2025, 12)).await, [dec!(6.65)]);
    assert_eq!(penalty(p(2026, 1)).await, [dec!(9.82)]);
}

#[tokio::test]
async fn a_debt_older_than_the_ledger_window_still_accrues_its_penalty() {
    let db = db().await;
    let a = account(&db.store, 4, "urban", Decimal::ZERO).await;
    sqlx::query(
        "INSERT INTO charges (account_id, period, service, amount)
         VALUES ($1, '2025-10-01', 'electricity', 1000), ($1, '2025-11-01', 'electricity', 500)",
    )
    .bind(a)
    .execute(db.store.pool())
    .await
    .unwrap();
    // Paid for everything on 1 December: the October debt, then half of November's.
    sqlx::query(
        "INSERT INTO payments (account_id, amount, paid_at, source)
         VALUES ($1, 1250, '2025-12-01 09:00+03', 'bank')",
    )
    .bind(a)
    .execute(db.store.pool())
    .await
    .unwrap();
    close(&db.store, p(2026, 6)).await;
    // 250 ₽ due 10 December 2025, days 173–202 of lateness in June 2026, all at 1/130 of 9.5 %:
    // a full replay gives 5.48; the merged opening debt is rounded once, a kopeck off at most.
    let penalty: Decimal = lines(&db.store, a, p(2026, 6)).await[0].3;
    assert!((penalty - dec!(5.48)).abs() <= dec!(0.01), "{penalty}");
}

async fn checksum(store: &Store) -> (i64, String) {
    sqlx::query_as(
        "SELECT count(*), coalesce(md5(string_agg(
             concat_ws('|', account_id, period, service, zone, line, volume, rate, amount,
                       estimated), ',' ORDER BY account_id, period, service, zone, line)), '')
         FROM charges",
    )
    .fetch_one(store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn closing_twice_changes_nothing() {
    let db = db().await;
    let a = account(&db.store, 5, "urban", dec!(2)).await;
    let m = meter(&db.store, a, "two_zone").await;
    for (month, day, night) in [(1, 100, 50), (2, 180, 90), (3, 250, 120)] {
        reading(&db.store, m, "day", p(2026, month), day).await;
        reading(&db.store, m, "night", p(2026, month), night).await;
    }
    let settings = CloseSettings::default();
    close_through(
        &db.store,
        p(2026, 2),
        p(2026, 5),
        today(),
        &settings,
        |_| {},
    )
    .await
    .unwrap();
    let before = checksum(&db.store).await;
    assert!(before.0 >= 10, "{before:?}");
    let again = close_through(
        &db.store,
        p(2026, 2),
        p(2026, 5),
        today(),
        &settings,
        |_| {},
    )
    .await
    .unwrap();
    assert!(again.iter().all(|r| r.closed == 0 && r.lines == 0));
    assert_eq!(checksum(&db.store).await, before);
}

#[tokio::test]
async fn a_failing_account_does_not_block_the_others() {
    let db = db().await;
    let stove = account(&db.store, 6, "electric_stove", Decimal::ZERO).await;
    let ms = meter(&db.store, stove, "single").await;
    let urban = account(&db.store, 7, "urban", Decimal::ZERO).await;
    let mu = meter(&db.store, urban, "single").await;
    for m in [ms, mu] {
        reading(&db.store, m, "total", p(2026, 2), 100).await;
        reading(&db.store, m, "total", p(2026, 3), 150).await;
    }
    let mut seen: Vec<CloseProgress> = Vec::new();
    let settings = CloseSettings {
        batch_size: 1,
        ..CloseSettings::default()
    };
    let report = close_period(&db.store, p(2026, 3), today(), &settings, |p| seen.push(*p))
        .await
        .unwrap();
    assert_eq!(report.closed, 1);
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].account_id, stove);
    assert!(matches!(report.failures[0].error, AccountError::Close(_)));
    assert_eq!(lines(&db.store, urban, p(2026, 3)).await.len(), 1);
    assert!(lines(&db.store, stove, p(2026, 3)).await.is_empty());
    let last = seen.last().unwrap();
    assert_eq!((last.total, last.closed, last.failed), (2, 1, 1));
    // Left open, it is tried again (and fails again) by the next run.
    let again = close(&db.store, p(2026, 3)).await;
    assert_eq!((again.closed, again.failures.len()), (0, 1));
}

#[tokio::test]
async fn closing_a_future_period_is_refused() {
    let db = db().await;
    let settings = CloseSettings::default();
    let err = close_period(&db.store, p(2026, 8), today(), &settings, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, CloseRunError::Future { .. }), "{err}");
    let err = close_through(
        &db.store,
        p(2026, 6),
        p(2026, 8),
        today(),
        &settings,
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(matches!(err, CloseRunError::Future { .. }), "{err}");
    let closed: i64 = sqlx::query_scalar("SELECT count(*) FROM period_closes")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(closed, 0);
}

#[tokio::test]
async fn a_rerun_skips_batches_of_closed_accounts_and_closes_those_left_open() {
    let db = db().await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let id = account(&db.store, 20 + n, "urban", Decimal::ZERO).await;
        let m = meter(&db.store, id, "single").await;
        reading(&db.store, m, "total", p(2026, 2), 100).await;
        reading(&db.store, m, "total", p(2026, 3), 150 + n).await;
        ids.push(id);
    }
    let settings = CloseSettings {
        batch_size: 2,
        ..CloseSettings::default()
    };
    let first = close_period(&db.store, p(2026, 3), today(), &settings, |_| {})
        .await
        .unwrap();
    assert_eq!(first.closed, 5);
    // Two accounts reopened (the second and the last): the batches between hold only closed ones.
    for id in [ids[1], ids[4]] {
        for sql in [
            "DELETE FROM charges WHERE account_id = $1",
            "DELETE FROM period_closes WHERE account_id = $1",
        ] {
            sqlx::query(sql)
                .bind(id)
                .execute(db.store.pool())
                .await
                .unwrap();
        }
    }
    let mut seen: Vec<CloseProgress> = Vec::new();
    let again = close_period(&db.store, p(2026, 3), today(), &settings, |p| seen.push(*p))
        .await
        .unwrap();
    assert_eq!((again.closed, again.failures.len()), (2, 0));
    assert_eq!(seen.last().map(|p| (p.total, p.closed)), Some((2, 2)));
    for id in &ids {
        assert_eq!(lines(&db.store, *id, p(2026, 3)).await.len(), 1, "{id}");
    }
}
