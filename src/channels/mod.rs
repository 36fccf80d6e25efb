//! Channels: the adapters that carry the conversation to people.

pub mod telegram;
