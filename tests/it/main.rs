//! One integration-test binary: a module per area.

mod schema;
mod support;
mod telegram;
