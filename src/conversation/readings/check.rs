//! A typed reading of one zone, judged by the billing rules: take it, ask first, or refuse it.

use super::sheet::{MeterSheet, Sheet, ZoneSheet};
use super::text::ReadingsText;
use crate::billing::estimate::average_monthly;
use crate::billing::{Assessment, MeterSpec, ReadingError, assess, parse_reading};
use crate::conversation::{Ctx, EngineError};
use crate::store::readings::Reading;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// What to do with a typed reading.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    Accept(Decimal),
    /// Take the value only once the consumer confirms what the text asks.
    Confirm(Decimal, ReadingsText),
    /// Refuse it, saying why.
    Refuse(ReadingsText),
}

/// Checks `typed` as the new reading of `zone`. The average monthly consumption, for the jump
/// check, is loaded only for a well-formed value of a zone read before.
pub async fn check(
    ctx: &Ctx,
    sheet: &Sheet,
    meter: &MeterSheet,
    zone: &ZoneSheet,
    typed: &str,
) -> Result<Verdict, EngineError> {
    let value = match parse_reading(typed, &meter.spec) {
        Ok(value) => value,
        Err(error) => return Ok(Verdict::Refuse(refusal(error))),
    };
    let Some(previous) = &zone.previous else {
        // Nothing to compare with: any value the display can show is taken.
        return Ok(Verdict::Accept(value));
    };
    let history = ctx
        .store
        .monthly_actual_volumes(meter.id, zone.zone, &meter.spec, sheet.today)
        .await?;
    let average = average_monthly(&history);
    Ok(judge(value, previous, &meter.spec, average, sheet.today))
}

/// Judges a well-formed `value` against the previous reading. The average monthly consumption
/// is scaled to the whole months since the previous reading (at least one), so that a reading
/// after a few silent months is not taken for a jump.
pub fn judge(
    value: Decimal,
    previous: &Reading,
    spec: &MeterSpec,
    average: Option<Decimal>,
    today: NaiveDate,
) -> Verdict {
    let usual = average.map(|a| a * Decimal::from(months_between(previous.taken_on, today)));
    match assess(value, previous.value, spec, usual) {
        Assessment::Ok { .. } => Verdict::Accept(value),
        Assessment::RolloverNeedsConfirmation { volume } => Verdict::Confirm(
            value,
            ReadingsText::Rollover {
                value,
                previous: previous.value,
                volume,
            },
        ),
        Assessment::UnusualJumpNeedsConfirmation { volume, .. } => Verdict::Confirm(
            value,
            ReadingsText::UnusualJump {
                value,
                volume,
                // Shown as a whole number of kWh: it is a rough guide, not a charge.
                average: average
                    .unwrap_or_default()
                    .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero),
            },
        ),
        Assessment::BelowPrevious => Verdict::Refuse(ReadingsText::BelowPrevious {
            value,
            previous: previous.value,
            date: previous.taken_on,
        }),
    }
}

/// Whole months from `from` to `to`, rounded, at least one: 32 days are one month, 153 five.
fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    ((to - from).num_days() + 15).div_euclid(30).max(1)
}

fn refusal(error: ReadingError) -> ReadingsText {
    match error {
        // The router answers empty messages itself; an empty reading is still not a number.
        ReadingError::Empty | ReadingError::NotANumber => ReadingsText::NotANumber,
        ReadingError::Negative => ReadingsText::Negative,
        ReadingError::TooManyDigits { max } => ReadingsText::TooManyDigits { max: max.into() },
        ReadingError::FractionNotAllowed => ReadingsText::FractionNotAllowed,
        ReadingError::TooManyFractionDigits { max } => {
            ReadingsText::TooManyFractionDigits { max: max.into() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::{Period, ReadingSource, TariffKind, Zone};
    use crate::store::meters::MeterId;
    use rust_decimal_macros::dec;

    fn reading(value: Decimal, taken_on: NaiveDate) -> Reading {
        Reading {
            meter_id: MeterId(1),
            zone: Zone::Total,
            value,
            period: Period::of(taken_on),
            taken_on,
            source: ReadingSource::Web,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn five() -> MeterSpec {
        MeterSpec::new(5, 0, TariffKind::Single).unwrap()
    }

    fn ivanov() -> Reading {
        reading(dec!(5910), d(2026, 10, 19))
    }

    #[test]
    fn an_ordinary_reading_is_accepted() {
        let v = judge(
            dec!(5952),
            &ivanov(),
            &five(),
            Some(dec!(155)),
            d(2026, 11, 20),
        );
        assert_eq!(v, Verdict::Accept(dec!(5952)));
    }

    #[test]
    fn reading_below_previous_is_refused_with_the_previous_shown() {
        let v = judge(
            dec!(5900),
            &ivanov(),
            &five(),
            Some(dec!(155)),
            d(2026, 11, 20),
        );
        assert_eq!(
            v,
            Verdict::Refuse(ReadingsText::BelowPrevious {
                value: dec!(5900),
                previous: dec!(5910),
                date: d(2026, 10, 19)
            })
        );
    }

    #[test]
    fn a_jump_over_three_monthly_averages_asks_first() {
        let v = judge(
            dec!(6510),
            &ivanov(),
            &five(),
            Some(dec!(155.167)),
            d(2026, 11, 20),
        );
        assert_eq!(
            v,
            Verdict::Confirm(
                dec!(6510),
                ReadingsText::UnusualJump {
                    value: dec!(6510),
                    volume: dec!(600),
                    average: dec!(155)
                }
            )
        );
    }

    #[test]
    fn months_without_readings_raise_the_bar_for_a_jump() {
        // Five months since the last reading: 720 kWh is 144 a month, quite ordinary.
        let last = reading(dec!(9044), d(2026, 6, 20));
        let v = judge(dec!(9764), &last, &five(), Some(dec!(180)), d(2026, 11, 20));
        assert_eq!(v, Verdict::Accept(dec!(9764)));
        assert_eq!(months_between(d(2026, 10, 19), d(2026, 11, 20)), 1);
        assert_eq!(months_between(d(2026, 11, 19), d(2026, 11, 20)), 1);
    }

    #[test]
    fn a_believable_rollover_asks_first() {
        let last = reading(dec!(99950), d(2026, 10, 19));
        let v = judge(dec!(30), &last, &five(), None, d(2026, 11, 20));
        assert_eq!(
            v,
            Verdict::Confirm(
                dec!(30),
                ReadingsText::Rollover {
                    value: dec!(30),
                    previous: dec!(99950),
                    volume: dec!(80)
                }
            )
        );
    }

    #[test]
    fn parse_errors_become_their_messages() {
        assert_eq!(
            refusal(ReadingError::TooManyDigits { max: 5 }),
            ReadingsText::TooManyDigits { max: 5 }
        );
        assert_eq!(refusal(ReadingError::Empty), ReadingsText::NotANumber);
    }
}
