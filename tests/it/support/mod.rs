//! Shared test scaffolding: an engine over a fresh database, a fixed clock, fixture accounts.

pub mod fake_bot_api;
pub mod fixtures;

use chrono::{DateTime, Utc};
use kabinet::clock::ManualClock;
use kabinet::conversation::{Ctx, Engine, EngineSettings, Event, Reply};
use kabinet::i18n::I18n;
use kabinet::sessions::{DEFAULT_TTL, MemorySessions, SessionStore};
use kabinet::store::testing::TestDb;
use std::sync::Arc;

/// The instant dialogue scripts and engine tests run at: 20.11.2026, 10:00 in Moscow.
pub fn fixed_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-20T07:00:00Z")
        .expect("a valid instant")
        .with_timezone(&Utc)
}

/// An engine over its own database with the fixture accounts, a manual clock and the given
/// session store (in memory unless a test passes Redis).
pub struct Harness {
    pub db: TestDb,
    pub clock: Arc<ManualClock>,
    pub engine: Engine,
}

impl Harness {
    pub async fn new() -> Harness {
        let clock = Arc::new(ManualClock::new(fixed_now()));
        let sessions = Arc::new(MemorySessions::new(DEFAULT_TTL, clock.clone()));
        Harness::with_sessions(clock, sessions).await
    }

    pub async fn with_sessions(
        clock: Arc<ManualClock>,
        sessions: Arc<dyn SessionStore>,
    ) -> Harness {
        let db = TestDb::demo(fixed_now().date_naive())
            .await
            .expect("demo test database");
        let engine = engine(&db, clock.clone(), sessions);
        Harness { db, clock, engine }
    }

    pub fn sessions(&self) -> &Arc<dyn SessionStore> {
        &self.engine.ctx().sessions
    }

    /// Sends one event and returns the replies as transcript lines.
    pub async fn say(&self, chat_id: i64, event: Event) -> Vec<String> {
        let replies = self
            .engine
            .handle(chat_id, event)
            .await
            .expect("the engine answers");
        transcript(&replies)
    }
}

/// A second engine over the same database (a restarted process).
pub fn engine(db: &TestDb, clock: Arc<ManualClock>, sessions: Arc<dyn SessionStore>) -> Engine {
    let i18n = Arc::new(I18n::new().expect("locales load"));
    Engine::new(Ctx {
        store: db.store.clone(),
        settings: EngineSettings::default(),
        sessions,
        i18n: i18n.clone(),
        payments: Some(sandbox_payments(db, clock.clone(), i18n)),
        clock,
    })
}

/// The address the scripts' sandbox payment links point to (no server listens there).
pub const SANDBOX_BASE: &str = "http://127.0.0.1:8080";

/// Payments through a sandbox gateway that no browser visits: registering works, paying is
/// for the tests of `payments` that serve its pages.
pub fn sandbox_payments(
    db: &TestDb,
    clock: Arc<ManualClock>,
    i18n: Arc<I18n>,
) -> kabinet::payments::Payments {
    use kabinet::billing::{DueDay, DueSchedule, Money};
    let sandbox = Arc::new(kabinet::payments::sandbox::Sandbox::new(
        SANDBOX_BASE,
        &format!("{SANDBOX_BASE}/pay/callback"),
        b"dialogue-key",
    ));
    kabinet::payments::Payments::new(
        db.store.clone(),
        sandbox,
        kabinet::payments::PaySettings {
            base_url: SANDBOX_BASE.into(),
            max_amount: Money::from_kopecks(10_000_000),
            bot_url: None,
            due: DueSchedule::new(DueDay::DEFAULT),
            zone: chrono::FixedOffset::east_opt(3 * 3600).expect("+03:00"),
        },
        clock,
        i18n,
    )
}

pub fn transcript(replies: &[Reply]) -> Vec<String> {
    replies.iter().flat_map(Reply::transcript).collect()
}

/// A line as typed in a chat (`/help`, `привет`).
pub fn typed(line: &str) -> Event {
    Event::from_line(line)
}
