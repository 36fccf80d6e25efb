//! Notices through the real teloxide client against the fake Bot API: two instances send each
//! once at one shared pace, a 403 marks the chat, a 429 is waited out.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use kabinet::channels::telegram::limiter::Limiter;
use kabinet::clock::ManualClock;
use kabinet::i18n::I18n;
use kabinet::notify::{self, NotifySettings};
use kabinet::outbox::{Senders, TelegramSender, Worker};
use kabinet::store::Store;
use kabinet::store::chats;
use kabinet::store::testing::TestDb;

use super::{account, day, link, msk, number};
use crate::support::fake_bot_api::FakeBotApi;

/// An instance's worker: its own client and its own connection to the shared limiter.
async fn instance(store: &Store, fake: &FakeBotApi, prefix: &str, per_sec: u32) -> Worker {
    let limiter = Limiter::redis(crate::telegram::redis().await, prefix)
        .overall(per_sec)
        .steady();
    let sender = TelegramSender::new(fake.bot()).with_limiter(Arc::new(limiter));
    Worker::new(
        store.clone(),
        Arc::new(I18n::new().unwrap()),
        Senders {
            telegram: Arc::new(sender),
            ..Senders::default()
        },
        Arc::new(ManualClock::new(Utc::now() + chrono::Duration::seconds(1))),
    )
}

/// Queues the readings reminders of `chats` chats, one account each.
async fn reminders(store: &Store, first_chat: i64, chats: u32) {
    for n in 1..=chats {
        let id = account(store, n).await;
        link(store, first_chat + i64::from(n), id).await;
    }
    let report = notify::run(
        store,
        &NotifySettings::default(),
        day("2026-11-15"),
        msk("2026-11-15", 10, 0),
        false,
    )
    .await
    .unwrap();
    assert_eq!(report.counts.queued, u64::from(chats));
}

async fn drain(worker: &Worker, store: &Store) {
    while store.outbox_depth().await.unwrap() > 0 {
        let pass = worker.run_once().await.unwrap();
        if pass.delivered + pass.failed + pass.dead + pass.lost == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[tokio::test]
async fn two_instances_send_each_notice_once_at_one_shared_pace() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let fake = FakeBotApi::start().await;
    reminders(store, 11_000, 20).await;
    let prefix = crate::telegram::prefix();
    let (one, two) = (
        instance(store, &fake, &prefix, 10).await,
        instance(store, &fake, &prefix, 10).await,
    );
    tokio::time::timeout(Duration::from_secs(30), async {
        tokio::join!(drain(&one, store), drain(&two, store))
    })
    .await
    .expect("sent within 30 s");
    let calls = fake.calls_to("sendMessage");
    let mut chats: Vec<i64> = calls.iter().filter_map(|c| c.i64("chat_id")).collect();
    chats.sort_unstable();
    assert_eq!(chats, (11_001..=11_020).collect::<Vec<i64>>(), "each once");
    // Each names its account and offers to send readings for it.
    for call in &calls {
        let n = u32::try_from(call.i64("chat_id").unwrap() - 11_000).unwrap();
        let text = call.str("text").unwrap();
        assert!(text.contains(&number(n)), "{text}");
        let markup = call.params["reply_markup"].to_string();
        assert!(
            markup.contains(&format!("go:readings:{}", number(n))),
            "{markup}"
        );
    }
    // 10 a second between both instances: 20 take about two seconds, and no second holds
    // more than 10 (one more for the jitter of arrival).
    let at: Vec<std::time::Instant> = calls.iter().map(|c| c.at).collect();
    assert!(
        at[19] - at[0] >= Duration::from_millis(1700),
        "{:?}",
        at[19] - at[0]
    );
    for (i, first) in at.iter().enumerate() {
        let within = at[i..]
            .iter()
            .take_while(|t| t.duration_since(*first) < Duration::from_secs(1))
            .count();
        assert!(within <= 11, "{within} sends within a second");
    }
    let status = store.notice_status().await.unwrap();
    assert_eq!(status.len(), 1);
    assert_eq!((status[0].state.as_str(), status[0].count), ("sent", 20));
}

#[tokio::test]
async fn a_403_marks_the_chat_and_the_notice_fails() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let fake = FakeBotApi::start().await;
    reminders(store, 12_000, 2).await;
    fake.block(12_001);
    let worker = instance(store, &fake, &crate::telegram::prefix(), 30).await;
    drain(&worker, store).await;
    assert!(chats::is_blocked(store.pool(), 12_001).await.unwrap());
    assert!(!chats::is_blocked(store.pool(), 12_002).await.unwrap());
    let calls = fake.calls_to("sendMessage");
    assert_eq!(calls.len(), 2, "a 403 is not retried: {calls:#?}");
    let states: Vec<(String, i64)> = store
        .notice_status()
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.state, r.count))
        .collect();
    assert_eq!(states, vec![("failed".into(), 1), ("sent".into(), 1)]);
}

#[tokio::test]
async fn a_429_is_waited_out_and_the_notice_sent() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let fake = FakeBotApi::start().await;
    reminders(store, 13_000, 1).await;
    fake.rate_limit(Some("sendMessage"), 1, 1);
    let worker = instance(store, &fake, &crate::telegram::prefix(), 30).await;
    drain(&worker, store).await;
    let calls = fake.calls_to("sendMessage");
    assert_eq!(calls.len(), 2);
    assert_eq!((calls[0].status, calls[1].status), (429, 200));
    assert!(
        calls[1].at - calls[0].at >= Duration::from_millis(950),
        "retry_after honoured: {:?}",
        calls[1].at - calls[0].at
    );
    let status = store.notice_status().await.unwrap();
    assert_eq!((status[0].state.as_str(), status[0].count), ("sent", 1));
}
