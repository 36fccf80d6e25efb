//! A typed amount of money: `1500`, `1 500,50`, `1500.5`, `1500 ₽`, `1500 руб.`.

use crate::billing::Money;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Why a typed amount was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadAmount {
    NotANumber,
    Zero,
    Negative,
    /// More than two digits after the decimal point.
    Kopecks,
    /// Above the configured maximum.
    TooLarge,
}

/// Reads an amount in roubles, at most `max`.
pub fn parse_amount(input: &str, max: Money) -> Result<Money, BadAmount> {
    let mut text: String = input
        .trim()
        .to_lowercase()
        .trim_end_matches('.')
        .trim_end_matches("руб")
        .trim_end_matches("р")
        .trim_end_matches('₽')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}' && *c != '\'')
        .collect();
    text = text.replace(',', ".");
    if text.starts_with('−') {
        text = text.replacen('−', "-", 1);
    }
    let valid = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && text.matches('.').count() <= 1
        && text.rfind('-').is_none_or(|i| i == 0);
    if !valid {
        return Err(BadAmount::NotANumber);
    }
    let value = Decimal::from_str(&text).map_err(|_| BadAmount::NotANumber)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(BadAmount::Negative);
    }
    if value.is_zero() {
        return Err(BadAmount::Zero);
    }
    if value.normalize().scale() > 2 {
        return Err(BadAmount::Kopecks);
    }
    let money = Money::from_decimal(value);
    if money > max {
        return Err(BadAmount::TooLarge);
    }
    Ok(money)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max() -> Money {
        Money::from_kopecks(10_000_000)
    }

    #[test]
    fn amounts_are_read_in_the_usual_russian_and_english_forms() {
        for (typed, kopecks) in [
            ("1500", 150_000),
            ("1 500,50", 150_050),
            ("1500.5", 150_050),
            ("1\u{a0}500,5 ₽", 150_050),
            ("250 руб.", 25_000),
            ("0,01", 1),
            ("100000", 10_000_000),
        ] {
            assert_eq!(
                parse_amount(typed, max()),
                Ok(Money::from_kopecks(kopecks)),
                "{typed}"
            );
        }
    }

    #[test]
    fn bad_amounts_say_why() {
        assert_eq!(parse_amount("0", max()), Err(BadAmount::Zero));
        assert_eq!(parse_amount("0,00", max()), Err(BadAmount::Zero));
        assert_eq!(parse_amount("-5", max()), Err(BadAmount::Negative));
        assert_eq!(parse_amount("−5", max()), Err(BadAmount::Negative));
        assert_eq!(parse_amount("10,555", max()), Err(BadAmount::Kopecks));
        assert_eq!(parse_amount("100000,01", max()), Err(BadAmount::TooLarge));
        for text in ["", "сто рублей", "1.2.3", "12-3", "1e5", "∞"] {
            assert_eq!(
                parse_amount(text, max()),
                Err(BadAmount::NotANumber),
                "{text}"
            );
        }
    }
}
