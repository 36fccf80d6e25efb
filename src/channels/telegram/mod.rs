//! The Telegram channel: signed deep links for staff, update deduplication and per-chat
//! serialisation across processes.

pub mod chat_lock;
pub mod dedup;
pub mod deeplink;
