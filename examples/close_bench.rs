//! Times the close of one month over N synthetic accounts (run by hand, release build):
//!
//! ```text
//! cargo run --release --example close_bench -- 100000
//! cargo run --release --example close_bench -- 100000 --phases   # load / compute / write apart
//! ```
//!
//! The accounts live in their own database (`kabinet_bench_<N>` on the local server, or
//! `--server URL`), made on the first run with 24 months of readings, charges and payments by
//! set-based SQL in one transaction, the indexes made at its end (1,000,000 in 646.6 s), and kept
//! for the next runs: each run deletes the benched month's charges and close markers, then
//! closes it again.
//!
//! Measured on the 2-core development machine: 10 000 accounts in 1.3 s, 100 000 in 8–11 s;
//! 1 000 000 in 139–170 s before issue 13 (on a shared box), 62.6–63.6 s with `COPY` and covering
//! indexes on an idle one, 49.3–49.5 s with one index on charges and two writes in flight, and
//! 54.9–57.0 s with the final code in batches of 10 000 (52.5 s with `--batch 5000`; see README's
//! Performance).

use anyhow::Context;
use chrono::NaiveDate;
use clap::Parser;
use kabinet::billing::Period;
use kabinet::close::{CloseSettings, Globals, close_batch, close_period_on};
use kabinet::store::Store;
use kabinet::store::bulk::Unindexed;
use kabinet::store::close::BatchScope;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};
use std::str::FromStr;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Accounts to close.
    accounts: i64,
    /// The Postgres server (any database on it).
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    server: String,
    /// Accounts per batch.
    #[arg(long, default_value_t = 10000)]
    batch: usize,
    /// Run load, compute and write one after the other and time each.
    #[arg(long)]
    phases: bool,
    /// Drop the database afterwards.
    #[arg(long)]
    drop: bool,
    /// Drop the database first, to generate it anew.
    #[arg(long)]
    regenerate: bool,
}

/// Readings run over 2024-04..=2026-04; charges and payments over the 24 months before.
const FIRST: &str = "2024-04-01";
const MONTHS: i32 = 24;

fn bench_period() -> Period {
    Period::new(2026, 4).expect("valid period")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let admin = PgConnectOptions::from_str(&args.server)?;
    let name = format!("kabinet_bench_{}", args.accounts);
    if args.regenerate {
        let mut conn = admin.connect().await?;
        conn.execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await?;
    }
    let store = open(&admin, &name).await?;
    // The generated accounts (history_bench may have added one of its own beside them).
    let (have, generated): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE number BETWEEN '7700000000001'
                                              AND lpad((7700000000000 + $1)::text, 13, '0'))
         FROM accounts",
    )
    .bind(args.accounts)
    .fetch_one(store.pool())
    .await?;
    if generated != args.accounts {
        anyhow::ensure!(
            have == 0,
            "{name} holds {have} accounts, {generated} of them generated, not {}",
            args.accounts
        );
        let t = Instant::now();
        generate(&store, args.accounts).await?;
        println!(
            "generated {} accounts in {:.1?}",
            args.accounts,
            t.elapsed()
        );
    }
    reset(&store).await?;
    let settings = CloseSettings {
        batch_size: args.batch,
        ..CloseSettings::default()
    };
    let today = NaiveDate::from_ymd_opt(2026, 5, 10).expect("valid date");
    // The run's own pool, kept open to the end so its server processes can be measured.
    let store = store.for_close().await?;
    let db_before = backend_cpu(&store).await?;
    let own_before = cpu_seconds("self");
    let t = Instant::now();
    if args.phases {
        phases(&store, &settings).await?;
    } else {
        let mut shown = Duration::ZERO;
        let report = close_period_on(&store, bench_period(), today, &settings, |p| {
            if p.elapsed >= shown + Duration::from_secs(5) || p.done() == p.total {
                shown = p.elapsed;
                println!(
                    "  {}/{} accounts, {} failed, {:.0}/s",
                    p.done(),
                    p.total,
                    p.failed,
                    p.per_second()
                );
            }
        })
        .await?;
        let secs = t.elapsed().as_secs_f64();
        println!(
            "closed {} accounts ({} lines, {} failed) in {secs:.2} s: {:.0} accounts/s",
            report.closed,
            report.lines,
            report.failures.len(),
            report.closed as f64 / secs
        );
        if let Some(f) = report.failures.first() {
            println!("  first failure: account {}: {}", f.account_id, f.error);
        }
    }
    let (db, own) = (
        backend_cpu(&store).await? - db_before,
        cpu_seconds("self") - own_before,
    );
    println!(
        "CPU: database {db:.1} s, this process {own:.1} s ({:.0} µs per account in all); \
         peak RSS of this process {:.1} MB",
        (db + own) * 1e6 / args.accounts as f64,
        peak_rss_mb()
    );
    if args.drop {
        store.pool().close().await;
        let mut conn = admin.connect().await?;
        conn.execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {name} WITH (FORCE)"
        )))
        .await?;
    }
    Ok(())
}

