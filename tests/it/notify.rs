//! Notices the bot sends first: who gets a readings reminder, reruns and parallel runs queue
//! nothing twice, quiet hours, opt-outs per kind and account (and the sending side in
//! `notify_send`).

mod bills;
mod send;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kabinet::notify::{self, NotifySettings};
use kabinet::store::Store;
use kabinet::store::chats;
use kabinet::store::notices::Topic;
use kabinet::store::testing::TestDb;

/// Accounts created here get numbers 77990000000NN.
async fn account(store: &Store, n: u32) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (number, holder, address, category)
         VALUES ($1, 'Тестов Т. Т.', $2, 'urban') RETURNING id",
    )
    .bind(format!("77990000000{n:02}"))
    .bind(format!(
        "г. Энск, ул. {}, д. {n}",
        if n.is_multiple_of(2) {
            "Ленина"
        } else {
            "Мира"
        }
    ))
    .fetch_one(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO meters (account_id, serial, tariff_kind, digits, installed_on)
         VALUES ($1, $2, 'single', 5, DATE '2020-01-15')",
    )
    .bind(id)
    .bind(format!("T{n}"))
    .execute(store.pool())
    .await
    .unwrap();
    id
}

fn number(n: u32) -> String {
    format!("77990000000{n:02}")
}

async fn link(store: &Store, chat: i64, account: i64) {
    chats::ensure(store.pool(), chat).await.unwrap();
    chats::link(store.pool(), chat, account, 0).await.unwrap();
}

