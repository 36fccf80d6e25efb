//! Kabinet: the Telegram self-service channel of an electricity retailer.

pub mod accounting;
pub mod app;
pub mod billing;
pub mod cached;
pub mod channels;
pub mod charts;
pub mod clock;
pub mod close;
pub mod config;
pub mod contact;
pub mod conversation;
pub mod credentials;
pub mod demo;
pub mod fonts;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod metrics;
pub mod notify;
pub mod outbox;
pub mod payments;
pub mod receipt;
pub mod sessions;
pub mod staff;
pub mod store;
pub mod web;
