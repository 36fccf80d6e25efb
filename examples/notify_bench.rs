//! Notices at scale, on a fresh database of the test server (`TEST_DATABASE_URL`) and Redis
//! (`REDIS_URL`, default 127.0.0.1:6379), against the fake Bot API of the tests.
//!
//! `cargo run --example notify_bench -- [ACCOUNTS] [SECONDS] [INSTANCES]` (defaults 1000000,
//! 120, 2):
//!
//! 1. ACCOUNTS accounts with a meter each (made by SQL, not `seed --synthetic`: no history is
//!    needed); 9 in 10 have a November reading; every 10th account without one and every 10th
//!    with one is linked to a chat of its own — so ACCOUNTS / 10 window reminders are due.
//! 2. Times `notify run --today 2026-11-15` (select + record + queue), then the rerun.
//! 3. Sends for SECONDS with INSTANCES outbox workers, each with its own client and its own
//!    connection to the shared Redis limiter (30 a second overall, steady), against the fake
//!    Bot API, and counts the sends per second as the fake server received them.
//! 4. Prints the peak memory of this process.

#[path = "../tests/it/support"]
mod support {
    #[allow(dead_code)]
    pub mod fake_bot_api;
}

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime, Utc};
use kabinet::channels::telegram::limiter::Limiter;
use kabinet::clock::SystemClock;
use kabinet::i18n::I18n;
use kabinet::notify::{self, NotifySettings};
use kabinet::outbox::{Senders, TelegramSender, Worker, WorkerSettings};
use kabinet::store::testing::TestDb;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let accounts: i64 = args.next().unwrap_or_else(|| "1000000".into()).parse()?;
    let seconds: u64 = args.next().unwrap_or_else(|| "120".into()).parse()?;
    let instances: usize = args.next().unwrap_or_else(|| "2".into()).parse()?;

    let db = TestDb::new().await?;
    let store = &db.store;
    let started = Instant::now();
    seed(store, accounts).await?;
    println!(
        "seeded {accounts} accounts ({} linked chats) in {:.1} s",
        accounts / 5,
        started.elapsed().as_secs_f64()
    );

    // No quiet hours here: the run may happen at any hour and must send at once.
    let midnight = NaiveTime::MIN;
    let settings = NotifySettings {
        per_sec: 30.0,
        quiet: notify::schedule::QuietHours {
            start: midnight,
            end: midnight,
        },
        ..NotifySettings::default()
    };
    let today = NaiveDate::from_ymd_opt(2026, 11, 15).expect("a day");
    let now = Utc::now();
    let started = Instant::now();
    let report = notify::run(store, &settings, today, now, false).await?;
    let queue_time = started.elapsed();
    println!(
        "select + queue over {accounts} accounts: {:.2} s — {report}",
        queue_time.as_secs_f64()
    );
    let started = Instant::now();
    let again = notify::run(store, &settings, today, now, false).await?;
    println!("rerun: {:.2} s — {again}", started.elapsed().as_secs_f64());

    let fake = support::fake_bot_api::FakeBotApi::start().await;
    let redis = redis::Client::open(
        std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into()),
    )?;
    let prefix = format!("bench:{:016x}:", rand::random::<u64>());
    let mut workers = Vec::new();
    for _ in 0..instances {
        let conn = redis::aio::ConnectionManager::new(redis.clone()).await?;
        let limiter = Limiter::redis(conn, &prefix).overall(30).steady();
        let sender = TelegramSender::new(fake.bot()).with_limiter(Arc::new(limiter));
        let worker = Worker::new(
            store.clone(),
            Arc::new(I18n::new()?),
            Senders {
                telegram: Arc::new(sender),
                ..Senders::default()
            },
            Arc::new(SystemClock),
        )
        .with_settings(WorkerSettings {
            idle: Duration::from_millis(200),
            ..WorkerSettings::default()
        });
        workers.push(worker.spawn());
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    for worker in workers {
        worker.stop().await;
    }
    let elapsed = started.elapsed().as_secs_f64();

    let calls = fake.calls_to("sendMessage");
    let ok = calls.iter().filter(|c| c.status == 200).count();
    let limited = calls.iter().filter(|c| c.status == 429).count();
    let mut per_second: BTreeMap<u64, usize> = BTreeMap::new();
    for call in &calls {
        *per_second
            .entry(call.at.duration_since(started).as_secs())
            .or_default() += 1;
    }
    // The densest window of one second anywhere (not only on whole seconds).
    let at: Vec<Instant> = calls.iter().map(|c| c.at).collect();
    let mut densest = 0;
    let mut j = 0;
    for i in 0..at.len() {
        while j < at.len() && at[j].duration_since(at[i]) < Duration::from_secs(1) {
            j += 1;
        }
        densest = densest.max(j - i);
    }
    let mut over = 0;
    let mut k = 0;
    for i in 0..at.len() {
        while k < at.len() && at[k].duration_since(at[i]) < Duration::from_secs(1) {
            k += 1;
        }
        if k - i > 30 {
            over += 1;
        }
    }
    let mut gaps: Vec<Duration> = at.windows(2).map(|w| w[1].duration_since(w[0])).collect();
    gaps.sort();
    let gap = |q: f64| {
        gaps.get(((gaps.len() as f64 - 1.0) * q) as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "gaps between sends: min {:.1} ms, p1 {:.1} ms, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
         1-s windows with more than 30: {over} of {}",
        gap(0.0),
        gap(0.01),
        gap(0.5),
        gap(0.99),
        gap(1.0),
        at.len()
    );
    let full: Vec<usize> = per_second
        .iter()
        .filter(|(s, _)| **s > 0 && **s + 1 < seconds)
        .map(|(_, n)| *n)
        .collect();
    println!(
        "sent {ok} in {elapsed:.1} s with {instances} instances: {:.2}/s; per whole second \
         min {} max {}; densest 1-s window {densest}; 429 answered {limited}",
        ok as f64 / elapsed,
        full.iter().min().copied().unwrap_or(0),
        full.iter().max().copied().unwrap_or(0),
    );
    let waiting = store.outbox_depth().await?;
    println!(
        "left in the outbox: {waiting} (at 30/s the rest takes {:.0} min)",
        waiting as f64 / 30.0 / 60.0
    );
    println!("peak RSS: {}", peak_rss());
    Ok(())
}

/// ACCOUNTS accounts and meters; readings for 9 in 10; chats for every 10th account without a
/// reading and every 10th with one.
async fn seed(store: &kabinet::store::Store, n: i64) -> anyhow::Result<()> {
    let mut tx = store.pool().begin().await?;
    sqlx::query("SET LOCAL statement_timeout = 0")
        .execute(&mut *tx)
        .await?;
    for sql in [
        "INSERT INTO accounts (id, number, holder, address, category)
         SELECT i, lpad((7800000000000 + i)::text, 13, '0'), 'Синтетический А. Б.',
                'г. Энск, ул. Ленина, д. ' || (i % 200) || ', кв. ' || (i % 97), 'urban'
         FROM generate_series(1, $1) AS i",
        "INSERT INTO meters (id, account_id, serial, tariff_kind, digits, installed_on)
         SELECT i, i, 'B' || i, 'single', 6, DATE '2020-01-01' FROM generate_series(1, $1) AS i",
        "INSERT INTO readings (meter_id, zone, value, period, taken_on, source)
         SELECT i, 'total', 1000 + i % 500, DATE '2026-11-01', DATE '2026-11-02', 'web'
         FROM generate_series(1, $1) AS i WHERE i % 10 <> 0",
        "INSERT INTO chat_users (chat_id) SELECT 900000000 + i FROM generate_series(1, $1) AS i
         WHERE i % 10 IN (0, 1)",
        "INSERT INTO account_links (chat_id, account_id, credential_epoch)
         SELECT 900000000 + i, i, 0 FROM generate_series(1, $1) AS i WHERE i % 10 IN (0, 1)",
        "SELECT setval('accounts_id_seq', $1)",
        "SELECT setval('meters_id_seq', $1)",
    ] {
        sqlx::query(sql).bind(n).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(store.pool()).await?;
    Ok(())
}

/// VmHWM of this process.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into())
}
