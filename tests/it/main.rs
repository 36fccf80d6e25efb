//! One integration-test binary: a module per area.

mod close;
mod schema;
