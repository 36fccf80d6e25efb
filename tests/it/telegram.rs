//! The Telegram channel: the durable intake across instances, the fake Bot API with the real client.

mod bot;
mod crash;
mod dispatch;
mod fake_api;
mod history;
mod instances;
mod limits;
mod live;
mod metrics;
mod pay;
mod qr;
mod serve_cmd;

use redis::aio::ConnectionManager;

/// A fresh connection (as another process would have) and a key prefix of this test's own.
pub(crate) async fn redis() -> ConnectionManager {
    let client = redis::Client::open("redis://127.0.0.1:6379/").expect("redis url");
    ConnectionManager::new(client)
        .await
        .expect("Redis at 127.0.0.1:6379")
}

pub(crate) fn prefix() -> String {
    format!("test:{:016x}:", rand::random::<u64>())
}
