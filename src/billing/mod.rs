//! The billing core: pure domain rules. No IO, no async, no clock — "today" is always an argument.

pub mod assess;
pub mod balances;
pub mod charge;
pub mod close;
pub mod consumption;
pub mod due;
pub mod estimate;
pub mod key_rates;
pub mod ledger;
pub mod money;
pub mod penalty;
pub mod period;
pub mod reading;
pub mod tariff;
pub mod types;
pub mod window;

pub use balances::{ALLOCATION_ORDER, Balances, suggest_payment};
pub use due::{DueDay, DueError, DueRule, DueSchedule};
pub use key_rates::{KeyRate, KeyRates, PenaltyRates, RateCap, RateError};
pub use ledger::{ChargeTotal, DebtPiece, Ledger, LedgerError, Payment, SettledBy, Settlement};
#[cfg(test)]
mod fixtures;

pub use assess::{Assessment, assess};
pub use charge::{ChargeLine, ZoneVolume};
pub use close::{
    AccountPeriodInput, CloseError, MeterInput, MeterReading, ZoneInput, close_account,
};
pub use consumption::{Consumption, MeterSpec, consumption};
pub use estimate::Basis;
pub use money::Money;
pub use penalty::{DebtPart, penalty, penalty_between};
pub use period::Period;
pub use reading::{ReadingError, parse_reading};
pub use tariff::{Rate, TariffError, TariffPart, TariffTable};
pub use types::{AccountNumber, Category, ReadingSource, Service, TariffKind, Zone};
pub use window::{Placement, ReadingWindow};
