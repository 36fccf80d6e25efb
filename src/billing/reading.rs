//! A new reading typed by a consumer, parsed: digits, spaces, a comma for the fraction.

use super::consumption::MeterSpec;
use rust_decimal::Decimal;

/// Why a typed reading is not a reading of this meter.
#[derive(Clone, Copy, Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadingError {
    #[error("the reading is empty")]
    Empty,
    #[error("a reading is written with digits only")]
    NotANumber,
    #[error("a reading cannot be negative")]
    Negative,
    #[error("this meter shows at most {max} digits before the point")]
    TooManyDigits { max: u8 },
    #[error("this meter shows whole kWh only")]
    FractionNotAllowed,
    #[error("this meter shows at most {max} digits after the point")]
    TooManyFractionDigits { max: u8 },
}

/// Spaces people put between thousands: "12 345", also as copied from a document.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn is_minus(c: char) -> bool {
    matches!(c, '-' | '\u{2212}' | '\u{2013}')
}

/// Parses a reading as typed: digits, spaces between them ("12 345"), and a comma or a point
/// before the fraction only when `meter` shows fractions ("1,5"). Every typed integer digit
/// counts, leading zeros too: "00010" fits a 5-digit meter, "000010" does not.
/// Never panics and stops early, whatever the input's length.
pub fn parse_reading(input: &str, meter: &MeterSpec) -> Result<Decimal, ReadingError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ReadingError::Empty);
    }
    if let Some(rest) = s.strip_prefix(is_minus) {
        // Say "negative" only when the rest would have been a number.
        let numeric = rest.chars().any(|c| c.is_ascii_digit())
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || is_group_space(c) || matches!(c, ',' | '.'));
        return Err(if numeric {
            ReadingError::Negative
        } else {
            ReadingError::NotANumber
        });
    }
    let mut mantissa: i64 = 0;
    let (mut int_digits, mut frac_digits) = (0u32, 0u32);
    let mut separator = false;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            let count = if separator {
                &mut frac_digits
            } else {
                &mut int_digits
            };
            *count += 1;
            // 9 + 3 digits at most fit easily; beyond that the reading is refused below anyway.
            if int_digits <= u32::from(meter.digits()) && frac_digits <= 3 {
                mantissa = mantissa * 10 + i64::from(d);
            }
        } else if matches!(c, ',' | '.') {
            if separator || int_digits == 0 {
                return Err(ReadingError::NotANumber);
            }
            separator = true;
        } else if !is_group_space(c) {
            return Err(ReadingError::NotANumber);
        }
    }
    if int_digits == 0 || (separator && frac_digits == 0) {
        return Err(ReadingError::NotANumber);
    }
    if separator && meter.fraction_digits() == 0 {
        return Err(ReadingError::FractionNotAllowed);
    }
    if int_digits > u32::from(meter.digits()) {
        return Err(ReadingError::TooManyDigits {
            max: meter.digits(),
        });
    }
    if frac_digits > u32::from(meter.fraction_digits()) {
        return Err(ReadingError::TooManyFractionDigits {
            max: meter.fraction_digits(),
        });
    }
    Ok(Decimal::new(mantissa, frac_digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::types::TariffKind;
    use rust_decimal_macros::dec;

    fn whole(digits: u8) -> MeterSpec {
        MeterSpec::new(digits, 0, TariffKind::Single).unwrap()
    }

    fn fractional() -> MeterSpec {
        MeterSpec::new(6, 2, TariffKind::Single).unwrap()
    }

    #[test]
    fn plain_digits_parse() {
        assert_eq!(parse_reading("5952", &whole(5)), Ok(dec!(5952)));
        assert_eq!(parse_reading("  5952\n", &whole(5)), Ok(dec!(5952)));
        assert_eq!(parse_reading("00010", &whole(5)), Ok(dec!(10)));
        assert_eq!(parse_reading("0", &whole(5)), Ok(dec!(0)));
    }

    #[test]
    fn spaces_between_thousands_are_allowed() {
        assert_eq!(parse_reading("12 345", &whole(5)), Ok(dec!(12345)));
        assert_eq!(parse_reading("12\u{a0}345", &whole(5)), Ok(dec!(12345)));
        assert_eq!(
            parse_reading(
                "1 234 567,25",
                &MeterSpec::new(7, 2, TariffKind::Single).unwrap()
            ),
            Ok(dec!(1234567.25))
        );
    }

    #[test]
    fn a_comma_or_a_point_marks_the_fraction_on_a_fractional_meter() {
        assert_eq!(parse_reading("1,5", &fractional()), Ok(dec!(1.5)));
        assert_eq!(parse_reading("1.5", &fractional()), Ok(dec!(1.5)));
        assert_eq!(parse_reading("12345,67", &fractional()), Ok(dec!(12345.67)));
    }

    #[test]
    fn a_fraction_on_a_meter_without_fractions_is_refused() {
        assert_eq!(
            parse_reading("1,5", &whole(5)),
            Err(ReadingError::FractionNotAllowed)
        );
        assert_eq!(
            parse_reading("5952.0", &whole(5)),
            Err(ReadingError::FractionNotAllowed)
        );
    }

    #[test]
    fn too_many_fraction_digits_are_refused() {
        assert_eq!(
            parse_reading("1,555", &fractional()),
            Err(ReadingError::TooManyFractionDigits { max: 2 })
        );
    }

    #[test]
    fn more_digits_than_the_meter_has_are_refused() {
        assert_eq!(
            parse_reading("123456", &whole(5)),
            Err(ReadingError::TooManyDigits { max: 5 })
        );
        assert_eq!(
            parse_reading("000010", &whole(5)),
            Err(ReadingError::TooManyDigits { max: 5 })
        );
        assert_eq!(parse_reading("99999", &whole(5)), Ok(dec!(99999)));
    }

    #[test]
    fn empty_and_blank_input_is_empty() {
        assert_eq!(parse_reading("", &whole(5)), Err(ReadingError::Empty));
        assert_eq!(parse_reading(" \t ", &whole(5)), Err(ReadingError::Empty));
    }

    #[test]
    fn non_numbers_are_refused() {
        for s in [
            "abc", "12a45", "⚡️", "👍", "1,2,3", ",5", "5,", ".", "+5", "1e3", "٣٤٥", "１２",
        ] {
            assert_eq!(
                parse_reading(s, &fractional()),
                Err(ReadingError::NotANumber),
                "{s:?}"
            );
        }
    }

    #[test]
    fn negative_numbers_are_refused_as_negative() {
        assert_eq!(parse_reading("-5", &whole(5)), Err(ReadingError::Negative));
        assert_eq!(
            parse_reading("−12 345", &whole(5)),
            Err(ReadingError::Negative)
        );
        assert_eq!(parse_reading("-", &whole(5)), Err(ReadingError::NotANumber));
    }

    #[test]
    fn ten_thousand_characters_are_an_error_not_a_panic() {
        let digits = "9".repeat(10_000);
        assert_eq!(
            parse_reading(&digits, &whole(9)),
            Err(ReadingError::TooManyDigits { max: 9 })
        );
        let fraction = format!("1,{}", "9".repeat(10_000));
        assert_eq!(
            parse_reading(&fraction, &fractional()),
            Err(ReadingError::TooManyFractionDigits { max: 2 })
        );
        assert_eq!(
            parse_reading(&"я".repeat(10_000), &whole(5)),
            Err(ReadingError::NotANumber)
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn any_meter() -> impl Strategy<Value = MeterSpec> {
            (4u8..=9, 0u8..=3).prop_map(|(d, f)| MeterSpec::new(d, f, TariffKind::Single).unwrap())
        }

        /// Writes `value` as a consumer might: grouped by spaces or not, comma or point.
        fn typed(value: Decimal, meter: &MeterSpec, group: bool, comma: bool) -> String {
            let text = format!("{:.*}", usize::from(meter.fraction_digits()), value);
            let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
            let mut out = String::new();
            for (i, c) in int.chars().enumerate() {
                if group && i > 0 && (int.len() - i) % 3 == 0 {
                    out.push(' ');
                }
                out.push(c);
            }
            if !frac.is_empty() {
                out.push(if comma { ',' } else { '.' });
                out.push_str(frac);
            }
            out
        }

        proptest! {
            #[test]
            fn parse_reading_never_panics(s in "\\PC{0,40}", meter in any_meter()) {
                let _ = parse_reading(&s, &meter);
            }

            #[test]
            fn digit_like_strings_never_panic(s in "[-−0-9 ,.\u{a0}]{0,30}", meter in any_meter()) {
                if let Ok(v) = parse_reading(&s, &meter) {
                    prop_assert!(v >= Decimal::ZERO && v < meter.capacity());
                    prop_assert!(v.scale() <= u32::from(meter.fraction_digits()));
                    prop_assert_eq!(parse_reading(&typed(v, &meter, false, false), &meter), Ok(v));
                }
            }

            #[test]
            fn accepted_values_round_trip(
                meter in any_meter(),
                int in 0i64..1_000_000_000,
                frac in 0i64..1000,
                group: bool,
                comma: bool,
            ) {
                let int = int % 10i64.pow(u32::from(meter.digits()));
                let frac = frac % 10i64.pow(u32::from(meter.fraction_digits()));
                let scale = u32::from(meter.fraction_digits());
                let value = Decimal::new(int * 10i64.pow(scale) + frac, scale);
                let text = typed(value, &meter, group, comma);
                prop_assert_eq!(parse_reading(&text, &meter), Ok(value));
            }
        }
    }
}
