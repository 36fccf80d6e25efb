//! The engine around the flows: sessions across restarts and expiry, the remembered language,
//! states that no longer decode, untrusted input.

use crate::support::{Harness, engine, fixed_now, typed};
use kabinet::clock::{Clock, ManualClock};
use kabinet::conversation::Event;
use kabinet::sessions::{DEFAULT_TTL, MemorySessions, RedisSessions, SessionStore};
use kabinet::store::chats;
use std::sync::Arc;
use std::time::Duration;

const CHAT: i64 = 42;

fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// A Redis session store of this test's own (a random prefix, so tests never share keys).
async fn redis_sessions() -> RedisSessions {
    let prefix = format!("kabinet-test-{:016x}:", rand::random::<u64>());
    RedisSessions::connect(&redis_url(), &prefix, DEFAULT_TTL)
        .await
        .expect("Redis at TEST_REDIS_URL or 127.0.0.1:6379")
}

fn refund() -> Event {
    Event::Button("help:refund".into())
}

fn says(lines: &[String], start: &str) -> bool {
    lines.iter().any(|l| l.starts_with(start))
}

#[tokio::test]
async fn a_redis_session_survives_a_restart() {
    let redis = redis_sessions().await;
    let clock = Arc::new(ManualClock::new(fixed_now()));
    let first = Harness::with_sessions(clock.clone(), Arc::new(redis.clone())).await;
    let topics = first.say(CHAT, typed("/help")).await;
    assert!(says(&topics, "Помощь. Выберите тему"), "{topics:?}");

    // A new process: a new engine and a new connection, the same Redis prefix.
    let again = RedisSessions::connect(&redis_url(), &redis_prefix(&redis), DEFAULT_TTL)
        .await
        .unwrap();
    let restarted = engine(&first.db, clock, Arc::new(again));
    let replies = restarted.handle(CHAT, refund()).await.unwrap();
    let lines = crate::support::transcript(&replies);
    assert!(says(&lines, "Оплата картой зачисляется"), "{lines:?}");
    redis.clear(CHAT).await.unwrap();
}

fn redis_prefix(redis: &RedisSessions) -> String {
    let key = redis.key(0);
    key.strip_suffix("v1:session:0")
        .expect("the key layout")
        .to_owned()
}

