//! The billing core: pure domain rules. No IO, no async, no clock — "today" is always an argument.

pub mod money;
pub mod period;
pub mod types;

pub use money::Money;
pub use period::Period;
pub use types::{AccountNumber, Category, ReadingSource, Service, TariffKind, Zone};
