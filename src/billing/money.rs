//! Money in roubles with kopeck precision. The one place where rounding is decided.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Neg, Sub};

/// An amount of roubles, always held rounded to the kopeck (2 decimal places).
///
/// Construct it with [`Money::from_decimal`] (rounds half-up) or [`Money::from_kopecks`].
/// Addition and subtraction of two rounded amounts are exact, so they need no rounding.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// Rounds any decimal half-up (away from zero on .5) to the kopeck: the house rounding rule.
    pub fn from_decimal(value: Decimal) -> Money {
        Money(value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
    }

    /// Whole kopecks, as the gateway and the payment QR code count them.
    pub fn from_kopecks(kopecks: i64) -> Money {
        Money(Decimal::new(kopecks, 2))
    }

    /// The amount in kopecks (the gateway's and the QR code's unit).
    pub fn kopecks(self) -> i64 {
        let k = self.0 * Decimal::ONE_HUNDRED;
        i64::try_from(k.trunc()).expect("money fits in i64 kopecks")
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn is_positive(self) -> bool {
        self.0 > Decimal::ZERO
    }

    pub fn is_negative(self) -> bool {
        self.0 < Decimal::ZERO
    }

    pub fn max(self, other: Money) -> Money {
        if self >= other { self } else { other }
    }

    pub fn min(self, other: Money) -> Money {
        if self <= other { self } else { other }
    }

    /// `quantity × price`, rounded once, half-up to the kopeck (one receipt line).
    pub fn line(quantity: Decimal, price: Decimal) -> Money {
        Money::from_decimal(quantity * price)
    }

    /// Splits `self` into parts proportional to `weights` so that the parts sum exactly to `self`:
    /// each part is rounded down to the kopeck and the remaining kopecks go one by one to the
    /// parts with the largest remainders (earlier parts first on ties).
    /// All-zero or empty weights give all-zero parts (empty for empty weights).
    pub fn allocate(self, weights: &[Decimal]) -> Vec<Money> {
        let total_weight: Decimal = weights.iter().copied().sum();
        if weights.is_empty() || total_weight.is_zero() {
            return vec![Money::ZERO; weights.len()];
        }
        let total = self.kopecks();
        let sign = if total < 0 { -1 } else { 1 };
        let total_abs = Decimal::from(total.abs());
        let mut parts: Vec<(i64, Decimal)> = weights
            .iter()
            .map(|w| {
                let exact = total_abs * *w / total_weight;
                let floor = exact.floor();
                (i64::try_from(floor).unwrap_or(0), exact - floor)
            })
            .collect();
        let mut rest = total.abs() - parts.iter().map(|p| p.0).sum::<i64>();
        let mut order: Vec<usize> = (0..parts.len()).collect();
        order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
        for i in order.into_iter().cycle() {
            if rest <= 0 {
                break;
            }
            parts[i].0 += 1;
            rest -= 1;
        }
        parts
            .into_iter()
            .map(|(k, _)| Money::from_kopecks(sign * k))
            .collect()
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + *b)
    }
}

/// Russian notation: `1 234,56 ₽` (narrow no-break space between thousands).
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.kopecks();
        let sign = if k < 0 { "−" } else { "" };
        let k = k.unsigned_abs();
        let (rub, kop) = (k / 100, k % 100);
        let digits = rub.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push('\u{a0}');
            }
            grouped.push(c);
        }
        write!(f, "{sign}{grouped},{kop:02}\u{a0}₽")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rounds_half_up_to_the_kopeck() {
        assert_eq!(Money::from_decimal(dec!(1.005)).amount(), dec!(1.01));
        assert_eq!(Money::from_decimal(dec!(1.0049)).amount(), dec!(1.00));
        assert_eq!(Money::from_decimal(dec!(-1.005)).amount(), dec!(-1.01));
    }

    #[test]
    fn allocation_parts_sum_to_the_whole() {
        let parts = Money::from_decimal(dec!(100)).allocate(&[dec!(1), dec!(1), dec!(1)]);
        assert_eq!(parts.iter().sum::<Money>(), Money::from_decimal(dec!(100)));
        assert_eq!(parts[0].amount(), dec!(33.34));
        assert_eq!(parts[1].amount(), dec!(33.33));
    }

    #[test]
    fn displays_in_russian_notation() {
        assert_eq!(
            Money::from_decimal(dec!(1234.5)).to_string(),
            "1\u{a0}234,50\u{a0}₽"
        );
        assert_eq!(Money::from_kopecks(7).to_string(), "0,07\u{a0}₽");
    }
}