#[tokio::test]
async fn a_redis_session_key_is_prefixed_versioned_and_expires_when_idle() {
    let redis = redis_sessions().await;
    let clock = Arc::new(ManualClock::new(fixed_now()));
    let h = Harness::with_sessions(clock, Arc::new(redis.clone())).await;
    h.say(CHAT, typed("/help")).await;

    let key = redis.key(CHAT);
    assert!(key.starts_with("kabinet-test-"), "{key}");
    assert!(key.ends_with(":v1:session:42"), "{key}");
    let client = redis::Client::open(redis_url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("TTL")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!((86_000..=86_400).contains(&ttl), "TTL {ttl}");
    let saved: String = redis::cmd("GET")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(saved, r#"{"flow":"help","step":"topics"}"#);

    // Back at the menu, nothing is kept.
    h.say(CHAT, typed("/menu")).await;
    let exists: i64 = redis::cmd("EXISTS")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(exists, 0);
}

#[tokio::test]
async fn a_garbage_state_in_redis_falls_back_to_the_menu_with_an_apology() {
    let redis = redis_sessions().await;
    let clock = Arc::new(ManualClock::new(fixed_now()));
    let h = Harness::with_sessions(clock, Arc::new(redis.clone())).await;
    redis
        .save(CHAT, "{\"flow\":\"readings\",\"step\":{\"ask_value\":")
        .await
        .unwrap();

    let lines = h.say(CHAT, typed("5952")).await;
    assert!(says(&lines, "Извините, бот обновился"), "{lines:?}");
    assert!(
        says(&lines, "[Регистрация]"),
        "the menu's buttons: {lines:?}"
    );
    assert_eq!(redis.load(CHAT).await.unwrap(), None);
}

#[tokio::test]
async fn memory_sessions_expire_after_the_idle_time_by_the_injected_clock() {
    let clock = Arc::new(ManualClock::new(fixed_now()));
    let sessions = MemorySessions::new(Duration::from_secs(24 * 3600), clock.clone());
    sessions.save(CHAT, "a").await.unwrap();
    clock.advance(chrono::Duration::hours(23));
    assert_eq!(sessions.load(CHAT).await.unwrap().as_deref(), Some("a"));

    // Saving again restarts the idle time.
    sessions.save(CHAT, "b").await.unwrap();
    clock.advance(chrono::Duration::hours(23));
    assert_eq!(sessions.load(CHAT).await.unwrap().as_deref(), Some("b"));
    clock.advance(chrono::Duration::hours(1));
    assert_eq!(sessions.load(CHAT).await.unwrap(), None);
    assert!(clock.now() > fixed_now());
}

#[tokio::test]
async fn a_question_left_unanswered_for_a_day_is_forgotten() {
    let h = Harness::new().await;
    h.say(CHAT, typed("/help")).await;
    h.clock.advance(chrono::Duration::hours(25));
    let lines = h.say(CHAT, refund()).await;
    assert!(says(&lines, "Эта кнопка устарела"), "{lines:?}");
}

#[tokio::test]
async fn the_language_is_remembered_in_postgres() {
    let h = Harness::new().await;
    let lines = h.say(CHAT, typed("/lang en")).await;
    assert!(says(&lines, "Language: English"), "{lines:?}");
    let user = chats::ensure(h.db.store.pool(), CHAT).await.unwrap();
    assert_eq!(user.language, kabinet::i18n::Lang::En);

    // A restarted process with empty sessions still speaks English to this chat.
    let clock = Arc::new(ManualClock::new(fixed_now()));
    let sessions = Arc::new(MemorySessions::new(DEFAULT_TTL, clock.clone()));
    let restarted = engine(&h.db, clock, sessions);
    let replies = restarted.handle(CHAT, typed("/menu")).await.unwrap();
    assert!(replies[0].text.starts_with("Main menu"), "{replies:?}");
}

#[tokio::test]
async fn hostile_input_in_every_state_gets_an_answer_and_the_flow_goes_on() {
    let h = Harness::new().await;
    let nasty = [
        String::new(),
        "я".repeat(10_000),
        "\u{0}\u{7}\u{1b}[31m".into(),
        "😀👍🏽🇷🇺".into(),
        "'; DROP TABLE accounts; --".into(),
        "<b>*_[x](tg://user?id=1)_*</b>".into(),
        "\u{202e}txet\u{202c}".into(),
        "e\u{301}\u{301}\u{301}".into(),
    ];
    for opener in ["/menu", "/help", "/lang"] {
        for text in &nasty {
            h.say(CHAT, typed(opener)).await;
            let lines = h.say(CHAT, Event::Text(text.clone())).await;
            assert!(!lines.is_empty(), "no answer to {text:?} after {opener}");
            assert!(
                lines
                    .iter()
                    .all(|l| !l.contains(text.as_str()) || text.chars().count() < 3),
                "the bot echoed {text:?}: {lines:?}"
            );
        }
    }
    // Still usable: the language question answers its button.
    h.say(CHAT, typed("/lang")).await;
    h.say(CHAT, Event::Text("\u{0}".into())).await;
    let lines = h.say(CHAT, Event::Button("lang:en".into())).await;
    assert!(says(&lines, "Language: English"), "{lines:?}");
    let lines = h.say(CHAT, Event::Button("x".repeat(300))).await;
    assert!(says(&lines, "This button is out of date"), "{lines:?}");
}

fn any_event() -> impl proptest::strategy::Strategy<Value = Event> {
    use proptest::prelude::*;
    prop_oneof![
        any::<String>().prop_map(Event::Text),
        "\\PC{0,80}".prop_map(Event::Text),
        any::<String>().prop_map(Event::Button),
        (any::<String>(), any::<String>()).prop_map(|(name, args)| Event::Command { name, args }),
        proptest::option::of(any::<String>()).prop_map(|payload| Event::Start { payload }),
        (any::<String>(), any::<bool>()).prop_map(|(phone, owner_is_sender)| Event::Contact {
            phone,
            owner_is_sender
        }),
    ]
}

#[test]
fn arbitrary_events_in_any_state_are_answered_without_errors() {
    use proptest::test_runner::{Config, TestRunner};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let h = rt.block_on(Harness::new());
    let config = Config {
        cases: 96,
        failure_persistence: None,
        ..Config::default()
    };
    let openers = proptest::sample::select(vec!["/menu", "/help", "/lang"]);
    TestRunner::new(config)
        .run(&(openers, any_event()), |(opener, event)| {
            rt.block_on(async {
                h.engine.handle(CHAT, typed(opener)).await.unwrap();
                let replies = h.engine.handle(CHAT, event.clone()).await;
                let replies = replies.map_err(|e| {
                    proptest::test_runner::TestCaseError::fail(format!("{event:?}: {e}"))
                })?;
                proptest::prop_assert!(!replies.is_empty(), "no answer to {:?}", event);
                Ok(())
            })
        })
        .unwrap();
}
