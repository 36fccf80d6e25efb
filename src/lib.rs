//! Kabinet: the Telegram self-service channel of an electricity retailer.

pub mod billing;
pub mod config;
pub mod demo;
pub mod staff;
pub mod store;
