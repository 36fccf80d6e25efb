//! The database time of an account with ten years of data (run by hand, release build):
//!
//! ```text
//! cargo run --release --example close_bench -- 1000000          # the big database, once
//! cargo run --release --example history_bench -- --database kabinet_bench_1000000
//! ```
//!
//! Adds (once) account 7799999999999 to the database: a two-zone meter, readings, charges
//! (electricity by zone, ОДН, пени every third month) and payments for 120 months, 2016-04 to
//! 2026-03, beside whatever else the database holds. Then times what the chat does with it —
//! the charges-and-payments history over the ten years and over the last year, a month's
//! breakdown, the receipt of March 2026 (gathered: its charges, readings, balance) and the
//! balance the pay screen shows — first as wall time per call (round trips included), then with
//! `auto_explain` on the connection, which sends every statement's `EXPLAIN ANALYZE` back: the
//! sum of their durations is the database time of a call, and the plans are printed
//! (`--plans`).

use anyhow::Context;
use chrono::{NaiveDate, TimeZone, Utc};
use clap::Parser;
use kabinet::billing::{AccountNumber, DueSchedule, Period};
use kabinet::conversation::EngineSettings;
use kabinet::receipt::{self, ReceiptSettings};
use kabinet::store::Store;
use sqlx::Executor;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tracing_subscriber::layer::SubscriberExt;

#[derive(Parser)]
struct Args {
    /// The database (on `--server`).
    #[arg(long, default_value = "kabinet_bench_1000000")]
    database: String,
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    server: String,
    /// Calls per measurement.
    #[arg(long, default_value_t = 50)]
    runs: usize,
    /// Print the plans.
    #[arg(long)]
    plans: bool,
}

const NUMBER: &str = "7799999999999";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let plans = Arc::new(Mutex::new(Vec::<String>::new()));
    let subscriber = tracing_subscriber::registry().with(Notices(plans.clone()));
    tracing::subscriber::set_global_default(subscriber)?;
    let options = PgConnectOptions::from_str(&args.server)?.database(&args.database);
    let store = Store::connect_within(options.clone(), std::time::Duration::from_secs(600)).await?;
    store.migrate().await?;
    seed(&store).await.context("seeding the ten-year account")?;
    // The planner's row counts: exact ones take minutes on a big database.
    let sizes: (f32, f32, f32, f32) = sqlx::query_as(
        "SELECT (SELECT reltuples FROM pg_class WHERE relname = 'accounts'),
                (SELECT reltuples FROM pg_class WHERE relname = 'charges'),
                (SELECT reltuples FROM pg_class WHERE relname = 'payments'),
                (SELECT reltuples FROM pg_class WHERE relname = 'readings')",
    )
    .fetch_one(store.pool())
    .await?;
    println!(
        "database {}: about {:.0} accounts, {:.0} charges, {:.0} payments, {:.0} readings",
        args.database, sizes.0, sizes.1, sizes.2, sizes.3
    );

    let plain = Paths::new(store.clone()).await?;
    // One connection that explains every statement it runs to the client.
    let explained = PgPoolOptions::new()
        .max_connections(1)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(
                    "LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0;
                     SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on;
                     SET auto_explain.log_level = notice",
                )
                .await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    let explained = Paths::new(Store::from_pool(explained)).await?;

    println!(
        "{:<44} {:>12} {:>12} {:>11}",
        "call", "wall p50 ms", "wall max ms", "db ms"
    );
    for path in Path::ALL {
        let mut walls = Vec::with_capacity(args.runs);
        for _ in 0..args.runs {
            let t = Instant::now();
            plain.run(path).await?;
            walls.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        walls.sort_by(f64::total_cmp);
        plans.lock().expect("not poisoned").clear();
        explained.run(path).await?;
        let found = std::mem::take(&mut *plans.lock().expect("not poisoned"));
        let db: f64 = found.iter().filter_map(|p| duration_ms(p)).sum();
        println!(
            "{:<44} {:>12.2} {:>12.2} {:>11.2}",
            path.name(),
            walls[walls.len() / 2],
            walls[walls.len() - 1],
            db
        );
        if args.plans {
            for plan in found {
                println!("{plan}\n");
            }
        }
    }
    Ok(())
}

/// The `duration: 1.234 ms` that starts an auto_explain message.
fn duration_ms(plan: &str) -> Option<f64> {
    let rest = plan.split("duration: ").nth(1)?;
    rest.split(" ms").next()?.trim().parse().ok()
}

#[derive(Clone, Copy)]
enum Path {
    StatementTenYears,
    StatementLastYear,
    MonthBreakdown,
    Receipt,
    Balance,
}

impl Path {
    const ALL: [Path; 5] = [
        Path::StatementTenYears,
        Path::StatementLastYear,
        Path::MonthBreakdown,
        Path::Receipt,
        Path::Balance,
    ];

    fn name(self) -> &'static str {
        match self {
            Path::StatementTenYears => "charges & payments, 120 months",
            Path::StatementLastYear => "charges & payments, last 12 months",
            Path::MonthBreakdown => "a month's breakdown (charges of 2026-03)",
            Path::Receipt => "receipt of 2026-03 (gathered)",
            Path::Balance => "balance (whole ledger, pay screen)",
        }
    }
}

struct Paths {
    store: Store,
    account: kabinet::store::accounts::Account,
    settings: ReceiptSettings,
}

