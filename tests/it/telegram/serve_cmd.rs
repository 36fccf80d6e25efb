//! `kabinet serve` as an operator starts it: a weak webhook secret stops it at once, and in
//! polling mode only the metrics listener runs, with a loud warning when SMS cannot be sent.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::Harness;
use crate::support::fake_bot_api::{FakeBotApi, TOKEN, updates};

/// `kabinet serve` with only `vars` set, in a directory without `.env`.
pub(super) fn serve(vars: &[(&str, &str)]) -> Command {
    let dir = std::env::temp_dir();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kabinet"));
    cmd.arg("serve").current_dir(dir).env_clear();
    for (name, value) in vars {
        cmd.env(name, value);
    }
    cmd
}

#[test]
fn serve_refuses_a_short_webhook_secret_at_start() {
    let out = serve(&[
        ("TELEGRAM_TOKEN", TOKEN),
        ("PUBLIC_URL", "https://bot.example.test"),
        ("TELEGRAM_WEBHOOK_SECRET", "hook-Secret_1"),
    ])
    .output()
    .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("TELEGRAM_WEBHOOK_SECRET: expected 32 to 256 characters"),
        "{stderr}"
    );
    assert!(!stderr.contains("hook-Secret_1"), "{stderr}");
}

#[test]
fn serve_refuses_the_webhook_without_a_secret_at_start() {
    let out = serve(&[
        ("TELEGRAM_TOKEN", TOKEN),
        ("PUBLIC_URL", "https://bot.example.test"),
        // No database on this port: the secret is checked before anything connects.
        ("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none"),
    ])
    .output()
    .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("TELEGRAM_WEBHOOK_SECRET: not set"),
        "{stderr}"
    );
}

/// The child process, killed when the test ends however it ends.
pub(super) struct Running {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Running {
    pub(super) fn start(mut cmd: Command) -> Running {
        let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        Running { child, log }
    }

    pub(super) fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    pub(super) async fn wait_for_log(&self, needle: &str) {
        for _ in 0..300 {
            if self.log().iter().any(|l| l.contains(needle)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no {needle:?} in the log: {:#?}", self.log());
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) fn free_addr() -> SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap()
}

pub(super) fn database_url(name: &str) -> String {
    let server = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let mut url = reqwest::Url::parse(&server).unwrap();
    url.set_path(&format!("/{name}"));
    url.to_string()
}

#[tokio::test]
async fn polling_serves_only_metrics_and_health_and_warns_that_sms_go_nowhere() {
    let fake = FakeBotApi::start().await;
    let harness = Harness::new().await;
    let (listen, metrics) = (free_addr(), free_addr());
    let running = Running::start(serve(&[
        ("TELEGRAM_TOKEN", TOKEN),
        ("TELEGRAM_API_URL", fake.url().as_str()),
        ("DATABASE_URL", &database_url(harness.db.name())),
        ("LISTEN_ADDR", &listen.to_string()),
        ("METRICS_ADDR", &metrics.to_string()),
        ("LOG_FORMAT", "json"),
    ]));
    running
        .wait_for_log("listening for /healthz and /metrics")
        .await;

    let get = |path: &str| reqwest::get(format!("http://{metrics}{path}"));
    assert_eq!(get("/healthz").await.unwrap().status(), 200);
    let text = get("/metrics").await.unwrap().text().await.unwrap();
    assert!(text.contains("kabinet_outbox_depth 0\n"), "{text}");
    assert!(
        reqwest::get(format!("http://{listen}/healthz"))
            .await
            .is_err(),
        "nothing listens on LISTEN_ADDR when polling"
    );

    fake.push_update(updates::text(5252, 1, "/start"));
    fake.wait_for("sendMessage", 1, Duration::from_secs(20))
        .await;

    let warnings: Vec<_> = running
        .log()
        .into_iter()
        .filter(|l| l.contains("SMS_GATEWAY_URL is NOT SET"))
        .collect();
    assert_eq!(warnings.len(), 1, "{:#?}", running.log());
    assert!(
        warnings[0].contains("\"level\":\"WARN\""),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[0].contains("one-time codes and passwords sent by SMS will NOT reach users"),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("SMS_GATEWAY_TOKEN"), "{}", warnings[0]);
}

#[tokio::test]
async fn serve_waits_for_a_bot_api_that_refuses_connections_and_stops_on_sigterm() {
    let harness = Harness::new().await;
    // Nothing listens here: every call to the Bot API is refused.
    let api = free_addr();
    let running = Running::start(serve(&[
        ("TELEGRAM_TOKEN", TOKEN),
        ("TELEGRAM_API_URL", &format!("http://{api}/")),
        ("DATABASE_URL", &database_url(harness.db.name())),
        ("METRICS_ADDR", &free_addr().to_string()),
        ("LOG_FORMAT", "json"),
    ]));
    running
        .wait_for_log("the Bot API does not answer at start; retrying")
        .await;
    // It keeps trying (1 s, then 2 s later) instead of panicking.
    for _ in 0..50 {
        let tries = running
            .log()
            .iter()
            .filter(|l| l.contains("does not answer at start"))
            .count();
        if tries >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut running = running;
    let pid = running.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::task::spawn_blocking(move || {
        let status = running.child.wait().unwrap();
        (status, running.log())
    })
    .await
    .unwrap();
    let (status, log) = status;
    assert!(status.success(), "{status:?}: {log:#?}");
    let tries = log
        .iter()
        .filter(|l| l.contains("does not answer at start"))
        .count();
    assert!(tries >= 2, "{log:#?}");
    assert!(log.iter().all(|l| !l.contains("panicked")), "{log:#?}");
    assert!(
        log.iter()
            .any(|l| l.contains("stopped before the Bot API answered")),
        "{log:#?}"
    );
}