async fn reading(store: &Store, account: i64, taken_on: &str, source: &str) {
    sqlx::query(
        "INSERT INTO readings (meter_id, zone, value, period, taken_on, source)
         SELECT id, 'total', 100, date_trunc('month', $2::date)::date, $2::date, $3
         FROM meters WHERE account_id = $1",
    )
    .bind(account)
    .bind(taken_on.parse::<NaiveDate>().unwrap())
    .bind(source)
    .execute(store.pool())
    .await
    .unwrap();
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// `hh:mm` Moscow time on `date`.
fn msk(date: &str, hour: u32, minute: u32) -> DateTime<Utc> {
    chrono::FixedOffset::east_opt(3 * 3600)
        .unwrap()
        .from_local_datetime(&day(date).and_hms_opt(hour, minute, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

/// (recipient, account, template, next attempt) of every queued chat message, by account.
async fn queued(store: &Store) -> Vec<(String, String, String, DateTime<Utc>)> {
    sqlx::query_as(
        "SELECT recipient, payload->>'account', template, next_attempt_at FROM outbox
         ORDER BY payload->>'account', recipient",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn the_window_reminder_goes_to_exactly_the_accounts_without_a_reading() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let mut ids = Vec::new();
    for n in 1..=6 {
        ids.push(account(store, n).await);
    }
    for (i, id) in ids.iter().enumerate().take(5) {
        link(store, 5000 + i as i64, *id).await;
    }
    // 1: nothing; 2: sent one on the 10th (counts for November); 3: an estimate only;
    // 4: October's only; 5: sent one on the 20th — after the day the run is for, but a
    // reading for the month all the same (a replay of a past day); 6: nothing, no chat linked.
    reading(store, ids[1], "2026-11-10", "web").await;
    reading(store, ids[2], "2026-11-01", "estimate").await;
    reading(store, ids[3], "2026-10-20", "web").await;
    reading(store, ids[4], "2026-11-20", "chat").await;
    let settings = NotifySettings::default();
    let now = msk("2026-11-15", 10, 0);

    let dry = notify::run(store, &settings, day("2026-11-15"), now, true)
        .await
        .unwrap();
    let listed: Vec<(String, Option<i64>, String)> = dry
        .planned
        .iter()
        .map(|p| (p.account.clone(), p.chat_id, p.outcome.clone()))
        .collect();
    assert_eq!(
        listed,
        vec![
            (number(1), Some(5000), "queue".into()),
            (number(3), Some(5002), "queue".into()),
            (number(4), Some(5003), "queue".into()),
            (number(6), None, "no chat".into()),
        ]
    );
    assert!(queued(store).await.is_empty(), "a dry run queues nothing");

    let report = notify::run(store, &settings, day("2026-11-15"), now, false)
        .await
        .unwrap();
    assert_eq!(
        report.to_string(),
        "notices: 3 queued, 0 already sent, 0 skipped"
    );
    let sent = queued(store).await;
    let who: Vec<(&str, &str, &str)> = sent
        .iter()
        .map(|(chat, account, template, _)| (chat.as_str(), account.as_str(), template.as_str()))
        .collect();
    assert_eq!(
        who,
        vec![
            ("5000", number(1).as_str(), "notice-readings-open"),
            ("5002", number(3).as_str(), "notice-readings-open"),
            ("5003", number(4).as_str(), "notice-readings-open"),
        ]
    );

    // A rerun, the same day or later in the window, sends nothing twice.
    let again = notify::run(store, &settings, day("2026-11-16"), now, false)
        .await
        .unwrap();
    assert_eq!(
        again.to_string(),
        "notices: 0 queued, 3 already sent, 0 skipped"
    );
    assert_eq!(queued(store).await.len(), 3);
    // Two days before the end: the second reminder, to those still without a reading.
    let closing = notify::run(store, &settings, day("2026-11-23"), now, false)
        .await
        .unwrap();
    assert_eq!(closing.counts.queued, 3);
}

#[tokio::test]
async fn parallel_runs_queue_each_notice_once() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    for n in 1..=40 {
        let id = account(store, n).await;
        link(store, 6000 + i64::from(n), id).await;
    }
    let settings = NotifySettings::default();
    let now = msk("2026-11-15", 10, 0);
    let (a, b, c) = tokio::join!(
        notify::run(store, &settings, day("2026-11-15"), now, false),
        notify::run(store, &settings, day("2026-11-15"), now, false),
        notify::run(store, &settings, day("2026-11-15"), now, false),
    );
    let total: u64 = [a, b, c]
        .into_iter()
        .map(|r| r.unwrap().counts.queued)
        .sum();
    assert_eq!(total, 40);
    assert_eq!(queued(store).await.len(), 40);
}

#[tokio::test]
async fn what_falls_in_quiet_hours_waits_for_nine_and_a_batch_is_spread() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    for n in 1..=3 {
        let id = account(store, n).await;
        link(store, 7000 + i64::from(n), id).await;
    }
    let settings = NotifySettings {
        per_sec: 2.0,
        ..NotifySettings::default()
    };
    // 22:30 in Moscow: everything waits for 09:00 the next morning, half a second apart.
    notify::run(
        store,
        &settings,
        day("2026-11-15"),
        msk("2026-11-15", 22, 30),
        false,
    )
    .await
    .unwrap();
    let mut at: Vec<DateTime<Utc>> = queued(store).await.into_iter().map(|q| q.3).collect();
    at.sort();
    let nine = msk("2026-11-16", 9, 0);
    assert_eq!(
        at,
        vec![
            nine,
            nine + chrono::Duration::milliseconds(500),
            nine + chrono::Duration::milliseconds(1000)
        ]
    );
}

#[tokio::test]
async fn a_chat_turns_a_kind_off_for_one_account_only() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let (flat, dacha) = (account(store, 1).await, account(store, 2).await);
    link(store, 8000, flat).await;
    link(store, 8000, dacha).await;
    // Another chat of the same account keeps its reminders.
    link(store, 8001, dacha).await;
    store
        .set_topic(8000, dacha, Topic::Readings, false)
        .await
        .unwrap();
    // Off and on again is on; off for receipts does not touch readings.
    store
        .set_topic(8000, flat, Topic::Readings, false)
        .await
        .unwrap();
    store
        .set_topic(8000, flat, Topic::Readings, true)
        .await
        .unwrap();
    store
        .set_topic(8000, flat, Topic::Receipt, false)
        .await
        .unwrap();
    assert_eq!(
        store.topics_off(8000, flat).await.unwrap(),
        vec![Topic::Receipt]
    );
    let settings = NotifySettings::default();
    let report = notify::run(
        store,
        &settings,
        day("2026-11-15"),
        msk("2026-11-15", 10, 0),
        false,
    )
    .await
    .unwrap();
    assert_eq!(
        report.to_string(),
        "notices: 2 queued, 0 already sent, 1 skipped"
    );
    let who: Vec<(String, String)> = queued(store)
        .await
        .into_iter()
        .map(|(chat, account, _, _)| (chat, account))
        .collect();
    assert_eq!(
        who,
        vec![("8000".into(), number(1)), ("8001".into(), number(2))]
    );
    let status = store.notice_status().await.unwrap();
    let states: Vec<(&str, i64)> = status.iter().map(|r| (r.state.as_str(), r.count)).collect();
    assert_eq!(states, vec![("queued", 2), ("skipped: opted_out", 1)]);
}

#[tokio::test]
async fn a_blocked_chat_is_skipped_until_it_writes_again() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let id = account(store, 1).await;
    link(store, 9000, id).await;
    assert!(chats::block(store.pool(), 9000).await.unwrap());
    let settings = NotifySettings::default();
    let now = msk("2026-11-15", 10, 0);
    let report = notify::run(store, &settings, day("2026-11-15"), now, false)
        .await
        .unwrap();
    assert_eq!(
        report.to_string(),
        "notices: 0 queued, 0 already sent, 1 skipped"
    );
    assert!(chats::unblock(store.pool(), 9000).await.unwrap());
    assert!(!chats::is_blocked(store.pool(), 9000).await.unwrap());
    // The skipped reminder stays skipped (its key is taken); the next one goes.
    let closing = notify::run(store, &settings, day("2026-11-23"), now, false)
        .await
        .unwrap();
    assert_eq!(
        closing.to_string(),
        "notices: 1 queued, 0 already sent, 0 skipped"
    );
}

#[tokio::test]
async fn one_instance_leads_the_scheduler_until_it_lets_go() {
    let db = TestDb::new().await.unwrap();
    let store = &db.store;
    let id = account(store, 1).await;
    link(store, 9300, id).await;
    let settings = NotifySettings::default();
    let clock = kabinet::clock::ManualClock::new(msk("2026-11-15", 10, 0));
    let (mut one, mut two) = (None, None);
    use kabinet::notify::leader::tick;
    assert!(
        tick(store, &settings, &clock, &mut one).await,
        "the first leads"
    );
    assert!(
        !tick(store, &settings, &clock, &mut two).await,
        "the second waits"
    );
    assert!(
        tick(store, &settings, &clock, &mut one).await,
        "the leader stays"
    );
    assert_eq!(queued(store).await.len(), 1, "its runs queue once");
    one.take().unwrap().release().await.unwrap();
    assert!(
        tick(store, &settings, &clock, &mut two).await,
        "then the other takes over"
    );
    assert_eq!(queued(store).await.len(), 1);
}
