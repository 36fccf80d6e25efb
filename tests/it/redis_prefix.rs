//! `REDIS_PREFIX`: every key of a deployment starts with it, so two deployments (staging and
//! production, or two bots) sharing one Redis never see each other's sessions, locks or claims.

use std::collections::HashMap;
use std::sync::Arc;

use kabinet::clock::ManualClock;
use kabinet::config::Settings;
use kabinet::sessions::SessionStore;

use crate::support::fixed_now;

const CHAT: i64 = 4242;

fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// The settings of a deployment with Redis under `prefix`.
fn settings(prefix: &str) -> Settings {
    let vars: HashMap<&str, String> = [("REDIS_URL", redis_url()), ("REDIS_PREFIX", prefix.into())]
        .into_iter()
        .collect();
    Settings::from_lookup(|name| vars.get(name).cloned()).expect("valid settings")
}

async fn sessions(prefix: &str) -> Arc<dyn SessionStore> {
    let clock = Arc::new(ManualClock::new(fixed_now()));
    kabinet::app::sessions(&settings(prefix), clock)
        .await
        .expect("Redis at TEST_REDIS_URL or 127.0.0.1:6379")
}

async fn conn() -> redis::aio::ConnectionManager {
    let client = redis::Client::open(redis_url()).unwrap();
    redis::aio::ConnectionManager::new(client).await.unwrap()
}

#[tokio::test]
async fn two_prefixes_do_not_see_each_others_sessions() {
    let run = format!("test:{:016x}:", rand::random::<u64>());
    let (staging, production) = (format!("{run}staging:"), format!("{run}production:"));
    let a = sessions(&staging).await;
    let b = sessions(&production).await;

    a.save(CHAT, r#"{"flow":"help"}"#).await.unwrap();
    assert_eq!(b.load(CHAT).await.unwrap(), None, "production sees nothing");
    b.save(CHAT, r#"{"flow":"settings"}"#).await.unwrap();
    assert_eq!(
        a.load(CHAT).await.unwrap().as_deref(),
        Some(r#"{"flow":"help"}"#),
        "staging keeps its own"
    );
    b.clear(CHAT).await.unwrap();
    assert!(
        a.load(CHAT).await.unwrap().is_some(),
        "clearing is per prefix"
    );

    // The key is `<REDIS_PREFIX>v1:session:<chat>`.
    let mut conn = conn().await;
    let saved: Option<String> = redis::cmd("GET")
        .arg(format!("{staging}v1:session:{CHAT}"))
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(saved.as_deref(), Some(r#"{"flow":"help"}"#));
    a.clear(CHAT).await.unwrap();
}
