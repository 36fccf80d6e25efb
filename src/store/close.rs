//! Set-based loading and writing for period close.
//!
//! Closing a million accounts one query at a time would spend its life on round trips, so the
//! close works on batches of consecutive account ids: [`Store::load_close_batch`] runs one query
//! per table for the whole batch (ranges of account ids, `= ANY($1)` for the rest, several at
//! once on separate connections) and
//! [`Store::write_close_batch`] writes every charge line and close marker of the batch in one
//! transaction. The rows come back as small typed records, sorted so the caller can walk them
//! account by account; turning them into billing inputs is the close run's job, not SQL's.

mod ledger;
mod load;
mod readings;
mod write;

pub use write::{CloseLock, CloseRun};

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

/// A charge of an account for one service in one period (several may share both). In
/// [`CloseBatch::opening_charges`], the sum of everything charged for the service before the
/// ledger window, carrying the period just before the window.
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
    /// By meter, zone and period: the last two periods and `period` for every meter; the
    /// periods from `history_from` for a meter with a zone not read in `period` or in those
    /// two; and for a zone with no actual reading in `history_from..period`, its last actual
    /// reading before `history_from`.
    pub readings: Vec<ActualReading>,
    /// By account, zone, period and line: for the accounts with a meter zone not read in the
    /// period before `period`, the lines since the oldest such zone's last actual reading.
    pub estimates: Vec<EstimatedLine>,
    /// By account, then service: one per service charged before `ledger_from`.
    pub opening_charges: Vec<ChargeSum>,
    /// By account, period and service: the charge lines of `ledger_from..period`.
    pub charges: Vec<ChargeSum>,
    /// By account, then service (`None` first). Not filled by [`Store::load_close_batch`]: see
    /// [`OpeningPayments::of`].
    pub opening_payments: Vec<PaymentIn>,
    /// By account and date: from the ledger window's first day to the period's last day.
    pub payments: Vec<PaymentIn>,
    /// The highest account id the batch covered, closed accounts included: the next batch
    /// starts after it. `None`: no account is left.
    pub last_id: Option<i64>,
}

/// The accounts already closed for a period when a run starts, by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClosedAccounts(pub Vec<i64>);

impl ClosedAccounts {
    pub fn contains(&self, account_id: i64) -> bool {
        self.0.binary_search(&account_id).is_ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Every account's payments before the ledger window, summed per service, dated the day before
/// the window; by account, then service (`None` first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpeningPayments(pub Vec<PaymentIn>);

impl OpeningPayments {
    /// Those of `accounts` (sorted by id).
    pub fn of(&self, accounts: &[CloseAccount]) -> Vec<PaymentIn> {
        let (Some(first), Some(last)) = (accounts.first(), accounts.last()) else {
            return Vec::new();
        };
        let start = self.0.partition_point(|p| p.account_id < first.id);
        let end = self.0.partition_point(|p| p.account_id <= last.id);
        self.0[start..end]
            .iter()
            .filter(|p| {
                accounts
                    .binary_search_by_key(&p.account_id, |a| a.id)
                    .is_ok()
            })
            .copied()
            .collect()
    }
}

/// A charge line of one account, ready to be written.
pub type AccountLine = (i64, crate::billing::ChargeLine);

/// The small tables every batch shares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloseGlobals {
    pub tariffs: Vec<(Category, crate::billing::Rate)>,
    pub key_rates: Vec<crate::billing::KeyRate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paid(account_id: i64, service: Option<Service>) -> PaymentIn {
        PaymentIn {
            account_id,
            date: NaiveDate::from_ymd_opt(2025, 9, 30).unwrap(),
            service,
            amount: Money::from_kopecks(100),
        }
    }

    fn account(id: i64) -> CloseAccount {
        CloseAccount {
            id,
            category: Category::Urban,
            odn_kwh: Decimal::ZERO,
            norm_kwh: Decimal::ZERO,
        }
    }

    #[test]
    fn a_batch_gets_the_opening_payments_of_its_own_accounts_only() {
        let opening = OpeningPayments(vec![
            paid(1, None),
            paid(3, None),
            paid(3, Some(Service::Electricity)),
            paid(4, None),
            paid(6, None),
        ]);
        let of = opening.of(&[account(3), account(5), account(6)]);
        let ids: Vec<i64> = of.iter().map(|p| p.account_id).collect();
        assert_eq!(ids, [3, 3, 6]);
        assert!(opening.of(&[]).is_empty());
    }
}
