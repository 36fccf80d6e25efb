//! Column values ↔ domain types. A stored value that breaks a domain rule is [`StoreError::Corrupt`]:
//! the constraints should make that impossible, so it means someone wrote around the store.

use super::{StoreError, StoreResult};
use crate::billing::{Money, Period};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::fmt::Display;
use std::str::FromStr;

/// A period is stored as the DATE of its first day.
pub(crate) fn period(date: NaiveDate) -> StoreResult<Period> {
    if date.day() != 1 {
        return Err(StoreError::Corrupt(format!(
            "period {date} is not the first day of a month"
        )));
    }
    Ok(Period::of(date))
}

/// Money is stored as NUMERIC(14,2): more than two decimals means it was not written by us.
pub(crate) fn money(value: Decimal) -> StoreResult<Money> {
    let money = Money::from_decimal(value);
    if money.amount() != value {
        return Err(StoreError::Corrupt(format!(
            "amount {value} has fractions of a kopeck"
        )));
    }
    Ok(money)
}

/// A code column (service, zone, …) parsed into its enum.
pub(crate) fn code<T>(column: &str, value: &str) -> StoreResult<T>
where
    T: FromStr,
    T::Err: Display,
{
    value
        .parse()
        .map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))
}

/// An optional code column.
pub(crate) fn code_opt<T>(column: &str, value: Option<&str>) -> StoreResult<Option<T>>
where
    T: FromStr,
    T::Err: Display,
{
    value.map(|v| code(column, v)).transpose()
}

/// A small integer column that must fit a narrower domain type.
pub(crate) fn narrow<T: TryFrom<i16>>(column: &str, value: i16) -> StoreResult<T> {
    T::try_from(value).map_err(|_| StoreError::Corrupt(format!("{column}: {value} out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::Zone;
    use rust_decimal_macros::dec;

    #[test]
    fn a_period_date_must_be_a_first_day() {
        let first = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(period(first).unwrap().to_string(), "2026-03");
        let mid = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert!(matches!(period(mid), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn money_with_fractions_of_a_kopeck_is_corrupt() {
        assert_eq!(money(dec!(12.30)).unwrap().amount(), dec!(12.30));
        assert!(matches!(money(dec!(12.305)), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn an_unknown_code_is_corrupt_and_named() {
        let err = code::<Zone>("readings.zone", "dusk").unwrap_err();
        assert!(err.to_string().contains("readings.zone"), "{err}");
    }
}
