//! One integration-test binary: a module per area.

mod chats;
mod console;
mod dialogues;
mod engine;
mod locales;
mod schema;
mod support;
