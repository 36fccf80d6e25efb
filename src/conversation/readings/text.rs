//! What the readings flow says, and the argument types its messages need.

use crate::billing::{Money, Period, Zone};
use crate::i18n::{Arg, Sample, texts};
use chrono::NaiveDate;
use rust_decimal::Decimal;

texts! {
    /// What the readings flow says (`locales/*/readings.ftl`).
    pub enum ReadingsText {
        /// The current account has no meter in service.
        NoMeters => "readings-no-meters",
        /// One zone of a meter with its previous reading, as the web form lists it.
        Row { zone: ZoneArg, serial: String, date: NaiveDate, value: Decimal, rate: Price } => "readings-row",
        /// One zone of a meter never read.
        RowUnread { zone: ZoneArg, serial: String, rate: Price } => "readings-row-unread",
        Ask { zone: ZoneArg, serial: String, digits: u32 } => "readings-ask",
        NotANumber => "readings-not-a-number",
        Negative => "readings-negative",
        TooManyDigits { max: u32 } => "readings-too-many-digits",
        FractionNotAllowed => "readings-fraction-not-allowed",
        TooManyFractionDigits { max: u32 } => "readings-too-many-fraction-digits",
        BelowPrevious { value: Decimal, previous: Decimal, date: NaiveDate } => "readings-below-previous",
        /// Below the previous reading, believable as the display passing its maximum.
        Rollover { value: Decimal, previous: Decimal, volume: Decimal } => "readings-rollover",
        /// More than 3× the usual consumption; `average` is per month.
        UnusualJump { value: Decimal, volume: Decimal, average: Decimal } => "readings-unusual-jump",
        YesButton => "readings-yes-button",
        FixButton => "readings-fix-button",
        SubmitButton => "readings-submit-button",
        /// One charge line of a zone: volume × rate = amount.
        Line { zone: ZoneArg, volume: Decimal, rate: Price, amount: Money } => "readings-line",
        /// One of the lines of a zone whose rate changed between the readings.
        LinePart { zone: ZoneArg, volume: Decimal, rate: Price, amount: Money, from: NaiveDate, to: NaiveDate } => "readings-line-part",
        /// A volume without a rate to charge it at (no tariff in the table).
        VolumeOnly { zone: ZoneArg, volume: Decimal } => "readings-volume-only",
        /// A zone read for the first time: no volume yet.
        FirstReading { zone: ZoneArg, value: Decimal } => "readings-first-reading",
        /// Taken after the window: counts for the next period.
        NextPeriod { day: u32, period: Period } => "readings-next-period",
        /// Taken before the window opens: still counts for this month.
        EarlyPeriod { day: u32, period: Period } => "readings-early-period",
        Review { total: Money } => "readings-review",
        ReviewNoAmount => "readings-review-no-amount",
        Saved => "readings-saved",
        PressButton => "readings-press-button",
        /// The account's meters changed while the consumer was typing.
        MetersChanged => "readings-meters-changed",
    }
}

/// A zone as a message argument: its code, which the messages select the zone's name by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZoneArg(pub Zone);

impl From<ZoneArg> for Arg {
    fn from(zone: ZoneArg) -> Arg {
        Arg::Text(zone.0.code().to_owned())
    }
}

impl Sample for ZoneArg {
    fn sample() -> ZoneArg {
        ZoneArg(Zone::Day)
    }
}

/// A rate, ₽ per kWh, shown like money (`6,54 ₽`) but never rounded: a rate quoted to a
/// fraction of a kopeck shows all its digits. `None` (no rate in the table) shows a dash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Price(pub Option<Decimal>);

impl From<Price> for Arg {
    fn from(price: Price) -> Arg {
        let Some(rate) = price.0 else {
            return Arg::Text("—".to_owned());
        };
        let exact = Money::from_decimal(rate);
        if exact.amount() == rate {
            Arg::Money(exact)
        } else {
            // Money's notation (a decimal comma in every language), with every digit kept.
            let digits = rate.normalize().to_string().replace('.', ",");
            Arg::Text(format!("{digits}\u{a0}₽"))
        }
    }
}

impl Sample for Price {
    fn sample() -> Price {
        Price(Some(Decimal::new(654, 2)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_rate_to_the_kopeck_shows_as_money() {
        assert_eq!(
            Arg::from(Price(Some(dec!(6.5400)))),
            Arg::Money(Money::from_kopecks(654))
        );
        assert_eq!(
            Arg::from(Price(Some(dec!(6.5)))),
            Arg::Money(Money::from_kopecks(650))
        );
    }

    #[test]
    fn a_rate_with_fractions_of_a_kopeck_keeps_every_digit() {
        assert_eq!(
            Arg::from(Price(Some(dec!(5.8912)))),
            Arg::Text("5,8912\u{a0}₽".to_owned())
        );
        assert_eq!(Arg::from(Price(None)), Arg::Text("—".to_owned()));
    }

    #[test]
    fn a_zone_is_passed_by_its_code() {
        assert_eq!(
            Arg::from(ZoneArg(Zone::SemiPeak)),
            Arg::Text("semi_peak".to_owned())
        );
    }
}
