//! One integration-test binary: a module per area.

mod locales;
mod schema;
