//! Channels: turn what arrives through a medium into engine events, and replies back.

pub mod console;
pub mod telegram;
