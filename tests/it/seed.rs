//! The demo company and synthetic accounts, seeded into a real database.

use argon2::password_hash::{PasswordHash, PasswordVerifier};
use chrono::NaiveDate;
use kabinet::billing::Period;
use kabinet::demo::{self, KUZNETSOV_PASSWORD};
use kabinet::store::Store;
use kabinet::store::bulk::{BulkLoad, CopyRows, Inserted};
use kabinet::store::testing::TestDb;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Per table: the row count and an md5 of every row's natural content, in natural-key order.
const SNAPSHOT: [&str; 6] = [
    "SELECT count(*), md5(coalesce(string_agg(concat_ws('|', number, holder, address, category,
        odn_kwh, norm_kwh, credential_hash, credential_epoch, phone, email), E'\\n' ORDER BY number), ''))
     FROM accounts",
    "SELECT count(*), md5(coalesce(string_agg(concat_ws('|', a.number, m.serial, m.service,
        m.tariff_kind, m.digits, m.fraction_digits, m.installed_on, m.verified_until, m.removed_on),
        E'\\n' ORDER BY m.serial), ''))
     FROM meters m JOIN accounts a ON a.id = m.account_id",
    "SELECT count(*), md5(coalesce(string_agg(concat_ws('|', m.serial, r.zone, r.value, r.period,
        r.taken_on, r.source), E'\\n' ORDER BY m.serial, r.zone, r.taken_on), ''))
     FROM readings r JOIN meters m ON m.id = r.meter_id",
    "SELECT count(*), md5(coalesce(string_agg(concat_ws('|', a.number, p.service, p.amount,
        p.paid_at, p.source, p.gateway_order_id), E'\\n' ORDER BY p.gateway_order_id), ''))
     FROM payments p JOIN accounts a ON a.id = p.account_id",
    "SELECT count(*), md5(coalesce(string_agg(concat_ws('|', category, zone, rate, valid_from,
        valid_to), E'\\n' ORDER BY category, zone, valid_from), ''))
     FROM tariffs",
    "SELECT count(*), md5(coalesce(string_agg(concat_ws('|', valid_from, rate), E'\\n'
        ORDER BY valid_from), '')) FROM key_rates",
];

async fn snapshot(store: &Store) -> Vec<(i64, String)> {
    let mut tables = Vec::new();
    for sql in SNAPSHOT {
        tables.push(
            sqlx::query_as(sql)
                .fetch_one(store.pool())
                .await
                .expect("snapshot"),
        );
    }
    tables
}

async fn count(store: &Store, sql: &'static str, number: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(number)
        .fetch_one(store.pool())
        .await
        .expect("count")
}

#[tokio::test]
async fn seeding_the_demo_twice_changes_nothing() {
    let db = TestDb::new().await.expect("test database");
    let first = demo::seed_demo(&db.store, today()).await.expect("seed");
    assert!(first.inserted.accounts >= 6 && first.inserted.readings > 200);
    let before = snapshot(&db.store).await;
    let again = demo::seed_demo(&db.store, today()).await.expect("reseed");
    assert_eq!(again.inserted, Inserted::default());
    assert_eq!(snapshot(&db.store).await, before);
}

#[tokio::test]
async fn the_demo_is_the_same_in_every_database() {
    let (a, b) = (TestDb::new().await.unwrap(), TestDb::new().await.unwrap());
    demo::seed_demo(&a.store, today()).await.unwrap();
    demo::seed_demo(&b.store, today()).await.unwrap();
    assert_eq!(snapshot(&a.store).await, snapshot(&b.store).await);
}

#[tokio::test]
async fn reseeding_the_demo_for_another_month_is_refused() {
    let db = TestDb::new().await.unwrap();
    demo::seed_demo(&db.store, today()).await.unwrap();
    let before = snapshot(&db.store).await;
    let next_month = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
    let err = demo::seed_demo(&db.store, next_month).await.unwrap_err();
    assert!(err.to_string().contains("another day"), "{err}");
    assert_eq!(snapshot(&db.store).await, before);
}

