//! Outages of the stores, injected on processes the test starts itself (never the machine's
//! shared Redis or Postgres): the user is told «сервис временно недоступен» in seconds, and the
//! dialogue carries on once the store is back.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::{Harness, fixed_now, transcript, typed};
use kabinet::clock::ManualClock;
use kabinet::sessions::{DEFAULT_TTL, RedisSessions, redis_manager};

const UNAVAILABLE: &str = "Сервис временно недоступен, попробуйте через несколько минут.";

/// A redis-server of the test's own on a free port, without persistence.
struct OwnRedis {
    port: u16,
    child: Child,
}

impl OwnRedis {
    fn start_on(port: u16) -> OwnRedis {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server runs");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        OwnRedis { port, child }
    }

    fn start() -> OwnRedis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        OwnRedis::start_on(port)
    }

    fn signal(&self, name: &str) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args([name, &pid])
                .status()
                .unwrap()
                .success()
        );
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.kill(); // SIGKILL ends a stopped process too
    }
}

/// Sends `line` and returns the transcript and how long the answer took.
async fn timed(h: &Harness, line: &str) -> (Vec<String>, Duration) {
    let started = Instant::now();
    let replies = h
        .engine
        .handle(4711, typed(line))
        .await
        .expect("an answer, not an error");
    (transcript(&replies), started.elapsed())
}

#[tokio::test]
async fn a_redis_that_stops_answering_or_dies_is_told_to_the_user_and_survived() {
    let mut redis = OwnRedis::start();
    let url = format!("redis://127.0.0.1:{}", redis.port);
    let conn = redis_manager(&url, Duration::from_millis(500))
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new(fixed_now()));
    let sessions = Arc::new(RedisSessions::new(conn, "kabinet-faults:", DEFAULT_TTL));
    let h = Harness::with_sessions(clock, sessions).await;

    let (help, _) = timed(&h, "/help").await;
    assert!(!help.join("\n").contains(UNAVAILABLE), "{help:#?}");

    // Frozen: it accepts the connection but never answers.
    redis.signal("-STOP");
    let (frozen, took) = timed(&h, "/help").await;
    assert_eq!(
        frozen,
        vec![
            UNAVAILABLE.to_owned()
                + " Ничего из начатого не потеряно: если действие не завершилось, его можно будет повторить."
        ]
    );
    assert!(took < Duration::from_secs(5), "answered in {took:?}");
    redis.signal("-CONT");
    let (thawed, _) = timed(&h, "/help").await;
    assert!(!thawed.join("\n").contains(UNAVAILABLE), "{thawed:#?}");

    // Dead: connections refused.
    let port = redis.port;
    redis.kill();
    let (dead, took) = timed(&h, "/help").await;
    assert!(dead[0].starts_with(UNAVAILABLE), "{dead:#?}");
    assert!(took < Duration::from_secs(5), "answered in {took:?}");

    // Back (empty: it kept nothing): the dialogue restarts cleanly.
    let _back = OwnRedis::start_on(port);
    let mut answered = Vec::new();
    for _ in 0..20 {
        let (lines, _) = timed(&h, "/help").await;
        if !lines[0].starts_with(UNAVAILABLE) {
            answered = lines;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(answered, help, "the same help as before the outage");
}
