//! Kabinet: the Telegram self-service channel of an electricity retailer.

pub mod billing;
pub mod close;
pub mod store;