#[tokio::test]
async fn the_demo_accounts_hold_the_stated_facts() {
    let db = TestDb::new().await.unwrap();
    let report = demo::seed_demo(&db.store, today()).await.unwrap();
    assert_eq!(report.to_close().count(), 24);
    let store = &db.store;

    let holder: String = sqlx::query_scalar("SELECT holder FROM accounts WHERE number = $1")
        .bind("7701000000017")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(holder, "Иванов Иван Иванович");
    let last: Decimal = sqlx::query_scalar(
        "SELECT r.value FROM readings r JOIN meters m ON m.id = r.meter_id
         JOIN accounts a ON a.id = m.account_id
         WHERE m.serial = '353425345' AND a.number = $1 ORDER BY r.taken_on DESC LIMIT 1",
    )
    .bind("7701000000017")
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(last, dec!(5910));

    let petrova: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT a.number, a.category, m.tariff_kind FROM accounts a JOIN meters m ON m.account_id = a.id
         WHERE a.holder = 'Петрова Анна Сергеевна' ORDER BY a.number",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(
        petrova,
        [
            (
                "7701000000024".into(),
                "electric_stove".into(),
                "two_zone".into()
            ),
            ("7701000000031".into(), "rural".into(), "three_zone".into()),
        ]
    );

    let recent_readings = count(
        store,
        "SELECT count(*) FROM readings r JOIN meters m ON m.id = r.meter_id
         JOIN accounts a ON a.id = m.account_id
         WHERE a.number = $1 AND r.period >= date '2026-07-01'",
        "7701000000055",
    )
    .await;
    let older_readings = count(
        store,
        "SELECT count(*) FROM readings r JOIN meters m ON m.id = r.meter_id
         JOIN accounts a ON a.id = m.account_id WHERE a.number = $1",
        "7701000000055",
    )
    .await;
    assert_eq!((recent_readings, older_readings >= 12), (0, true));

    let since = Period::of(today()).plus(-4).first_day().to_string();
    assert_eq!(since, "2026-07-01");
    let recent_payments = count(
        store,
        "SELECT count(*) FROM payments p JOIN accounts a ON a.id = p.account_id
         WHERE a.number = $1 AND p.paid_at >= timestamptz '2026-07-01 00:00+03'",
        "7701000000048",
    )
    .await;
    let older_payments = count(
        store,
        "SELECT count(*) FROM payments p JOIN accounts a ON a.id = p.account_id WHERE a.number = $1",
        "7701000000048",
    )
    .await;
    assert_eq!((recent_payments, older_payments >= 15), (0, true));

    let hash: String =
        sqlx::query_scalar("SELECT credential_hash FROM accounts WHERE number = '7701000000062'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    let hash = PasswordHash::new(&hash).unwrap();
    assert!(
        argon2::Argon2::default()
            .verify_password(KUZNETSOV_PASSWORD.as_bytes(), &hash)
            .is_ok()
    );
}

#[tokio::test]
async fn synthetic_accounts_insert_and_are_deterministic() {
    let (a, b) = (TestDb::new().await.unwrap(), TestDb::new().await.unwrap());
    let mut seen = Vec::new();
    let report = demo::seed_synthetic(&a.store, 1_000, today(), |done| seen.push(done))
        .await
        .unwrap();
    assert_eq!(seen.last(), Some(&1_000));
    assert_eq!(
        (report.inserted.accounts, report.inserted.meters),
        (1_000, 1_000)
    );
    assert!(report.inserted.readings > 24_000 && report.inserted.payments > 20_000);
    demo::seed_synthetic(&b.store, 1_000, today(), |_| ())
        .await
        .unwrap();
    let first = snapshot(&a.store).await;
    assert_eq!(first, snapshot(&b.store).await);

    let again = demo::seed_synthetic(&a.store, 1_000, today(), |_| ())
        .await
        .unwrap();
    assert_eq!(again.inserted, Inserted::default());
    assert_eq!(snapshot(&a.store).await, first);
}

#[tokio::test]
async fn synthetic_accounts_live_beside_the_demo_ones() {
    let db = TestDb::new().await.unwrap();
    let demo = demo::seed_demo(&db.store, today()).await.unwrap();
    let synthetic = demo::seed_synthetic(&db.store, 2_500, today(), |_| ())
        .await
        .unwrap();
    assert_eq!(synthetic.inserted.accounts, 2_500);
    assert_eq!(synthetic.inserted.tariffs, 0);
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(accounts as u64, demo.inserted.accounts + 2_500);
}

