//! What one dialogue turn costs: the engine alone, on the demo data in a database of its own,
//! with Redis sessions (as `serve` runs) or in memory. Prints per-turn latency and the queries a
//! turn sends to Postgres (counted from sqlx's statement events), per kind of turn:
//!
//! ```text
//! cargo run --release --example turn_bench -- 2000            # Redis on 127.0.0.1:6379 db 0
//! cargo run --release --example turn_bench -- 2000 --memory   # sessions in this process
//! ```
//!
//! A loop is the readings flow of a linked chat, 4 turns: `/readings` (the previous reading and
//! the question), a value (validated, the charge computed), «Исправить», `/menu`. Each simulated
//! chat is its own, linked to account 7701000000017, turns run one chat after another (latency,
//! not throughput: for throughput see `../shared/bench/`).

use chrono::Utc;
use clap::Parser;
use kabinet::clock::SystemClock;
use kabinet::conversation::{Ctx, Engine, EngineSettings, Event};
use kabinet::i18n::I18n;
use kabinet::sessions::{MemorySessions, RedisSessions, SessionStore};
use kabinet::store::chats;
use kabinet::store::testing::TestDb;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tracing_subscriber::layer::SubscriberExt;

#[derive(Parser)]
struct Args {
    /// Loops of the readings flow (4 turns each).
    loops: usize,
    /// Sessions in this process instead of Redis.
    #[arg(long)]
    memory: bool,
    #[arg(long, default_value = "redis://127.0.0.1:6379")]
    redis: String,
    /// Print every query's summary (use with 1 loop).
    #[arg(long)]
    show: bool,
}

/// Counts sqlx's statement events: one per query sent (and prints them with `--show`).
struct Queries(Arc<AtomicU64>, bool);

struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Queries {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target().starts_with("sqlx::query") {
            self.0.fetch_add(1, Ordering::Relaxed);
            if self.1 {
                let mut summary = Summary(String::new());
                event.record(&mut summary);
                println!("    query: {}", summary.0);
            }
        }
    }
}

/// A turn's name and the event it sends.
type Step = (&'static str, fn() -> Event);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let queries = Arc::new(AtomicU64::new(0));
    tracing::subscriber::set_global_default(
        tracing_subscriber::registry().with(Queries(queries.clone(), args.show)),
    )?;
    let today = Utc::now().date_naive();
    let db = TestDb::demo(today).await?;
    let clock = Arc::new(SystemClock);
    let ttl = Duration::from_secs(3600);
    let prefix = format!("kabinet-bench-{}:", rand::random::<u32>());
    let sessions: Arc<dyn SessionStore> = if args.memory {
        Arc::new(MemorySessions::new(ttl, clock.clone()))
    } else {
        Arc::new(RedisSessions::connect(&args.redis, &prefix, ttl).await?)
    };
    let engine = Engine::new(Ctx {
        store: db.store.clone(),
        settings: EngineSettings::default(),
        sessions,
        i18n: Arc::new(I18n::new()?),
        clock,
        payments: None,
    });
    let account: i64 = sqlx::query_scalar("SELECT id FROM accounts WHERE number = '7701000000017'")
        .fetch_one(db.store.pool())
        .await?;
    let epoch: i32 = sqlx::query_scalar("SELECT credential_epoch FROM accounts WHERE id = $1")
        .bind(account)
        .fetch_one(db.store.pool())
        .await?;
    let steps: [Step; 4] = [
        ("/readings", || Event::from_line("/readings")),
        ("value", || Event::Text("5952".into())),
        ("[Исправить]", || {
            Event::Button("readings:fix".into())
        }),
        ("/menu", || Event::from_line("/menu")),
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); steps.len()];
    let mut counts = vec![0u64; steps.len()];
    for i in 0..args.loops {
        let chat = 9_000_000 + i as i64;
        chats::ensure(db.store.pool(), chat).await?;
        chats::link(db.store.pool(), chat, account, epoch).await?;
        for (k, (_, event)) in steps.iter().enumerate() {
            if args.show {
                println!("  turn {}", steps[k].0);
            }
            let before = queries.load(Ordering::Relaxed);
            let started = Instant::now();
            engine.handle(chat, event()).await?;
            times[k].push(started.elapsed());
            counts[k] += queries.load(Ordering::Relaxed) - before;
        }
    }
    println!(
        "turns of the readings flow, {} loops, sessions in {}:",
        args.loops,
        if args.memory { "memory" } else { "Redis" }
    );
    println!(
        "{:<14} {:>9} {:>9} {:>9} {:>8}",
        "turn", "p50 µs", "p99 µs", "mean µs", "queries"
    );
    for (k, (name, _)) in steps.iter().enumerate() {
        let t = &mut times[k];
        t.sort();
        let mean = t.iter().sum::<Duration>() / t.len() as u32;
        println!(
            "{:<14} {:>9} {:>9} {:>9} {:>8.1}",
            name,
            t[t.len() / 2].as_micros(),
            t[t.len() * 99 / 100].as_micros(),
            mean.as_micros(),
            counts[k] as f64 / args.loops as f64
        );
    }
    Ok(())
}
