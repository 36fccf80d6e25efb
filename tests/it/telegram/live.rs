//! A running bot for tests: the real adapter and dispatcher(s) over a demo database, polling
//! the fake Bot API; helpers to press buttons and wait for the bot to go quiet.

use std::sync::Arc;
use std::time::Duration;

use kabinet::channels::telegram::adapter::{self, Adapter, Shared};
use kabinet::channels::telegram::deeplink::LinkKey;
use kabinet::channels::telegram::intake::{Intake, IntakeSettings};
use kabinet::conversation::Engine;
use kabinet::sessions::{DEFAULT_TTL, MemorySessions, RedisSessions, SessionStore};
use serde_json::Value;
use tokio::task::JoinHandle;

use crate::support::fake_bot_api::{FakeBotApi, TOKEN, updates};
use crate::support::{Harness, engine};

pub const KEY: &str = "test-deeplink-key-0123456789";

pub fn key() -> LinkKey {
    LinkKey::new(KEY).unwrap()
}

/// The bot as deployed: a demo database, `instances` intakes polling one fake server (each
/// sees every update until its offset moves; the inbox keeps one of each); with Redis (a
/// prefix of the test's own) they share sessions and the rate limiter.
pub struct Live {
    pub fake: FakeBotApi,
    pub harness: Harness,
    running: Vec<(Intake, JoinHandle<()>)>,
}

/// The intake's timings, shortened for tests: a dead holder's chat is picked up in a second.
pub fn quick() -> IntakeSettings {
    IntakeSettings {
        lease: Duration::from_secs(3),
        heartbeat: Duration::from_millis(500),
        sweep_every: Duration::from_millis(200),
        stalled_after: Duration::from_millis(300),
        ..IntakeSettings::default()
    }
}

/// Polls with `intake` until it is asked to stop; its sweeper runs meanwhile.
pub fn polling(intake: &Intake, bot: adapter::TgBot) -> JoinHandle<()> {
    let intake = intake.clone();
    tokio::spawn(async move {
        let sweeper = intake.spawn_sweeper();
        intake.poll(bot).await;
        sweeper.abort();
    })
}

impl Live {
    pub async fn start(instances: usize, redis: bool) -> Live {
        let fake = FakeBotApi::start().await;
        let harness = Harness::new().await;
        let prefix = super::prefix();
        let mut running = Vec::new();
        for _ in 0..instances {
            let clock = harness.clock.clone();
            let (sessions, shared): (Arc<dyn SessionStore>, _) = if redis {
                let conn = super::redis().await;
                let sessions = RedisSessions::new(conn.clone(), &prefix, DEFAULT_TTL);
                (Arc::new(sessions), Some(Shared::new(conn, &prefix)))
            } else {
                (
                    Arc::new(MemorySessions::new(DEFAULT_TTL, clock.clone())),
                    None,
                )
            };
            let engine: Arc<Engine> = Arc::new(engine(&harness.db, clock, sessions));
            let bot = adapter::bot(TOKEN, Some(fake.url()));
            let adapter = Adapter::new(bot.clone(), engine, Some(key()), shared);
            let intake = Intake::new(adapter, quick());
            let task = polling(&intake, bot);
            running.push((intake, task));
        }
        Live {
            fake,
            harness,
            running,
        }
    }

    pub async fn stop(self) {
        for (intake, task) in self.running {
            intake.request_stop();
            task.await.unwrap();
            intake.shutdown(Duration::from_secs(10)).await;
        }
    }

    /// Pushes an update and waits until the bot has answered it.
    pub async fn send(&self, update: Value) {
        self.fake.push_update(update);
        self.settle().await;
    }

    /// Waits until no call but getUpdates has come for longer than Throttle's per-chat pause
    /// (one message a second): the bot is done.
    pub async fn settle(&self) {
        const QUIET: Duration = Duration::from_millis(1300);
        let count = || {
            self.fake
                .calls()
                .iter()
                .filter(|c| c.method != "getUpdates")
                .count()
        };
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        let (mut last, mut since) = (usize::MAX, tokio::time::Instant::now());
        while tokio::time::Instant::now() < deadline {
            let now = count();
            if now != last || self.fake.pending_updates() > 0 {
                (last, since) = (now, tokio::time::Instant::now());
            } else if since.elapsed() >= QUIET {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the bot never went quiet: {:#?}", self.fake.calls());
    }

    /// Presses the inline button `label` on the latest message of `chat` that shows it.
    pub async fn press(&self, chat: i64, label: &str) {
        let (message_id, data) = self
            .button(chat, label)
            .unwrap_or_else(|| panic!("no button [{label}]: {:#?}", self.fake.calls()));
        self.send(updates::callback(chat, message_id, &data)).await;
    }

    /// The latest message of `chat` that shows the inline button `label`, and its data.
    pub fn button(&self, chat: i64, label: &str) -> Option<(i64, String)> {
        (1..=500).rev().find_map(|id| {
            let message = self.fake.message(chat, id)?;
            let rows = message["reply_markup"]["inline_keyboard"]
                .as_array()?
                .clone();
            rows.iter()
                .filter_map(Value::as_array)
                .flatten()
                .find(|b| b["text"] == label)
                .and_then(|b| b["callback_data"].as_str())
                .map(|data| (id, data.to_owned()))
        })
    }

    /// Texts of successful sendMessage calls to `chat`, in order.
    pub fn sent_texts(&self, chat: i64) -> Vec<String> {
        self.fake
            .calls_to("sendMessage")
            .into_iter()
            .filter(|c| c.status == 200 && c.i64("chat_id") == Some(chat))
            .map(|c| c.str("text").unwrap_or_default().to_owned())
            .collect()
    }
}
