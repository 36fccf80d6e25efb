//! The monthly receipt (ЕПД): its data, gathered from the store in one place ([`gather`]),
//! the GOST R 56042-2014 payment string of its QR code ([`payment_string`]), its one-page PDF
//! ([`render`]) and the kept copy of a closed month's PDF ([`obtain`]).
//!
//! [`Receipt`] is plain data: rendering and the payment string read nothing else, so they are
//! pure and tested without a database.

mod batch;
mod cache;
mod draw;
mod gather;
mod pdf;
mod qr;
mod text;

pub use batch::{BatchError, BatchReport, write_month};
pub use cache::{Obtained, obtain};
pub use gather::{MonthCheck, ReceiptSettings, check_month, gather, months_with_receipts};
pub use pdf::{RenderError, render};
pub use qr::{MANDATORY_MAX_BYTES, payment_string};

use crate::billing::{AccountNumber, Money, Period, Service, Zone};
use crate::config::Company;
use crate::store::payments::PaymentSource;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Everything a receipt of one account for one month prints.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    pub supplier: Company,
    pub account: AccountNumber,
    pub holder: String,
    pub address: String,
    pub period: Period,
    /// The month's charges but the penalty: individual use per zone (and tariff part), ОДН,
    /// other services, and recalculations (negative amounts), in the store's order.
    pub lines: Vec<Line>,
    /// The penalty charged this month (its own line on the receipt; `AddAmount` in the QR).
    pub penalty: Money,
    /// Previous and current readings per meter and zone.
    pub meters: Vec<MeterRow>,
    /// What was owed when the month began: positive a debt, negative an advance.
    pub opening: Money,
    /// Payments received in the month, by day.
    pub payments: Vec<Paid>,
    /// The day the bill falls due (the billing core's dated rule).
    pub due_date: NaiveDate,
}

/// One charge line.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub service: Service,
    pub zone: Option<Zone>,
    /// kWh.
    pub volume: Option<Decimal>,
    /// ₽ per kWh.
    pub rate: Option<Decimal>,
    pub amount: Money,
    /// Billed without a reading (by the average or the norm).
    pub estimated: bool,
}

impl Line {
    /// A negative line corrects an earlier month (a recalculation).
    pub fn is_recalculation(&self) -> bool {
        self.amount.is_negative()
    }
}

/// The readings of one zone of one meter that the month's volume comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct MeterRow {
    pub serial: String,
    pub zone: Zone,
    /// The last reading counted for an earlier month.
    pub previous: Option<Decimal>,
    /// The last reading counted for this month; `None` when the volume was estimated.
    pub current: Option<Decimal>,
}

/// A payment received in the month.
#[derive(Clone, Debug, PartialEq)]
pub struct Paid {
    pub date: NaiveDate,
    pub amount: Money,
    pub source: PaymentSource,
}

impl Receipt {
    /// Everything charged for the month, the penalty and recalculations included.
    pub fn charged(&self) -> Money {
        self.lines.iter().map(|l| l.amount).sum::<Money>() + self.penalty
    }

    /// Everything received in the month.
    pub fn paid(&self) -> Money {
        self.payments.iter().map(|p| p.amount).sum()
    }

    /// The balance at the end of the month: positive a debt, negative an advance.
    pub fn closing(&self) -> Money {
        self.opening + self.charged() - self.paid()
    }

    /// What the payer is asked to pay: the closing debt, or nothing after an advance.
    pub fn total_due(&self) -> Money {
        self.closing().max(Money::ZERO)
    }

    /// Whether any volume of the month was estimated.
    pub fn has_estimates(&self) -> bool {
        self.lines.iter().any(|l| l.estimated)
    }

    /// The file name the receipt is sent and saved under: `kvitanciya-7701000000017-2026-10.pdf`.
    pub fn file_name(account: &AccountNumber, period: Period) -> String {
        format!("kvitanciya-{account}-{period}.pdf")
    }
}

/// What can stop a receipt.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("the rendering task failed: {0}")]
    Task(String),
}

#[cfg(test)]
pub(crate) mod sample;
