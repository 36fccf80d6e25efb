//! The rate a penalty is computed with: the Central Bank key rate, capped by dated rules.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// The key rate in percent from `valid_from` on (until the next entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyRate {
    pub valid_from: NaiveDate,
    pub percent: Decimal,
}

/// The Central Bank key rate history, as the `key_rates` table holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyRates {
    /// Ordered by `valid_from`, no two on one date.
    entries: Vec<KeyRate>,
}

/// An upper bound on the rate for rate dates before `until` (ПП РФ 474: 9.5 % until 2027).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateCap {
    pub until: NaiveDate,
    pub percent: Decimal,
}

/// Rates that cannot be used, or a date no rate covers.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RateError {
    #[error("a key rate is a percent above 0 and below 100, not {0}")]
    OutOfRange(Decimal),
    #[error("two key rates start on {0}")]
    DuplicateDate(NaiveDate),
    #[error("no key rate is known on {0}")]
    Unknown(NaiveDate),
}

impl KeyRates {
    /// Validates and orders the history (any input order).
    pub fn new(mut entries: Vec<KeyRate>) -> Result<KeyRates, RateError> {
        if let Some(bad) = entries
            .iter()
            .find(|e| e.percent <= Decimal::ZERO || e.percent >= Decimal::ONE_HUNDRED)
        {
            return Err(RateError::OutOfRange(bad.percent));
        }
        entries.sort_by_key(|e| e.valid_from);
        if let Some(w) = entries
            .windows(2)
            .find(|w| w[0].valid_from == w[1].valid_from)
        {
            return Err(RateError::DuplicateDate(w[0].valid_from));
        }
        Ok(KeyRates { entries })
    }

    pub fn entries(&self) -> &[KeyRate] {
        &self.entries
    }

    /// The key rate in force on `date`, if the history reaches back that far.
    pub fn on(&self, date: NaiveDate) -> Option<Decimal> {
        let after = self.entries.partition_point(|e| e.valid_from <= date);
        after.checked_sub(1).map(|i| self.entries[i].percent)
    }
}

/// The rate table penalties use: key rates and the caps in force over them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PenaltyRates {
    key_rates: KeyRates,
    caps: Vec<RateCap>,
}

impl PenaltyRates {
    /// The key rate as it stood on 27 February 2022, the ceiling until 1 January 2027.
    pub const CAP_PERCENT: Decimal = dec!(9.5);

    /// The cap of ПП РФ 474 (as extended): 9.5 % for rate dates before 1 January 2027.
    pub fn legal_caps() -> Vec<RateCap> {
        vec![RateCap {
            until: NaiveDate::from_ymd_opt(2027, 1, 1).expect("valid date"),
            percent: PenaltyRates::CAP_PERCENT,
        }]
    }

    /// Key rates under the legal caps.
    pub fn new(key_rates: KeyRates) -> PenaltyRates {
        PenaltyRates::with_caps(key_rates, PenaltyRates::legal_caps())
    }

    /// Key rates under other caps (none: the bare key rate).
    pub fn with_caps(key_rates: KeyRates, caps: Vec<RateCap>) -> PenaltyRates {
        PenaltyRates { key_rates, caps }
    }

    pub fn key_rates(&self) -> &KeyRates {
        &self.key_rates
    }

    /// The percent to compute a penalty with when the rate is taken on `date` (the payment day,
    /// or "today" for a debt still unpaid): the key rate then, lowered to every cap in force.
    pub fn rate_on(&self, date: NaiveDate) -> Result<Decimal, RateError> {
        let key = self.key_rates.on(date).ok_or(RateError::Unknown(date))?;
        Ok(self
            .caps
            .iter()
            .filter(|c| date < c.until)
            .fold(key, |rate, c| rate.min(c.percent)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rates() -> KeyRates {
        KeyRates::new(vec![
            KeyRate {
                valid_from: d(2026, 6, 1),
                percent: dec!(14),
            },
            KeyRate {
                valid_from: d(2025, 1, 1),
                percent: dec!(21),
            },
            KeyRate {
                valid_from: d(2027, 3, 1),
                percent: dec!(8.5),
            },
        ])
        .unwrap()
    }

    #[test]
    fn a_key_rate_holds_from_its_date_until_the_next_one() {
        let r = rates();
        assert_eq!(r.on(d(2024, 12, 31)), None);
        assert_eq!(r.on(d(2025, 1, 1)), Some(dec!(21)));
        assert_eq!(r.on(d(2026, 5, 31)), Some(dec!(21)));
        assert_eq!(r.on(d(2026, 6, 1)), Some(dec!(14)));
        assert_eq!(r.on(d(2030, 1, 1)), Some(dec!(8.5)));
    }

    #[test]
    fn the_rate_is_capped_at_9_5_until_2027_and_the_key_rate_counts_after() {
        let r = PenaltyRates::new(rates());
        assert_eq!(r.rate_on(d(2026, 1, 15)), Ok(dec!(9.5)));
        assert_eq!(r.rate_on(d(2026, 12, 31)), Ok(dec!(9.5)));
        assert_eq!(r.rate_on(d(2027, 1, 1)), Ok(dec!(14)));
        assert_eq!(r.rate_on(d(2027, 3, 1)), Ok(dec!(8.5)));
    }

    #[test]
    fn a_key_rate_below_the_cap_is_used_as_is() {
        let low = KeyRates::new(vec![KeyRate {
            valid_from: d(2020, 1, 1),
            percent: dec!(4.25),
        }])
        .unwrap();
        assert_eq!(
            PenaltyRates::new(low).rate_on(d(2026, 1, 1)),
            Ok(dec!(4.25))
        );
    }

    #[test]
    fn without_caps_the_bare_key_rate_applies() {
        let r = PenaltyRates::with_caps(rates(), vec![]);
        assert_eq!(r.rate_on(d(2026, 1, 15)), Ok(dec!(21)));
    }

    #[test]
    fn a_date_before_the_history_has_no_rate() {
        let r = PenaltyRates::new(rates());
        assert_eq!(
            r.rate_on(d(2024, 6, 1)),
            Err(RateError::Unknown(d(2024, 6, 1)))
        );
    }

    #[test]
    fn unusable_key_rates_are_refused() {
        let at = |percent| KeyRate {
            valid_from: d(2025, 1, 1),
            percent,
        };
        assert_eq!(
            KeyRates::new(vec![at(dec!(0))]),
            Err(RateError::OutOfRange(dec!(0)))
        );
        assert_eq!(
            KeyRates::new(vec![at(dec!(100))]),
            Err(RateError::OutOfRange(dec!(100)))
        );
        assert_eq!(
            KeyRates::new(vec![at(dec!(16)), at(dec!(17))]),
            Err(RateError::DuplicateDate(d(2025, 1, 1)))
        );
    }
}
