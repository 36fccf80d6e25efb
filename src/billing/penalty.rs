//! Penalty (пени) for late payment of utility bills, ЖК РФ art. 155 p.14.
//!
//! Day 1 of lateness is the day after the due date. Days 1–30 are free; days 31–90 cost
//! debt × rate / 300 each; from day 91 on, debt × rate / 130 each; counted through the payment day
//! (or "today"). The rate is the one in force on the payment day (or today while unpaid), see
//! [`PenaltyRates`].
//!
//! Rounding: the penalty of one debt piece is summed exactly and rounded half-up once. A window of
//! days (one billing period) is charged as `round(accrued through its last day) − round(accrued
//! before its first day)`, so windows that follow one another add up to the one-shot penalty to the
//! kopeck (with an unchanged rate), and each day of lateness is charged in exactly one window.

use super::key_rates::{PenaltyRates, RateError};
use super::money::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// Days of lateness that cost nothing.
pub const FREE_DAYS: i64 = 30;
/// The last day charged at rate / 300; later days cost rate / 130.
pub const FIRST_BAND_LAST_DAY: i64 = 90;

/// `rate% / 300` and `rate% / 130` over one denominator: 100 × lcm(300, 130) = 390 000, so a
/// day of the first band weighs 13 and a day of the second 30. The numerator stays an exact decimal
/// and a piece's penalty needs a single division.
const DENOMINATOR: Decimal = dec!(390000);
const FIRST_BAND_WEIGHT: i64 = 13;
const SECOND_BAND_WEIGHT: i64 = 30;

/// The number of the day of lateness `date` is (1 = the day after `due`; 0 or less = not late).
pub fn day_of_lateness(due: NaiveDate, date: NaiveDate) -> i64 {
    (date - due).num_days()
}

/// The summed day weights of a debt that is late through `last_day` (see [`DENOMINATOR`]).
fn weight(due: NaiveDate, last_day: NaiveDate) -> i64 {
    let late = day_of_lateness(due, last_day);
    let first_band = late.clamp(FREE_DAYS, FIRST_BAND_LAST_DAY) - FREE_DAYS;
    let second_band = (late - FIRST_BAND_LAST_DAY).max(0);
    FIRST_BAND_WEIGHT * first_band + SECOND_BAND_WEIGHT * second_band
}

/// A part of one overdue debt: an amount and the day it was settled, `None` while it is owed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DebtPart {
    pub amount: Money,
    pub settled_on: Option<NaiveDate>,
}

/// The penalty accrued on the days `from..=through` by one debt piece due on `due`, made of
/// `parts` that together are the piece's amount. Each part accrues until its own settlement day
/// (or through `through` while unsettled) at the rate on that settlement day (or on `through`).
/// Parts of zero or negative amount accrue nothing.
///
/// The rate is looked up only for parts late beyond the free days, so old history needs no rate.
pub fn penalty_between(
    due: NaiveDate,
    parts: impl IntoIterator<Item = DebtPart>,
    from: NaiveDate,
    through: NaiveDate,
    rates: &PenaltyRates,
) -> Result<Money, RateError> {
    if from > through || day_of_lateness(due, through) <= FREE_DAYS {
        return Ok(Money::ZERO);
    }
    // The day before the window; a window from the first representable day starts with nothing.
    let before = from.pred_opt().unwrap_or(from);
    let (mut upto_through, mut upto_before) = (Decimal::ZERO, Decimal::ZERO);
    for part in parts {
        if !part.amount.is_positive() {
            continue;
        }
        let end = part.settled_on.map_or(through, |d| d.min(through));
        let w_through = weight(due, end);
        if w_through == 0 {
            continue;
        }
        let w_before = weight(due, part.settled_on.map_or(before, |d| d.min(before)));
        // Both sums price the part at the rate of this window's end for it, so their difference
        // is exactly this window's days.
        let base = part.amount.amount() * rates.rate_on(end)?;
        upto_through += base * Decimal::from(w_through);
        upto_before += base * Decimal::from(w_before);
    }
    Ok(Money::from_decimal(upto_through / DENOMINATOR)
        - Money::from_decimal(upto_before / DENOMINATOR))
}

/// The whole penalty on `amount` due on `due` and paid on `paid_on` (or still unpaid "today").
pub fn penalty(
    amount: Money,
    due: NaiveDate,
    paid_on: NaiveDate,
    rates: &PenaltyRates,
) -> Result<Money, RateError> {
    let part = DebtPart {
        amount,
        settled_on: Some(paid_on),
    };
    penalty_between(due, [part], NaiveDate::MIN, paid_on, rates)
}

#[cfg(test)]
mod tests;
