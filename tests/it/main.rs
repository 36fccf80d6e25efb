//! One integration-test binary: a module per area.

mod accounting;
mod accounts;
mod attempts;
mod chats;
mod close;
mod config;
mod console;
mod dialogues;
mod engine;
mod identification;
mod locales;
mod outbox_smtp;
mod outbox_worker;
mod readings;
mod receipt;
mod redis_prefix;
mod schema;
mod seed;
mod settings;
mod store_accounts;

mod store_charges;
mod store_demo_db;
mod store_fixtures;
mod store_key_rates;
mod store_meters;
mod store_outbox;
mod store_payments;
mod store_readings;
mod store_tariffs;
mod support;
mod telegram;
mod trust;
