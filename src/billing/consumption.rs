//! Consumption between two readings of a meter, including the rollover of its display.

use super::types::TariffKind;
use rust_decimal::{Decimal, RoundingStrategy};

/// Volumes are kept to 3 decimals (Wh), as the schema stores them.
pub const VOLUME_DP: u32 = 3;

/// What arithmetic on a meter's readings needs to know about the meter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MeterSpec {
    digits: u8,
    fraction_digits: u8,
    kind: TariffKind,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "a meter has 4..=9 integer digits and 0..=3 fraction digits, not {digits} and {fraction_digits}"
)]
pub struct BadMeterSpec {
    pub digits: u8,
    pub fraction_digits: u8,
}

impl MeterSpec {
    /// A meter showing `digits` integer digits and `fraction_digits` after the point
    /// (the ranges the schema allows).
    pub fn new(
        digits: u8,
        fraction_digits: u8,
        kind: TariffKind,
    ) -> Result<MeterSpec, BadMeterSpec> {
        if (4..=9).contains(&digits) && fraction_digits <= 3 {
            Ok(MeterSpec {
                digits,
                fraction_digits,
                kind,
            })
        } else {
            Err(BadMeterSpec {
                digits,
                fraction_digits,
            })
        }
    }

    pub fn digits(self) -> u8 {
        self.digits
    }

    pub fn fraction_digits(self) -> u8 {
        self.fraction_digits
    }

    pub fn kind(self) -> TariffKind {
        self.kind
    }

    /// 10^digits: the display shows values in `[0, capacity)` and wraps to zero at `capacity`.
    pub fn capacity(self) -> Decimal {
        Decimal::from(10i64.pow(u32::from(self.digits)))
    }
}

/// The volume consumed between two readings of one zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consumption {
    /// The display went forward (or stood still: zero consumption).
    Forward(Decimal),
    /// The display passed its maximum and started again from zero.
    Rollover(Decimal),
}

impl Consumption {
    pub fn volume(self) -> Decimal {
        match self {
            Consumption::Forward(v) | Consumption::Rollover(v) => v,
        }
    }

    pub fn is_rollover(self) -> bool {
        matches!(self, Consumption::Rollover(_))
    }
}

/// The consumption from `previous` to `current`, both values shown on `meter`'s display.
/// A current value below the previous one can only be a rollover: 5 digits, 99990 → 00010 is 20.
/// Whether such a rollover is believable is [`super::assess::assess`]'s question, not this one's.
pub fn consumption(previous: Decimal, current: Decimal, meter: &MeterSpec) -> Consumption {
    if current >= previous {
        Consumption::Forward(current - previous)
    } else {
        Consumption::Rollover(meter.capacity() - previous + current)
    }
}

/// `volume × part / whole` truncated toward zero to the volume precision: a share that never
/// exceeds its exact value, so whoever takes "the rest" never gets a negative remainder.
pub(crate) fn share(volume: Decimal, part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        return Decimal::ZERO;
    }
    (volume * part / whole).round_dp_with_strategy(VOLUME_DP, RoundingStrategy::ToZero)
}

/// Rounds a computed volume (an average, a share) half-up to the volume precision.
pub(crate) fn round_volume(volume: Decimal) -> Decimal {
    volume.round_dp_with_strategy(VOLUME_DP, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn five() -> MeterSpec {
        MeterSpec::new(5, 0, TariffKind::Single).unwrap()
    }

    #[test]
    fn normal_consumption_is_the_difference() {
        let c = consumption(dec!(5910), dec!(5952), &five());
        assert_eq!(c, Consumption::Forward(dec!(42)));
        assert!(!c.is_rollover());
    }

    #[test]
    fn equal_readings_are_zero_consumption() {
        assert_eq!(
            consumption(dec!(5910), dec!(5910), &five()).volume(),
            dec!(0)
        );
    }

    #[test]
    fn a_five_digit_meter_rolls_over_from_99990_to_00010_as_20() {
        let c = consumption(dec!(99990), dec!(10), &five());
        assert_eq!(c, Consumption::Rollover(dec!(20)));
    }

    #[test]
    fn fractional_readings_roll_over_too() {
        let m = MeterSpec::new(6, 2, TariffKind::Single).unwrap();
        assert_eq!(m.capacity(), dec!(1000000));
        assert_eq!(
            consumption(dec!(999999.75), dec!(0.50), &m).volume(),
            dec!(0.75)
        );
        assert_eq!(
            consumption(dec!(12.25), dec!(13.5), &m).volume(),
            dec!(1.25)
        );
    }

    #[test]
    fn meter_specs_outside_the_schema_ranges_are_refused() {
        assert!(MeterSpec::new(3, 0, TariffKind::Single).is_err());
        assert!(MeterSpec::new(10, 0, TariffKind::Single).is_err());
        assert!(MeterSpec::new(6, 4, TariffKind::Single).is_err());
        assert_eq!(
            MeterSpec::new(9, 3, TariffKind::ThreeZone)
                .unwrap()
                .capacity(),
            dec!(1000000000)
        );
    }

    #[test]
    fn shares_truncate_toward_zero() {
        assert_eq!(share(dec!(100), dec!(1), dec!(3)), dec!(33.333));
        assert_eq!(share(dec!(-100), dec!(2), dec!(3)), dec!(-66.666));
        assert_eq!(share(dec!(100), dec!(1), dec!(0)), dec!(0));
    }
}