impl Paths {
    async fn new(store: Store) -> anyhow::Result<Paths> {
        let account = store
            .account_by_number(&AccountNumber::parse(NUMBER)?)
            .await?
            .context("the ten-year account")?;
        let engine = EngineSettings::default();
        let settings = ReceiptSettings {
            company: engine.company.clone(),
            due: engine.due_schedule(),
            zone: engine.utc_offset,
        };
        Ok(Paths {
            store,
            account,
            settings,
        })
    }

    /// The calls the chat makes for `path` (see `conversation/history/statement.rs`).
    async fn run(&self, path: Path) -> anyhow::Result<()> {
        let (s, id) = (&self.store, self.account.id);
        let statement = |from: Period, to: Period| async move {
            let since = Utc.from_utc_datetime(&from.first_day().and_hms_opt(0, 0, 0).unwrap());
            let until = Utc.from_utc_datetime(&to.next().first_day().and_hms_opt(0, 0, 0).unwrap());
            let totals = s.totals_before(id, from, since).await?;
            let charges = s.charges_between(id, from, to).await?;
            let payments = s.payments_between(id, since, until).await?;
            anyhow::ensure!(!charges.is_empty() && !payments.is_empty(), "no data");
            Ok::<_, anyhow::Error>((totals, charges.len(), payments.len()))
        };
        let march = Period::new(2026, 3)?;
        match path {
            Path::StatementTenYears => {
                statement(Period::new(2016, 4)?, march).await?;
            }
            Path::StatementLastYear => {
                statement(Period::new(2025, 4)?, march).await?;
            }
            Path::MonthBreakdown => {
                anyhow::ensure!(!s.charges_of(id, march).await?.is_empty());
            }
            Path::Receipt => {
                let receipt = receipt::gather(s, &self.settings, &self.account, march).await?;
                anyhow::ensure!(receipt.is_some(), "no receipt");
            }
            Path::Balance => {
                let today = NaiveDate::from_ymd_opt(2026, 4, 10).expect("a date");
                kabinet::accounting::account_balance(
                    s,
                    id,
                    today,
                    &DueSchedule::default(),
                    self.settings.zone,
                )
                .await?;
            }
        }
        Ok(())
    }
}

/// The ten-year account, made once.
async fn seed(store: &Store) -> anyhow::Result<()> {
    let mut tx = store.pool().begin().await?;
    sqlx::query("SET LOCAL statement_timeout = 0")
        .execute(&mut *tx)
        .await?;
    let made: Option<i64> = sqlx::query_scalar(
        "INSERT INTO accounts (number, holder, address, category, odn_kwh, norm_kwh)
         VALUES ($1, 'Десятилетов Иван Петрович', 'Москва, ул. Долгая, д. 10, кв. 10', 'urban',
                 3.5, 230)
         ON CONFLICT (number) DO NOTHING RETURNING id",
    )
    .bind(NUMBER)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = made else {
        return Ok(());
    };
    for sql in [
        "INSERT INTO meters (account_id, serial, tariff_kind, digits, installed_on)
         VALUES ($1, 'TEN-YEARS-1', 'two_zone', 6, '2016-03-01')",
        "INSERT INTO readings (meter_id, zone, value, period, taken_on, source)
         SELECT m.id, z.zone, z.f * (1000 + 250 * k), p, p + 16, 'chat'
         FROM meters m, generate_series(0, 120) k,
              LATERAL (SELECT ('2016-03-01'::date + k * interval '1 month')::date AS p) d,
              (VALUES ('day', 0.7), ('night', 0.3)) z (zone, f)
         WHERE m.account_id = $1",
        "INSERT INTO charges (account_id, period, service, zone, line, volume, rate, amount)
         SELECT $1, p, s.service, s.zone, 0, s.kwh, 5.89, round(s.kwh * 5.89, 2)
         FROM generate_series(1, 120) k,
              LATERAL (SELECT ('2016-03-01'::date + k * interval '1 month')::date AS p) d,
              (VALUES ('electricity', 'day', 175.0), ('electricity', 'night', 75.0),
                      ('odn', NULL, 3.5)) s (service, zone, kwh)",
        "INSERT INTO charges (account_id, period, service, zone, line, amount)
         SELECT $1, ('2016-03-01'::date + k * interval '1 month')::date, 'penalty', NULL, 0,
                12.34
         FROM generate_series(3, 120, 3) k",
        "INSERT INTO payments (account_id, service, amount, paid_at, source)
         SELECT $1, NULL, 1500.00,
                '2016-04-12 10:00+03'::timestamptz + k * interval '1 month', 'bank'
         FROM generate_series(1, 120) k",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *tx).await?;
    }
    sqlx::query("INSERT INTO period_closes (account_id, period) SELECT $1, p FROM generate_series('2016-04-01'::date, '2026-03-01', interval '1 month') p")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut conn = store.pool().acquire().await?;
    conn.execute("SET statement_timeout = 0").await?;
    conn.execute("ANALYZE accounts, meters, readings, charges, payments")
        .await?;
    Ok(())
}

/// Keeps the messages of the notices Postgres sends (auto_explain's plans).
struct Notices(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Notices {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() != "sqlx::postgres::notice" {
            return;
        }
        struct Message(String);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    self.0 = format!("{value:?}");
                }
            }
            fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
                if field.name() == "message" {
                    self.0 = value.to_owned();
                }
            }
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        self.0.lock().expect("not poisoned").push(message.0);
    }
}
