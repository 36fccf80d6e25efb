//! Helpers shared by the integration tests.

pub mod fake_bot_api;
