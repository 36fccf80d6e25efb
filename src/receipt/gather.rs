//! Gathering a receipt from the store: the one place that reads what a receipt prints.

use super::{Line, MeterRow, Paid, Receipt, ReceiptError};
use crate::billing::{DueSchedule, Money, Period, Service};
use crate::config::Company;
use crate::store::Store;
use crate::store::accounts::Account;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

/// What a receipt depends on besides the store.
#[derive(Clone, Debug)]
pub struct ReceiptSettings {
    pub company: Company,
    pub due: DueSchedule,
    /// The company's time zone: a payment counts on its local day.
    pub zone: FixedOffset,
}

/// Whether a month of an account has a receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthCheck {
    /// Closed, with charges: its receipt can be made.
    Ready,
    /// This month or a later one: not closed yet, so no receipt.
    NotClosed,
    /// Before the account's first month with charges (`first`).
    BeforeAccount { first: Period },
    /// No charges that month (or none at all when `first` is `None`).
    NoCharges,
}

/// The months of an account that have a receipt, newest first.
pub async fn months_with_receipts(
    store: &Store,
    account: &Account,
) -> Result<Vec<Period>, ReceiptError> {
    Ok(store.charged_months(account.id).await?)
}

/// Sorts a month asked for into [`MonthCheck`], given the account's months with receipts
/// (newest first) and today.
pub fn check_month(months: &[Period], asked: Period, today: NaiveDate) -> MonthCheck {
    if asked >= Period::of(today) {
        return MonthCheck::NotClosed;
    }
    if months.contains(&asked) {
        return MonthCheck::Ready;
    }
    match months.last() {
        Some(&first) if asked < first => MonthCheck::BeforeAccount { first },
        _ => MonthCheck::NoCharges,
    }
}

/// The receipt of `account` for `period`; `None` when the month has no charges.
pub async fn gather(
    store: &Store,
    settings: &ReceiptSettings,
    account: &Account,
    period: Period,
) -> Result<Option<Receipt>, ReceiptError> {
    let charges = store.charges_of(account.id, period).await?;
    if charges.is_empty() {
        return Ok(None);
    }
    let (mut lines, mut penalty) = (Vec::new(), Money::ZERO);
    for c in charges {
        if c.service == Service::Penalty {
            penalty = penalty + c.amount;
            continue;
        }
        lines.push(Line {
            service: c.service,
            zone: c.zone,
            volume: c.volume,
            rate: c.rate,
            amount: c.amount,
            estimated: c.estimated,
        });
    }
    let start = local_midnight(period.first_day(), settings.zone);
    let end = local_midnight(period.next().first_day(), settings.zone);
    let opening = Money::from_decimal(store.opening_balance(account.id, period, start).await?);
    let payments = store
        .payments_between(account.id, start, end)
        .await?
        .into_iter()
        .map(|p| Paid {
            date: p.paid_at.with_timezone(&settings.zone).date_naive(),
            amount: p.amount,
            source: p.source,
        })
        .collect();
    let mut meters = Vec::new();
    for meter in store.meters_of(account.id).await? {
        let active = meter.installed_on <= period.last_day()
            && meter.removed_on.is_none_or(|d| d >= period.first_day());
        if !active {
            continue;
        }
        let readings = store.zone_readings(meter.id, period).await?;
        for &zone in meter.zones() {
            let found = readings.iter().find(|r| r.zone == zone);
            meters.push(MeterRow {
                serial: meter.serial.clone(),
                zone,
                previous: found.and_then(|r| r.previous),
                current: found.and_then(|r| r.current),
            });
        }
    }
    Ok(Some(Receipt {
        supplier: settings.company.clone(),
        account: account.number.clone(),
        holder: account.holder.clone(),
        address: account.address.clone(),
        period,
        lines,
        penalty,
        meters,
        opening,
        payments,
        due_date: settings.due.due_date(period),
    }))
}

/// The first instant of a local day.
fn local_midnight(day: NaiveDate, zone: FixedOffset) -> DateTime<Utc> {
    zone.from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn a_month_is_sorted_by_what_can_be_said_of_it() {
        let months = [p("2026-10"), p("2026-09"), p("2026-07")];
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(check_month(&months, p("2026-09"), today), MonthCheck::Ready);
        assert_eq!(
            check_month(&months, p("2026-11"), today),
            MonthCheck::NotClosed
        );
        assert_eq!(
            check_month(&months, p("2027-01"), today),
            MonthCheck::NotClosed
        );
        assert_eq!(
            check_month(&months, p("2026-08"), today),
            MonthCheck::NoCharges
        );
        assert_eq!(
            check_month(&months, p("2025-01"), today),
            MonthCheck::BeforeAccount {
                first: p("2026-07")
            }
        );
        assert_eq!(check_month(&[], p("2025-01"), today), MonthCheck::NoCharges);
    }
}