/// The peak resident memory of this process (`VmHWM`), in MB; 0 when unreadable.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user + system) of a process, from `/proc/<pid>/stat`; 0 when unreadable.
fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<f64>().ok()))
        .sum();
    ticks / 100.0
}

/// CPU seconds of the server processes serving this database's open connections (the pool
/// keeps them for the whole run; the server must run on this machine).
async fn backend_cpu(store: &Store) -> anyhow::Result<f64> {
    let pids: Vec<i32> =
        sqlx::query_scalar("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            .fetch_all(store.pool())
            .await?;
    Ok(pids.iter().map(|p| cpu_seconds(&p.to_string())).sum())
}

/// Connects to `name`, creating and migrating it when missing.
async fn open(admin: &PgConnectOptions, name: &str) -> anyhow::Result<Store> {
    let mut conn = admin.connect().await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await?;
    }
    conn.close().await?;
    let store = Store::connect_with(admin.clone().database(name)).await?;
    store.migrate().await?;
    Ok(store)
}

/// Forgets the benched month's close.
async fn reset(store: &Store) -> anyhow::Result<()> {
    let p = bench_period().first_day();
    let mut conn = store.pool().acquire().await?;
    conn.execute("SET statement_timeout = 0").await?;
    sqlx::query("DELETE FROM charges WHERE period = $1")
        .bind(p)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM period_closes WHERE period = $1")
        .bind(p)
        .execute(&mut *conn)
        .await?;
    conn.execute("VACUUM ANALYZE charges, period_closes")
        .await?;
    Ok(())
}

/// The load, compute and write of every batch one after the other, each timed.
async fn phases(store: &Store, settings: &CloseSettings) -> anyhow::Result<()> {
    let period = bench_period();
    let scope = BatchScope {
        period,
        history_from: period.plus(-kabinet::close::HISTORY_MONTHS),
        ledger_from: period.plus(-kabinet::close::LEDGER_MONTHS),
        time_zone: settings.time_zone.clone(),
    };
    let globals = Globals::new(store.close_globals().await?, settings.due.clone())?;
    let t = Instant::now();
    let opening = store.load_opening_payments(&scope).await?;
    println!("opening payments: {:.2?}", t.elapsed());
    let (mut load, mut compute, mut write) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut load_cpu, mut write_cpu) = (0.0, 0.0);
    let (mut after, mut accounts, mut rows) = (0, 0, 0);
    let closed = store.closed_accounts(period).await?;
    loop {
        let cpu = backend_cpu(store).await?;
        let t = Instant::now();
        let batch = store
            .load_close_batch(&scope, after, settings.batch_size, &closed)
            .await?;
        load += t.elapsed();
        load_cpu += backend_cpu(store).await? - cpu;
        let Some(last) = batch.last_id else {
            break;
        };
        let mut batch = batch;
        batch.opening_payments = opening.of(&batch.accounts);
        after = last;
        accounts += batch.accounts.len();
        rows += batch.meters.len()
            + batch.readings.len()
            + batch.estimates.len()
            + batch.opening_charges.len()
            + batch.charges.len()
            + batch.payments.len()
            + batch.opening_payments.len();
        let t = Instant::now();
        let outcome = close_batch(&batch, &scope, &globals);
        compute += t.elapsed();
        let cpu = backend_cpu(store).await?;
        let t = Instant::now();
        store
            .write_close_batch(period, &outcome.lines, &outcome.closed)
            .await
            .context("write")?;
        write += t.elapsed();
        write_cpu += backend_cpu(store).await? - cpu;
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / accounts.max(1) as f64;
    let per_cpu = |s: f64| s * 1e6 / accounts.max(1) as f64;
    println!(
        "{accounts} accounts, {rows} rows loaded: load {load:.2?} ({:.0} µs/account, database \
         CPU {:.0} µs), compute {compute:.2?} ({:.0} µs), write {write:.2?} ({:.0} µs, database \
         CPU {:.0} µs)",
        per(load),
        per_cpu(load_cpu),
        per(compute),
        per(write),
        per_cpu(write_cpu)
    );
    Ok(())
}

