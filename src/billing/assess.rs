//! A parsed reading judged against the previous one: accept, confirm first, or refuse.

use super::consumption::{MeterSpec, consumption};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// The multiple of the average monthly consumption above which a volume asks for confirmation.
pub const UNUSUAL_JUMP_FACTOR: Decimal = dec!(3);

/// What to do with a new reading, judged against the previous one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assessment {
    /// Accept it: `volume` consumed since the previous reading.
    Ok { volume: Decimal },
    /// Below the previous reading but believable as the display passing its maximum:
    /// accept only when the consumer confirms the rollover.
    RolloverNeedsConfirmation { volume: Decimal },
    /// Below the previous reading and no believable rollover: refuse it.
    BelowPrevious,
    /// More than 3× the average monthly consumption: accept only when the consumer confirms.
    UnusualJumpNeedsConfirmation { volume: Decimal, average: Decimal },
}

impl Assessment {
    /// The volume the reading would bill, unless it is refused.
    pub fn volume(self) -> Option<Decimal> {
        match self {
            Assessment::Ok { volume }
            | Assessment::RolloverNeedsConfirmation { volume }
            | Assessment::UnusualJumpNeedsConfirmation { volume, .. } => Some(volume),
            Assessment::BelowPrevious => None,
        }
    }

    pub fn needs_confirmation(self) -> bool {
        matches!(
            self,
            Assessment::RolloverNeedsConfirmation { .. }
                | Assessment::UnusualJumpNeedsConfirmation { .. }
        )
    }
}

/// Judges `new` against `previous` on `meter`. A rollover is believable when its volume is at
/// most half the meter's capacity (5 digits: ≤ 50 000 kWh); anything more is far likelier a typo
/// than a display gone round. `average_monthly` is the known average monthly consumption; when it
/// is absent or not positive (no history, an empty flat) no jump counts as unusual.
pub fn assess(
    new: Decimal,
    previous: Decimal,
    meter: &MeterSpec,
    average_monthly: Option<Decimal>,
) -> Assessment {
    let used = consumption(previous, new, meter);
    let volume = used.volume();
    if used.is_rollover() {
        return if volume * Decimal::TWO <= meter.capacity() {
            Assessment::RolloverNeedsConfirmation { volume }
        } else {
            Assessment::BelowPrevious
        };
    }
    match average_monthly {
        Some(average) if average > Decimal::ZERO && volume > average * UNUSUAL_JUMP_FACTOR => {
            Assessment::UnusualJumpNeedsConfirmation { volume, average }
        }
        _ => Assessment::Ok { volume },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::types::TariffKind;

    fn whole(digits: u8) -> MeterSpec {
        MeterSpec::new(digits, 0, TariffKind::Single).unwrap()
    }

    #[test]
    fn an_ordinary_reading_is_ok_with_its_volume() {
        assert_eq!(
            assess(dec!(5952), dec!(5910), &whole(5), Some(dec!(180))),
            Assessment::Ok { volume: dec!(42) }
        );
    }

    #[test]
    fn zero_consumption_is_ok() {
        let a = assess(dec!(5910), dec!(5910), &whole(5), Some(dec!(180)));
        assert_eq!(a, Assessment::Ok { volume: dec!(0) });
        assert!(!a.needs_confirmation());
    }

    #[test]
    fn a_believable_rollover_needs_confirmation() {
        let a = assess(dec!(10), dec!(99990), &whole(5), None);
        assert_eq!(
            a,
            Assessment::RolloverNeedsConfirmation { volume: dec!(20) }
        );
        assert!(a.needs_confirmation());
        // Exactly half the capacity is still believable.
        assert_eq!(
            assess(dec!(0), dec!(50000), &whole(5), None),
            Assessment::RolloverNeedsConfirmation {
                volume: dec!(50000)
            }
        );
    }

    #[test]
    fn reading_below_previous_without_a_believable_rollover_is_refused() {
        // 5910 → 5900 would be 99 990 kWh round the display.
        let a = assess(dec!(5900), dec!(5910), &whole(5), Some(dec!(180)));
        assert_eq!(a, Assessment::BelowPrevious);
        assert_eq!(a.volume(), None);
        assert_eq!(
            assess(dec!(0), dec!(49999), &whole(5), None),
            Assessment::BelowPrevious
        );
    }

    #[test]
    fn more_than_three_times_the_average_needs_confirmation() {
        assert_eq!(
            assess(dec!(6500), dec!(5910), &whole(5), Some(dec!(180))),
            Assessment::UnusualJumpNeedsConfirmation {
                volume: dec!(590),
                average: dec!(180)
            }
        );
        // Exactly 3× is still ordinary.
        assert_eq!(
            assess(dec!(6450), dec!(5910), &whole(5), Some(dec!(180))),
            Assessment::Ok { volume: dec!(540) }
        );
    }

    #[test]
    fn without_a_known_average_no_jump_is_unusual() {
        assert_eq!(
            assess(dec!(9000), dec!(5910), &whole(5), None),
            Assessment::Ok { volume: dec!(3090) }
        );
        assert_eq!(
            assess(dec!(9000), dec!(5910), &whole(5), Some(dec!(0))),
            Assessment::Ok { volume: dec!(3090) }
        );
    }
}
