//! Plain records of generated data, one struct per table row, with natural keys instead of ids:
//! the generators know nothing of the store, and the store's bulk insert knows nothing of how
//! they were made.

use crate::billing::{AccountNumber, Category, Money, Period, ReadingSource, TariffKind, Zone};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// A rate of one category and zone, ₽ per kWh, valid on `[valid_from, valid_to)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TariffRecord {
    pub category: Category,
    pub zone: Zone,
    pub rate: Decimal,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// The Central Bank key rate, percent, from a date on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRateRecord {
    pub valid_from: NaiveDate,
    pub rate: Decimal,
}

/// A consumer's account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRecord {
    pub number: AccountNumber,
    pub holder: String,
    pub address: String,
    pub category: Category,
    /// Monthly ОДН volume, kWh (0 in a private house).
    pub odn_kwh: Decimal,
    /// Monthly norm, kWh.
    pub norm_kwh: Decimal,
    /// argon2 PHC string of the web-cabinet password, if the consumer has one.
    pub credential_hash: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A meter, attached to its account by number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeterRecord {
    pub account: AccountNumber,
    pub serial: String,
    pub tariff_kind: TariffKind,
    /// Integer digits on the display.
    pub digits: i16,
    pub installed_on: NaiveDate,
    pub verified_until: Option<NaiveDate>,
}

/// One zone's reading of a meter, attached to the meter by serial.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingRecord {
    pub meter_serial: String,
    pub zone: Zone,
    pub value: Decimal,
    /// The billing month the reading counts for.
    pub period: Period,
    pub taken_on: NaiveDate,
    pub source: ReadingSource,
}

/// How a payment reached the company.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaymentSource {
    /// Through the card gateway.
    Card,
    /// A bank transfer or a bank's app (by the receipt's QR code).
    Bank,
}

impl PaymentSource {
    /// The name stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            PaymentSource::Card => "card",
            PaymentSource::Bank => "bank",
        }
    }
}

/// A payment "for everything" (no service chosen), attached to its account by number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRecord {
    pub account: AccountNumber,
    pub amount: Money,
    pub paid_at: DateTime<Utc>,
    pub source: PaymentSource,
    /// The payment's natural key, `seed-<account>-<YYYY-MM of the bill>-<part>`: seeded payments
    /// are stored with it as their gateway order id, which is UNIQUE, so a rerun inserts nothing.
    pub order_id: String,
}

/// The company-wide reference data: rates and key rates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Company {
    pub tariffs: Vec<TariffRecord>,
    pub key_rates: Vec<KeyRateRecord>,
}

/// Accounts with everything that hangs off them, inserted together.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Batch {
    pub accounts: Vec<AccountRecord>,
    pub meters: Vec<MeterRecord>,
    pub readings: Vec<ReadingRecord>,
    pub payments: Vec<PaymentRecord>,
}