/// N accounts with one meter each (70 % single-rate, 20 % two-zone, 10 % three-zone), monthly
/// readings with 5 % missing (so some months are estimated), 24 months of charges and payments
/// with 5 % of accounts not paying for the last 6 months. Rows go in month by month, as they
/// would in real life: an account's rows are spread over the tables, and each month's payments
/// come in no account order. One transaction, without indexes until its end.
async fn generate(store: &Store, n: i64) -> anyhow::Result<()> {
    let first = NaiveDate::from_str(FIRST)?;
    let mut tx = store.pool().begin().await?;
    tx.execute("SET LOCAL statement_timeout = 0").await?;
    tx.execute("SET LOCAL maintenance_work_mem = '1GB'").await?;
    tx.execute("SET LOCAL work_mem = '256MB'").await?;
    // The rows go in without the tables' indexes and foreign keys, which are made again at the
    // end: a sort per index rather than a b-tree insert per row.
    let unindexed = Unindexed::strip(
        &mut tx,
        &["accounts", "meters", "readings", "charges", "payments"],
    )
    .await?;
    for (what, sql) in [
        ("tariffs", TARIFFS),
        ("key rates", KEY_RATES),
        ("accounts", ACCOUNTS),
        ("meters", METERS),
    ] {
        let mut q = sqlx::query(sql);
        if what == "accounts" {
            q = q.bind(n);
        }
        q.execute(&mut *tx).await.context(what)?;
    }
    let t = Instant::now();
    for k in 0..=MONTHS {
        sqlx::query(READINGS)
            .bind(first)
            .bind(k)
            .execute(&mut *tx)
            .await
            .context("readings")?;
        if k < MONTHS {
            sqlx::query(CHARGES)
                .bind(first)
                .bind(k)
                .execute(&mut *tx)
                .await
                .context("charges")?;
        }
        if k + 1 < MONTHS {
            sqlx::query(PAYMENTS)
                .bind(first)
                .bind(k)
                .bind(MONTHS)
                .execute(&mut *tx)
                .await
                .context("payments")?;
        }
        println!("  month {k}: {:.1?}", t.elapsed());
    }
    unindexed.restore(&mut tx).await.context("indexes")?;
    println!("  indexes: {:.1?}", t.elapsed());
    tx.commit().await?;
    let mut conn = store.pool().acquire().await?;
    conn.execute("SET statement_timeout = 0").await?;
    conn.execute("VACUUM ANALYZE").await?;
    Ok(())
}

const TARIFFS: &str = "
INSERT INTO tariffs (category, zone, rate, valid_from, valid_to)
SELECT c, z, round((base * f * y)::numeric, 2), v, (v + interval '1 year')::date
FROM (VALUES ('urban', 5.89), ('electric_stove', 4.12), ('rural', 4.12)) AS cat (c, base),
     (VALUES ('total', 1.0), ('day', 1.14), ('night', 0.58), ('peak', 1.2), ('semi_peak', 1.0))
         AS zone (z, f),
     (VALUES ('2024-07-01'::date, 0.9), ('2025-07-01', 1.0), ('2026-07-01', 1.09)) AS year (v, y)";

const KEY_RATES: &str = "
INSERT INTO key_rates (valid_from, rate) VALUES
  ('2023-12-18', 16), ('2024-07-29', 18), ('2024-10-28', 21), ('2025-06-09', 20),
  ('2025-07-28', 18), ('2025-09-15', 17), ('2025-10-27', 16.5), ('2026-02-16', 16)";

