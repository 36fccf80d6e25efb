//! The Telegram channel: updates into engine events and replies into native messages
//! (`adapter`, `inbound`, `render`), signed deep links for staff, the durable intake that
//! orders and deduplicates updates across processes (`intake`), and the `serve` loop (polling
//! or webhook).

pub mod adapter;
pub mod commands;
pub mod deeplink;
pub mod inbound;
pub mod intake;
pub mod limiter;
pub mod qr;
pub mod render;
pub mod serve;
