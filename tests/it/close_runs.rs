//! Period close as an operation: one run per month at a time, the current month only after its
//! reading window, a run's record, and charges never doubled by overlapping writers.

use crate::close::{account, d, db, meter, p, reading};
use kabinet::billing::{ChargeLine, Money, Period, Service, Zone};
use kabinet::close::{CloseRunError, CloseSettings, close_period};
use kabinet::store::Store;
use kabinet::store::testing::TestDb;
use rust_decimal_macros::dec;

/// `n` urban accounts with readings for June and July 2026.
async fn accounts_with_readings(db: &TestDb, n: i64) {
    for i in 0..n {
        let a = account(&db.store, 100 + i, "urban", dec!(2.5)).await;
        let m = meter(&db.store, a, "single").await;
        reading(&db.store, m, "total", p(2026, 6), 1000 + i).await;
        reading(&db.store, m, "total", p(2026, 7), 1150 + 2 * i).await;
    }
}

/// Every charge line of the database, in key order, without ids.
async fn all_charges(store: &Store) -> Vec<(String, String, String, i16, String)> {
    sqlx::query_as(
        "SELECT a.number, c.service, coalesce(c.zone, ''), c.line, c.amount::text
         FROM charges c JOIN accounts a ON a.id = c.account_id
         ORDER BY a.number, c.period, c.service, c.zone, c.line",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
}

async fn runs(store: &Store) -> Vec<(i64, i64, bool)> {
    sqlx::query_as("SELECT closed, lines, forced FROM close_runs ORDER BY id")
        .fetch_all(store.pool())
        .await
        .unwrap()
}

fn small_batches() -> CloseSettings {
    CloseSettings {
        batch_size: 1,
        ..CloseSettings::default()
    }
}

#[tokio::test]
async fn two_runs_started_together_charge_what_one_run_charges() {
    let once = db().await;
    accounts_with_readings(&once, 12).await;
    close_period(
        &once.store,
        p(2026, 6),
        d(2026, 7, 10),
        &small_batches(),
        |_| {},
    )
    .await
    .unwrap();
    let expected = all_charges(&once.store).await;
    assert!(!expected.is_empty());

    let twice = db().await;
    accounts_with_readings(&twice, 12).await;
    let settings = small_batches();
    let today = d(2026, 7, 10);
    let (first, second) = tokio::join!(
        close_period(&twice.store, p(2026, 6), today, &settings, |_| {}),
        close_period(&twice.store, p(2026, 6), today, &settings, |_| {}),
    );
    let outcomes = [first, second];
    let refused = outcomes
        .iter()
        .filter(|r| matches!(r, Err(CloseRunError::Running { .. })))
        .count();
    let closed: u64 = outcomes
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|r| r.closed)
        .sum();
    assert_eq!(closed, 12, "every account closed once: {outcomes:?}");
    assert!(refused <= 1, "{outcomes:?}");
    assert_eq!(all_charges(&twice.store).await, expected);
    // The refused run left no record; a finished one did.
    assert_eq!(runs(&twice.store).await.len(), 2 - refused);
}

#[tokio::test]
async fn a_run_is_refused_while_another_holds_the_month_and_runs_after_it() {
    let db = db().await;
    accounts_with_readings(&db, 2).await;
    let held = db.store.try_lock_close(p(2026, 6)).await.unwrap().unwrap();
    // The lock is per month: another month is free.
    assert!(db.store.try_lock_close(p(2026, 5)).await.unwrap().is_some());
    let err = close_period(
        &db.store,
        p(2026, 6),
        d(2026, 7, 10),
        &small_batches(),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(matches!(err, CloseRunError::Running { .. }), "{err}");
    assert!(
        err.to_string().contains("another run is closing 2026-06"),
        "{err}"
    );
    assert!(all_charges(&db.store).await.is_empty());

    held.release().await.unwrap();
    let report = close_period(
        &db.store,
        p(2026, 6),
        d(2026, 7, 10),
        &small_batches(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(report.closed, 2);
    assert_eq!(runs(&db.store).await, vec![(2, report.lines as i64, false)]);
}

#[tokio::test]
async fn a_lock_whose_holder_went_away_is_free_again() {
    let db = db().await;
    let held = db.store.try_lock_close(p(2026, 6)).await.unwrap().unwrap();
    drop(held); // the connection closes, as when a run's process dies
    let mut again = None;
    for _ in 0..50 {
        again = db.store.try_lock_close(p(2026, 6)).await.unwrap();
        if again.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        again.is_some(),
        "the server released the lock of a dropped connection"
    );
}

#[tokio::test]
async fn the_current_month_waits_for_its_reading_window_unless_forced() {
    let db = db().await;
    accounts_with_readings(&db, 3).await;
    let settings = CloseSettings::default();
    // 25 July is the window's last day: July readings may still come.
    let err = close_period(&db.store, p(2026, 7), d(2026, 7, 25), &settings, |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(err, CloseRunError::WindowOpen { window_end: 25, .. }),
        "{err}"
    );
    assert!(all_charges(&db.store).await.is_empty());
    assert!(runs(&db.store).await.is_empty());

    // Forced by an operator, it closes and the record says so.
    let forced = CloseSettings {
        force: true,
        ..CloseSettings::default()
    };
    let report = close_period(&db.store, p(2026, 7), d(2026, 7, 25), &forced, |_| {})
        .await
        .unwrap();
    assert_eq!(report.closed, 3);
    assert_eq!(runs(&db.store).await, vec![(3, report.lines as i64, true)]);

    // The next month after its window: no force needed. A future month: never.
    let later = close_period(&db.store, p(2026, 8), d(2026, 8, 26), &settings, |_| {}).await;
    assert!(later.is_ok(), "{later:?}");
    let future = close_period(&db.store, p(2026, 9), d(2026, 8, 26), &forced, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(future, CloseRunError::Future { .. }), "{future}");
}

#[tokio::test]
async fn a_write_for_an_account_another_run_closed_adds_nothing() {
    let db = db().await;
    let a = account(&db.store, 1, "urban", dec!(0)).await;
    let line = |amount: i64| ChargeLine {
        service: Service::Electricity,
        zone: Some(Zone::Total),
        line: 0,
        volume: Some(dec!(100)),
        rate: Some(dec!(5.89)),
        amount: Money::from_kopecks(amount),
        estimated: false,
    };
    let period: Period = p(2026, 6);
    let first = db
        .store
        .write_close_batch(period, &[(a, line(58_900))], &[a])
        .await
        .unwrap();
    assert_eq!(first, 1);
    // A second run that computed the account differently (a second line, say) writes nothing.
    let mut other = line(60_000);
    other.line = 1;
    let second = db
        .store
        .write_close_batch(period, &[(a, other)], &[a])
        .await
        .unwrap();
    assert_eq!(second, 0);
    let amounts: Vec<String> = all_charges(&db.store)
        .await
        .into_iter()
        .map(|c| c.4)
        .collect();
    assert_eq!(amounts, vec!["589.00"]);
}
