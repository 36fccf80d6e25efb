//! The billing core: pure domain rules. No IO, no async, no clock — "today" is always an argument.

pub mod balances;
pub mod due;
pub mod key_rates;
pub mod ledger;
pub mod money;
pub mod penalty;
pub mod period;
pub mod types;

pub use balances::{ALLOCATION_ORDER, Balances, suggest_payment};
pub use due::{DueDay, DueError, DueRule, DueSchedule};
pub use key_rates::{KeyRate, KeyRates, PenaltyRates, RateCap, RateError};
pub use ledger::{ChargeTotal, DebtPiece, Ledger, LedgerError, Payment, SettledBy, Settlement};
pub use money::Money;
pub use penalty::{DebtPart, penalty, penalty_between};
pub use period::Period;
pub use types::{AccountNumber, Category, ReadingSource, Service, TariffKind, Zone};
