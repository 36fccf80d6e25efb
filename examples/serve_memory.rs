//! The memory of `kabinet serve` holding many dialogues (run by hand, release build):
//!
//! ```text
//! cargo build --release && cargo run --release --example serve_memory -- 100000 --redis
//! cargo run --release --example serve_memory -- 100000            # sessions in memory
//! ```
//!
//! Starts the fake Bot API, then a real `target/release/kabinet serve` (webhook mode) on a fresh
//! database of the test server (migrated, no accounts needed), with `REDIS_URL` (a key prefix
//! of its own) or without it (sessions in the process). N private chats each send `/register`
//! through the webhook, which leaves every one of them in a dialogue (the bot asks for the
//! payment code and waits). When all N answers have reached the fake Bot API it reads the
//! process's resident memory (`VmRSS`) and its peak (`VmHWM`) from `/proc`, and in Redis mode
//! counts the session keys. Sessions are kept 24 hours, so all N are still active.

#[path = "../tests/it/support"]
mod support {
    #[allow(dead_code)]
    pub mod fake_bot_api;
}

use anyhow::Context;
use futures::StreamExt;
use kabinet::store::testing::TestDb;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::fake_bot_api::{FakeBotApi, TOKEN, updates};

const SECRET: &str = "memory-bench-secret-0123456789abcdef";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let chats: i64 = args.next().unwrap_or_else(|| "100000".into()).parse()?;
    let redis = args.any(|a| a == "--redis");
    let kabinet = std::env::var("KABINET").unwrap_or_else(|_| "target/release/kabinet".into());
    let fake = FakeBotApi::start().await;
    let db = TestDb::new().await?;
    let prefix = format!("kabinet-memory-{:08x}:", rand::random::<u32>());
    let (listen, metrics) = ("127.0.0.1:18090", "127.0.0.1:19190");
    let mut command = Command::new(&kabinet);
    command
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env(
            "DATABASE_URL",
            format!("postgres://postgres@127.0.0.1:5432/{}", db.name()),
        )
        .env("TELEGRAM_TOKEN", TOKEN)
        .env("TELEGRAM_API_URL", fake.url().as_str())
        .env("PUBLIC_URL", format!("http://{listen}"))
        .env("TELEGRAM_WEBHOOK_SECRET", SECRET)
        .env("LISTEN_ADDR", listen)
        .env("METRICS_ADDR", metrics)
        .env("TELEGRAM_MAX_PER_SECOND", "1000000")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null());
    if redis {
        command
            .env("REDIS_URL", "redis://127.0.0.1:6379")
            .env("REDIS_PREFIX", &prefix);
    }
    let mut serve = Guard(
        command
            .spawn()
            .with_context(|| format!("starting {kabinet}"))?,
    );
    let pid = serve.0.id();
    let http = reqwest::Client::new();
    let healthy = async {
        loop {
            let ok = http
                .get(format!("http://{metrics}/healthz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ok {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), healthy)
        .await
        .context("serve did not become healthy")?;
    let (rss0, _) = memory(pid)?;
    println!(
        "serve started ({} sessions): RSS {:.1} MB",
        if redis { "Redis" } else { "memory" },
        rss0
    );

    let started = Instant::now();
    let url = format!("http://{listen}/telegram/webhook");
    let sent = futures::stream::iter(0..chats)
        .map(|i| {
            let (http, url) = (http.clone(), url.clone());
            async move {
                let chat = 10_000_000 + i;
                let update = updates::with_id(updates::text(chat, 1, "/register"), 1 + i);
                for _ in 0..50 {
                    let answer = http
                        .post(&url)
                        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
                        .json(&update)
                        .send()
                        .await;
                    if answer.is_ok_and(|a| a.status().is_success()) {
                        return true;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                false
            }
        })
        .buffer_unordered(32)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;
    anyhow::ensure!(sent as i64 == chats, "only {sent} of {chats} updates taken");
    loop {
        let answered = fake.calls_to("sendMessage").len() as i64;
        if answered >= chats {
            break;
        }
        if started.elapsed() > Duration::from_secs(3600) {
            anyhow::bail!("only {answered} of {chats} answered after an hour");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let took = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss, hwm) = memory(pid)?;
    println!(
        "{chats} chats in a dialogue after {took:.0} s ({:.0} updates/s): RSS {rss:.1} MB, peak {hwm:.1} MB",
        chats as f64 / took
    );
    if redis {
        let client = redis::Client::open("redis://127.0.0.1:6379")?;
        let mut conn = client.get_multiplexed_async_connection().await?;
        let pattern = format!("{prefix}*session*");
        let mut keys: redis::AsyncIter<String> =
            redis::AsyncCommands::scan_match(&mut conn, &pattern).await?;
        let mut n = 0u64;
        while keys.next_item().await.is_some() {
            n += 1;
        }
        drop(keys);
        println!("session keys in Redis: {n}");
        let mut all: redis::AsyncIter<String> =
            redis::AsyncCommands::scan_match(&mut conn, format!("{prefix}*")).await?;
        let mut doomed = Vec::new();
        while let Some(key) = all.next_item().await {
            doomed.push(key);
        }
        drop(all);
        for chunk in doomed.chunks(1000) {
            let _: () = redis::AsyncCommands::del(&mut conn, chunk).await?;
        }
    }
    serve.stop();
    Ok(())
}

/// `VmRSS` and `VmHWM` of `pid`, in MB.
fn memory(pid: u32) -> anyhow::Result<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
            .unwrap_or(0.0)
    };
    Ok((field("VmRSS:"), field("VmHWM:")))
}

/// Stops the child when dropped.
struct Guard(Child);

impl Guard {
    fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