#[tokio::test]
async fn reseeding_synthetic_accounts_for_another_month_is_refused() {
    let db = TestDb::new().await.unwrap();
    demo::seed_synthetic(&db.store, 50, today(), |_| ())
        .await
        .unwrap();
    let next_month = NaiveDate::from_ymd_opt(2026, 12, 24).unwrap();
    let err = demo::seed_synthetic(&db.store, 50, next_month, |_| ())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("another day"), "{err}");
}

#[tokio::test]
async fn reseeding_the_demo_later_in_the_month_adds_only_payments() {
    let db = TestDb::new().await.unwrap();
    let early = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    demo::seed_demo(&db.store, early).await.unwrap();
    let later = demo::seed_demo(&db.store, today()).await.unwrap();
    assert_eq!(later.inserted.readings, 0);
    assert!(later.inserted.payments > 0);
}

/// Every index and constraint of the tables a bulk load fills, as the catalog defines them.
async fn schema_of_loaded_tables(store: &Store) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT indexdef FROM pg_indexes
         WHERE tablename IN ('accounts', 'meters', 'readings', 'payments')
         UNION ALL
         SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
         FROM pg_constraint
         WHERE conrelid::regclass::text IN ('accounts', 'meters', 'readings', 'payments')
         ORDER BY 1",
    )
    .fetch_all(store.pool())
    .await
    .expect("schema")
}

#[tokio::test]
async fn a_bulk_load_stores_what_the_careful_seed_stores_and_keeps_the_schema() {
    let (a, b) = (TestDb::new().await.unwrap(), TestDb::new().await.unwrap());
    // Demo accounts first: the load's ids must start above theirs.
    demo::seed_demo(&a.store, today()).await.unwrap();
    demo::seed_demo(&b.store, today()).await.unwrap();
    let schema = schema_of_loaded_tables(&b.store).await;
    assert!(schema.len() > 10, "{schema:?}");

    demo::seed_synthetic(&a.store, 700, today(), |_| ())
        .await
        .unwrap();
    let mut seen = Vec::new();
    let loaded = demo::load_synthetic(&b.store, 700, today(), &mut |done| seen.push(done))
        .await
        .unwrap()
        .expect("none of them was there");
    assert_eq!((loaded.accounts, loaded.meters), (700, 700));
    assert_eq!(seen.last(), Some(&700));
    assert_eq!(snapshot(&a.store).await, snapshot(&b.store).await);
    assert_eq!(schema_of_loaded_tables(&b.store).await, schema);

    // The id sequences moved past the loaded rows: ordinary inserts go on after them.
    let more = demo::seed_synthetic(&b.store, 750, today(), |_| ())
        .await
        .unwrap();
    assert_eq!(more.inserted.accounts, 50);
    let again = demo::seed_synthetic(&b.store, 750, today(), |_| ())
        .await
        .unwrap();
    assert_eq!(again.inserted, Inserted::default());
}

#[tokio::test]
async fn a_bulk_load_over_accounts_already_there_changes_nothing() {
    let db = TestDb::new().await.unwrap();
    demo::seed_synthetic(&db.store, 40, today(), |_| ())
        .await
        .unwrap();
    let before = snapshot(&db.store).await;
    let load = demo::load_synthetic(&db.store, 100, today(), &mut |_| ())
        .await
        .unwrap();
    assert_eq!(load, None);
    assert_eq!(snapshot(&db.store).await, before);
}

#[tokio::test]
async fn a_bulk_load_that_stops_halfway_leaves_no_rows_and_the_schema_whole() {
    let db = TestDb::new().await.unwrap();
    let schema = schema_of_loaded_tables(&db.store).await;
    let first = demo::synthetic_number(0);
    let last = demo::synthetic_number(99);
    let mut load = BulkLoad::begin(&db.store, &first, &last)
        .await
        .unwrap()
        .expect("a fresh database");
    let mut ids = load.first_ids();
    let rows = CopyRows::new(&demo::synthetic_chunk(0, 50, today()), &mut ids).unwrap();
    load.copy(rows).await.unwrap();
    drop(load); // the process died, or a later chunk failed
    let accounts: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts")
        .fetch_one(db.store.pool())
        .await
        .unwrap();
    assert_eq!(accounts, 0);
    assert_eq!(schema_of_loaded_tables(&db.store).await, schema);
}
