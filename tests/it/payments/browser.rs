//! The sandbox card page and the return page driven once in a real headless Chromium, through
//! chromedriver's W3C WebDriver protocol (a few JSON calls over reqwest; no client crate).
//! Skipped with a note when chromium or chromedriver is not installed (`.ci/run` installs both).

use super::{Env, listener, rub};
use kabinet::billing::Service;
use kabinet::payments::sandbox::{Sandbox, cards};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Option<Driver> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        for _ in 0..50 {
            if driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .await
                .is_ok()
            {
                return Some(driver);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        None
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let request = self.http.request(method, format!("{}{path}", self.base));
        let request = if body.is_null() {
            request
        } else {
            request.json(&body)
        };
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        answer["value"].clone()
    }
}

#[tokio::test]
async fn the_card_page_and_the_return_page_work_in_a_real_browser() {
    let Some(driver) = Driver::start().await else {
        eprintln!("chromedriver is not installed: the browser test is skipped");
        return;
    };
    let (listener, base) = listener().await;
    let sandbox = Arc::new(Sandbox::new(
        &base,
        &format!("{base}/pay/callback"),
        super::KEY,
    ));
    let env = Env::start(sandbox.clone(), Some(&sandbox), listener, base).await;
    let reg = env.order(vec![(Service::Penalty, rub(5_889))]).await;
    let profile = std::env::temp_dir().join(format!("kabinet-chromium-{}", rand::random::<u64>()));
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ];
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    all.push(format!("--user-data-dir={}", profile.display()));
    let session = driver
        .call(
            reqwest::Method::POST,
            "/session",
            json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"args": all}}}}),
        )
        .await;
    let sid = session["sessionId"].as_str().expect("a session").to_owned();
    let s = |p: &str| format!("/session/{sid}{p}");
    driver
        .call(
            reqwest::Method::POST,
            &s("/url"),
            json!({"url": reg.form_url}),
        )
        .await;
    for (field, value) in [("#pan", cards::PAID), ("#expiry", "12/30"), ("#cvc", "123")] {
        let el = driver
            .call(
                reqwest::Method::POST,
                &s("/element"),
                json!({"using": "css selector", "value": field}),
            )
            .await;
        let id = el
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned();
        driver
            .call(
                reqwest::Method::POST,
                &s(&format!("/element/{id}/value")),
                json!({"text": value}),
            )
            .await;
    }
    let banner = driver
        .call(
            reqwest::Method::POST,
            &s("/element"),
            json!({"using": "css selector", "value": "#test-mode"}),
        )
        .await;
    assert!(
        banner.is_object(),
        "the test-mode banner is on the card page"
    );
    let pay = driver
        .call(
            reqwest::Method::POST,
            &s("/element"),
            json!({"using": "css selector", "value": "#pay"}),
        )
        .await;
    let pay = pay
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    driver
        .call(
            reqwest::Method::POST,
            &s(&format!("/element/{pay}/click")),
            json!({}),
        )
        .await;
    let mut source = String::new();
    for _ in 0..50 {
        source = driver
            .call(reqwest::Method::GET, &s("/source"), Value::Null)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if source.contains("Оплата прошла успешно") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = driver
        .call(reqwest::Method::GET, &s("/url"), Value::Null)
        .await;
    driver
        .call(reqwest::Method::DELETE, &s(""), Value::Null)
        .await;
    let _ = std::fs::remove_dir_all(&profile);
    assert!(source.contains("Оплата прошла успешно"), "{source}");
    assert!(source.contains("58,89"), "{source}");
    assert!(
        url.as_str().unwrap().contains("/pay/return?orderId="),
        "{url}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let id = env.gateway_id(reg.order_id).await;
    assert_eq!(env.db.store.credits_of(&id).await.unwrap(), 1);
}
