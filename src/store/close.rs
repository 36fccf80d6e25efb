//! Set-based loading and writing for period close.
//!
//! Closing a million accounts one query at a time would spend its life on round trips, so the
//! close works on batches of consecutive account ids: [`Store::load_close_batch`] runs one query
//! per table for the whole batch (ranges of account ids, `= ANY($1)` for the rest) and
//! [`Store::write_close_batch`] writes every charge line and close marker of the batch in one
//! transaction. The rows come back as small typed records, sorted so the caller can walk them
//! account by account; turning them into billing inputs is the close run's job, not SQL's.

/// `array_position` of a zone code column in the SQL array of [`ZONES`] (1-based): a small
/// integer decodes faster than text.
macro_rules! zone_index {
    ($column:literal) => {
        concat!(
            "array_position(ARRAY['total','day','night','peak','semi_peak'], ",
            $column,
            ")"
        )
    };
}
/// The same for a service code column and [`SERVICES`] (NULL stays NULL).
macro_rules! service_index {
    ($column:literal) => {
        concat!(
            "array_position(ARRAY['electricity','odn','penalty','other'], ",
            $column,
            ")"
        )
    };
}

mod load;
mod write;

use crate::billing::{Category, Money, Period, Service, TariffKind, Zone};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// What a batch load covers, besides the accounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchScope {
    /// The period being closed.
    pub period: Period,
    /// Readings and estimated charge lines are loaded from this period on (through `period`).
    pub history_from: Period,
    /// Charges and payments before this period are summed into opening amounts; from it on they
    /// come one by one (charges summed per period and service).
    pub ledger_from: Period,
    /// The IANA time zone whose calendar day a payment's timestamp falls on ("Europe/Moscow").
    pub time_zone: String,
}

/// An account to close.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloseAccount {
    pub id: i64,
    pub category: Category,
    pub odn_kwh: Decimal,
    pub norm_kwh: Decimal,
}

/// A meter in service during the period (installed before its end, not removed before its start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CloseMeter {
    pub id: i64,
    pub account_id: i64,
    pub kind: TariffKind,
    /// As stored; the close checks them when it builds the meter's spec.
    pub digits: i16,
    pub fraction_digits: i16,
}

/// The latest actual (not estimated) reading of a meter zone counted for a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActualReading {
    pub meter_id: i64,
    pub zone: Zone,
    pub period: Period,
    pub taken_on: NaiveDate,
    pub value: Decimal,
}

/// An electricity line billed by estimate in an earlier period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EstimatedLine {
    pub account_id: i64,
    pub zone: Zone,
    pub period: Period,
    pub line: i16,
    pub volume: Decimal,
}

/// What an account was charged for one service in one period. Before the ledger window, one
/// row per service sums everything and carries the period just before the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChargeSum {
    pub account_id: i64,
    pub period: Period,
    pub service: Service,
    pub amount: Money,
}

/// A payment inside the ledger window, or (in [`CloseBatch::opening_payments`]) the sum of an
/// account's payments for one service before it, dated the day before the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaymentIn {
    pub account_id: i64,
    /// The local day it was paid.
    pub date: NaiveDate,
    pub service: Option<Service>,
    pub amount: Money,
}

/// Everything a batch of accounts needs to close a period. Every list is sorted by account id
/// (readings by meter id), then as its doc says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloseBatch {
    /// The accounts of the batch not yet closed for the period, by id.
    pub accounts: Vec<CloseAccount>,
    /// By account, then meter id.
    pub meters: Vec<CloseMeter>,
    /// By meter, zone and period: the periods `history_from..=period`, plus, for a zone with no
    /// actual reading in `history_from..period`, its last actual reading before `history_from`.
    pub readings: Vec<ActualReading>,
    /// By account, zone, period and line: the periods `history_from..period`, plus the older
    /// ones since the last actual reading of any meter of the account.
    pub estimates: Vec<EstimatedLine>,
    /// By account, period and service: before `period` (older ones summed, see [`ChargeSum`]).
    pub charges: Vec<ChargeSum>,
    /// By account, then service (`None` first).
    pub opening_payments: Vec<PaymentIn>,
    /// By account and date: from the ledger window's first day to the period's last day.
    pub payments: Vec<PaymentIn>,
}

/// A charge line of one account, ready to be written.
pub type AccountLine = (i64, crate::billing::ChargeLine);

/// The small tables every batch shares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloseGlobals {
    pub tariffs: Vec<(Category, crate::billing::Rate)>,
    pub key_rates: Vec<crate::billing::KeyRate>,
}

/// Zone codes in the order of the SQL array of [`zone_index!`].
const ZONES: [Zone; 5] = [
    Zone::Total,
    Zone::Day,
    Zone::Night,
    Zone::Peak,
    Zone::SemiPeak,
];
/// Service codes likewise.
const SERVICES: [Service; 4] = [
    Service::Electricity,
    Service::Odn,
    Service::Penalty,
    Service::Other,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_orders_match_the_sql_arrays() {
        let zones: Vec<&str> = ZONES.iter().map(|z| z.code()).collect();
        assert_eq!(zones, ["total", "day", "night", "peak", "semi_peak"]);
        assert!(zone_index!("z").contains("ARRAY['total','day','night','peak','semi_peak']"));
        assert!(service_index!("s").contains("ARRAY['electricity','odn','penalty','other']"));
        let services: Vec<&str> = SERVICES.iter().map(|s| s.code()).collect();
        assert_eq!(services, ["electricity", "odn", "penalty", "other"]);
    }
}
