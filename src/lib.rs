//! Kabinet: the Telegram self-service channel of an electricity retailer.

pub mod billing;
pub mod config;
pub mod staff;
pub mod store;