const ACCOUNTS: &str = "
INSERT INTO accounts (number, holder, address, category, odn_kwh, norm_kwh)
SELECT lpad((7700000000000 + g)::text, 13, '0'), 'Holder ' || g, 'Address ' || g,
       (ARRAY['urban', 'electric_stove', 'rural'])[1 + g % 3],
       CASE WHEN g % 10 < 6 THEN 3.5 ELSE 0 END, 230
FROM generate_series(1, $1) g";

const METERS: &str = "
INSERT INTO meters (account_id, serial, tariff_kind, digits, installed_on)
SELECT id, 'B' || id,
       CASE WHEN id % 10 < 7 THEN 'single' WHEN id % 10 < 9 THEN 'two_zone' ELSE 'three_zone' END,
       6, '2023-01-01'
FROM accounts";

/// The zones of every meter with their share of the consumption.
macro_rules! zones {
    () => {
        "SELECT m.id AS meter_id, m.account_id, z.zone, z.f FROM meters m
         JOIN (VALUES ('single', 'total', 1.0), ('two_zone', 'day', 0.7),
                      ('two_zone', 'night', 0.3), ('three_zone', 'peak', 0.3),
                      ('three_zone', 'semi_peak', 0.4), ('three_zone', 'night', 0.3))
             AS z (kind, zone, f)
           ON z.kind = m.tariff_kind"
    };
}

/// The readings of month `$2` from `$1`, about 200 kWh a month; 5 % of meter months missing.
const READINGS: &str = concat!(
    "INSERT INTO readings (meter_id, zone, value, period, taken_on, source)
     SELECT mz.meter_id, mz.zone,
            round(mz.f * (1000 + mz.meter_id % 1000 + $2 * 200 + (mz.meter_id * 7 + $2 * 13) % 50)),
            ($1::date + $2 * interval '1 month')::date,
            ($1::date + $2 * interval '1 month')::date + 14 + ((mz.meter_id + $2) % 10)::int,
            'chat'
     FROM (",
    zones!(),
    ") mz
     WHERE (mz.meter_id * 31 + $2 * 17) % 20 <> 0"
);

/// The charges of month `$2`, as a close writes them: electricity per zone (estimated where the
/// reading is missing) and ОДН, by account.
const CHARGES: &str = concat!(
    "INSERT INTO charges (account_id, period, service, zone, line, volume, rate, amount, estimated)
     SELECT * FROM (
     SELECT mz.account_id, ($1::date + $2 * interval '1 month')::date, 'electricity', mz.zone,
            0::int2, round(mz.f * 200, 3), 5.89, round(mz.f * 200 * 5.89, 2),
            (mz.meter_id * 31 + $2 * 17) % 20 = 0
     FROM (",
    zones!(),
    ") mz
     UNION ALL
     SELECT a.id, ($1::date + $2 * interval '1 month')::date, 'odn', NULL, 0::int2, a.odn_kwh,
            5.89, round(a.odn_kwh * 5.89, 2), false
     FROM accounts a WHERE a.odn_kwh > 0) c
     ORDER BY 1"
);

/// The payments of month `$2`'s bill, between the 5th and the 24th of the next month in no
/// account order (every 7th account pays for electricity only, the others for everything); the
/// last month's bill is not paid yet, and every 20th account stopped paying six months ago.
const PAYMENTS: &str = "
INSERT INTO payments (account_id, service, amount, paid_at, source)
SELECT c.account_id, CASE WHEN c.account_id % 7 = 0 THEN 'electricity' END,
       sum(c.amount) FILTER (WHERE c.account_id % 7 <> 0 OR c.service = 'electricity'),
       c.period + interval '1 month' + (4 + c.account_id % 20) * interval '1 day'
           + interval '10 hours',
       'bank'
FROM charges c
WHERE c.period = ($1::date + $2 * interval '1 month')::date
  AND NOT (c.account_id % 20 = 7 AND $2 >= $3 - 7)
GROUP BY c.account_id, c.period
ORDER BY (c.account_id * 7919) % 1000003";
