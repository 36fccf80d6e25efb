//! The Telegram channel: updates into engine events and replies into native messages
//! (`adapter`, `inbound`, `render`), signed deep links for staff, update deduplication and
//! per-chat serialisation across processes, and the `serve` loop (polling or webhook).

pub mod adapter;
pub mod chat_lock;
pub mod commands;
pub mod dedup;
pub mod deeplink;
pub mod inbound;
pub mod limiter;
pub mod qr;
pub mod render;
pub mod serve;
