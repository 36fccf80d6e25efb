//! Postgres stopped in the middle of a reading submission, on a throwaway cluster the test
//! makes with `initdb` and runs with `pg_ctl` (never the machine's shared server): the user is
//! told the service is unavailable, nothing is half-written, and once Postgres is back the
//! same answer goes through.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use crate::support::{fixed_now, transcript, typed};
use kabinet::clock::ManualClock;
use kabinet::conversation::{Ctx, Engine, EngineSettings, Event, Press};
use kabinet::i18n::I18n;
use kabinet::sessions::{DEFAULT_TTL, MemorySessions};
use kabinet::store::{Store, chats};

const UNAVAILABLE: &str = "Сервис временно недоступен, попробуйте через несколько минут.";

/// A Postgres cluster of the test's own in a temporary directory, on a free port.
struct OwnPostgres {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
}

/// The server binaries (Debian keeps them out of PATH).
fn pg_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(Result::ok)
                .map(|d| d.path().join("bin"))
                .filter(|b| b.join("initdb").exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
        .pop()
        .expect("initdb under /usr/lib/postgresql/*/bin (the postgresql package)")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl OwnPostgres {
    /// Runs a server binary; as the `postgres` user when the tests run as root (initdb and
    /// the server refuse root).
    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        let out = cmd
            .args(args)
            .current_dir("/")
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{tool}: {e}"));
        assert!(
            out.status.success(),
            "{tool} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn init() -> OwnPostgres {
        let dir = std::env::temp_dir().join(format!("kabinet-pg-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            let owned = Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&dir)
                .status()
                .unwrap();
            assert!(owned.success());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = OwnPostgres {
            dir,
            port,
            bin: pg_bin(),
        };
        let data = pg.data();
        pg.run(
            "initdb",
            &["-D", &data, "-U", "postgres", "-A", "trust", "--no-sync"],
        );
        pg.start();
        pg
    }

    fn data(&self) -> String {
        self.dir.join("data").to_string_lossy().into_owned()
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("log").to_string_lossy().into_owned();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-o",
                &options,
                "-l",
                &log,
                "-w",
                "start",
            ],
        );
    }

    fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = Command::new(if is_root() { "runuser" } else { "true" })
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .args(["-D", &data, "-m", "immediate", "stop"])
            .current_dir("/")
            .output();
        let _ = std::fs::remove_dir_all(Path::new(&self.dir));
    }
}

async fn readings_of(store: &Store, serial: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM readings r JOIN meters m ON m.id = r.meter_id WHERE m.serial = $1",
    )
    .bind(serial)
    .fetch_one(store.pool())
    .await
    .unwrap()
}

/// The store on `pg`, migrated, and an engine over it with sessions in memory.
async fn engine_on(pg: &OwnPostgres) -> (Store, Engine) {
    let options: sqlx::postgres::PgConnectOptions = pg.url().parse().unwrap();
    let store = Store::connect_within(options, Duration::from_secs(2))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let clock = Arc::new(ManualClock::new(fixed_now()));
    let engine = Engine::new(Ctx {
        store: store.clone(),
        settings: EngineSettings {
            turn_timeout: Duration::from_secs(5),
            ..EngineSettings::default()
        },
        sessions: Arc::new(MemorySessions::new(DEFAULT_TTL, clock.clone())),
        i18n: Arc::new(I18n::new().unwrap()),
        payments: None,
        clock,
    });
    (store, engine)
}

#[tokio::test]
async fn postgres_stopped_during_a_reading_submission_writes_nothing_and_a_retry_works() {
    let pg = OwnPostgres::init();
    let (store, engine) = engine_on(&pg).await;
    kabinet::demo::build_demo(&store, fixed_now().date_naive())
        .await
        .unwrap();
    const CHAT: i64 = 9100;
    let account = crate::support::fixtures::account_id(&store, "7701000000017")
        .await
        .unwrap();
    chats::ensure(store.pool(), CHAT).await.unwrap();
    chats::link(store.pool(), CHAT, account, 0).await.unwrap();
    let say = |event: Event| {
        let engine = &engine;
        async move { engine.handle(CHAT, event).await.unwrap() }
    };
    let asked = transcript(&say(typed("/readings")).await);
    assert!(
        asked
            .iter()
            .any(|l| l.contains("Введите текущее показание")),
        "{asked:?}"
    );
    let computed = say(typed("5952")).await;
    let submit = button(&computed, "Внести показания");
    let before = readings_of(&store, "353425345").await;

    pg.stop();
    let started = std::time::Instant::now();
    let during = transcript(&say(Event::Button(submit.clone())).await);
    let took = started.elapsed();
    assert!(
        during.iter().any(|l| l.starts_with(UNAVAILABLE)),
        "{during:?}"
    );
    assert!(
        took < Duration::from_secs(10),
        "told within seconds: {took:?}"
    );

    pg.start();
    assert_eq!(
        readings_of(&store, "353425345").await,
        before,
        "nothing half-written while Postgres was down"
    );
    // The question is still open: pressing the same button again goes through now.
    let done = transcript(&say(Event::Button(submit)).await);
    assert!(
        done.iter().any(|l| l.contains("показания занесены")),
        "{done:?}"
    );
    assert_eq!(readings_of(&store, "353425345").await, before + 1);
}

/// The callback data of the button labelled `label` among `replies`.
fn button(replies: &[kabinet::conversation::Reply], label: &str) -> String {
    replies
        .iter()
        .flat_map(|r| r.buttons())
        .find_map(|(l, press)| match press {
            Press::Data(data) if l == label => Some(data),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no button [{label}] in {:?}", transcript(replies)))
}

/// Postgres down when an update arrives: it is not acknowledged (so Telegram keeps it), the
/// chat hears once that the service is unavailable, and the same update, delivered again once
/// Postgres is back, is answered.
#[tokio::test]
async fn an_update_arriving_while_postgres_is_down_is_refused_then_answered_on_redelivery() {
    use crate::support::fake_bot_api::{FakeBotApi, TOKEN, updates};
    use kabinet::channels::telegram::adapter::{self, Adapter};
    use kabinet::channels::telegram::intake::{Intake, IntakeSettings};

    let pg = OwnPostgres::init();
    let (_store, engine) = engine_on(&pg).await;
    let engine = Arc::new(engine);
    let fake = FakeBotApi::start().await;
    let bot = adapter::bot(TOKEN, Some(fake.url()));
    let intake = Intake::new(
        Adapter::new(bot, engine, None, None),
        IntakeSettings::default(),
    );
    let update = updates::with_id(updates::text(9200, 1, "/start"), 4200);

    pg.stop();
    for _ in 0..3 {
        assert!(intake.accept(update.clone()).await.is_err(), "not taken in");
    }
    let told = fake
        .wait_for("sendMessage", 1, Duration::from_secs(10))
        .await;
    assert!(told[0].str("text").unwrap().starts_with(UNAVAILABLE));

    pg.start();
    intake
        .accept(update)
        .await
        .expect("taken in once Postgres is back");
    let answered = fake
        .wait_for("sendMessage", 2, Duration::from_secs(20))
        .await;
    assert!(
        answered[1]
            .str("text")
            .unwrap()
            .starts_with("Здравствуйте!"),
        "{answered:?}"
    );
    intake.shutdown(Duration::from_secs(10)).await;
    assert_eq!(
        fake.calls_to("sendMessage").len(),
        2,
        "told once, however many redeliveries"
    );
}
