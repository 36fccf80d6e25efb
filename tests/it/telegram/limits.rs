//! Telegram's pace: a burst of three to a chat goes at once, the fourth waits about a second;
//! a 429 is waited out as Telegram asks and counted; instances sharing Redis share the budget.

use std::time::{Duration, Instant};

use kabinet::channels::telegram::adapter::RETRY_AFTER;
use kabinet::channels::telegram::limiter::Limiter;

use super::live::Live;
use crate::support::fake_bot_api::updates;

const CHAT: i64 = 7100;

#[tokio::test]
async fn a_burst_of_three_goes_at_once_and_the_fourth_waits() {
    let live = Live::start(1, false).await;
    for i in 1..=4 {
        live.fake.push_update(updates::text(CHAT, i, "/menu"));
    }
    let sent = live
        .fake
        .wait_for("sendMessage", 4, Duration::from_secs(20))
        .await;
    let at: Vec<Instant> = sent.iter().map(|c| c.at).collect();
    assert!(
        at[2] - at[0] < Duration::from_millis(700),
        "three at once: {:?}",
        at[2] - at[0]
    );
    assert!(
        at[3] - at[0] >= Duration::from_millis(950),
        "the fourth waits for a token: {:?}",
        at[3] - at[0]
    );
    live.stop().await;
}

#[tokio::test]
async fn a_429_is_waited_out_as_telegram_asks_and_counted() {
    let live = Live::start(1, false).await;
    live.fake.rate_limit(Some("sendMessage"), 1, 1);
    let before = RETRY_AFTER.load(std::sync::atomic::Ordering::Relaxed);
    live.fake.push_update(updates::text(CHAT + 1, 1, "/start"));
    live.fake
        .wait_for("sendMessage", 1, Duration::from_secs(20))
        .await;
    let calls = live.fake.calls_to("sendMessage");
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[0].status, 429);
    assert_eq!(calls[1].status, 200);
    assert!(
        calls[1].at - calls[0].at >= Duration::from_millis(950),
        "retry_after honoured: {:?}",
        calls[1].at - calls[0].at
    );
    assert!(RETRY_AFTER.load(std::sync::atomic::Ordering::Relaxed) > before);
    let metrics = kabinet::metrics::Metrics::new().render(None);
    assert!(
        metrics.contains("kabinet_telegram_retry_after_total "),
        "{metrics}"
    );
    live.stop().await;
}

#[tokio::test]
async fn instances_sharing_redis_share_one_chat_budget() {
    let prefix = super::prefix();
    let one = Limiter::redis(super::redis().await, &prefix);
    let two = Limiter::redis(super::redis().await, &prefix);
    let start = Instant::now();
    one.wait(CHAT + 2).await;
    two.wait(CHAT + 2).await;
    one.wait(CHAT + 2).await;
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "{:?}",
        start.elapsed()
    );
    two.wait(CHAT + 2).await;
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "the fourth, on the other instance, waits: {:?}",
        start.elapsed()
    );
}
