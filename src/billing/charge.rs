//! Charge lines: a volume at a rate, each line rounded half-up to the kopeck on its own.

use super::money::Money;
use super::period::Period;
use super::tariff::{TariffError, TariffTable};
use super::types::{Service, Zone};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One line of a period's charges, as the `charges` table stores it: `(period, service, zone,
/// line)` is unique per account, `line` numbering the tariff parts of one service and zone.
/// Negative amounts are recalculations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChargeLine {
    pub service: Service,
    /// The meter zone; `None` for lines not measured by zone (ОДН).
    pub zone: Option<Zone>,
    pub line: u8,
    /// kWh.
    pub volume: Option<Decimal>,
    /// ₽ per kWh.
    pub rate: Option<Decimal>,
    pub amount: Money,
    /// Billed by average or norm, not by a reading.
    pub estimated: bool,
}

/// A volume of one zone consumed over `[from, to)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZoneVolume {
    pub zone: Zone,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub volume: Decimal,
    pub estimated: bool,
}

/// Appends the electricity lines of `usage` to `out`: one per tariff part (two when the rate
/// changed inside the interval), each `volume × rate` rounded on its own. Line numbers continue
/// after lines already in `out` for the same zone, so several meters on one account never
/// collide on `(service, zone, line)`.
pub fn charge_zone(
    tariffs: &TariffTable,
    usage: &ZoneVolume,
    out: &mut Vec<ChargeLine>,
) -> Result<(), TariffError> {
    let parts = tariffs.split(usage.zone, usage.from, usage.to, usage.volume)?;
    let first = next_line(out, Service::Electricity, Some(usage.zone));
    for (line, part) in (first..).zip(parts) {
        out.push(ChargeLine {
            service: Service::Electricity,
            zone: Some(usage.zone),
            line,
            volume: Some(part.volume),
            rate: Some(part.rate),
            amount: Money::line(part.volume, part.rate),
            estimated: usage.estimated,
        });
    }
    Ok(())
}

/// The ОДН line: `odn_kwh` at the single-rate (`total`) rate valid on the period's last day.
/// None when the account has no ОДН (a private house).
pub fn odn_line(
    tariffs: &TariffTable,
    period: Period,
    odn_kwh: Decimal,
) -> Result<Option<ChargeLine>, TariffError> {
    if odn_kwh.is_zero() {
        return Ok(None);
    }
    let rate = tariffs.rate_on(Zone::Total, period.last_day())?;
    Ok(Some(ChargeLine {
        service: Service::Odn,
        zone: None,
        line: 0,
        volume: Some(odn_kwh),
        rate: Some(rate),
        amount: Money::line(odn_kwh, rate),
        estimated: false,
    }))
}

/// The total of lines: the sum of the already rounded line amounts.
pub fn total(lines: &[ChargeLine]) -> Money {
    lines.iter().map(|l| l.amount).sum()
}

fn next_line(out: &[ChargeLine], service: Service, zone: Option<Zone>) -> u8 {
    out.iter()
        .filter(|l| l.service == service && l.zone == zone)
        .map(|l| l.line + 1)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::fixtures::{d, three_zone_tariffs, urban};
    use rust_decimal_macros::dec;

    fn usage(zone: Zone, from: NaiveDate, to: NaiveDate, volume: Decimal) -> ZoneVolume {
        ZoneVolume {
            zone,
            from,
            to,
            volume,
            estimated: false,
        }
    }

    #[test]
    fn forty_two_kwh_at_5_89_is_247_38() {
        let mut out = Vec::new();
        let u = usage(Zone::Total, d(2026, 2, 20), d(2026, 3, 20), dec!(42));
        charge_zone(&urban(), &u, &mut out).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].amount, Money::from_kopecks(24738));
        assert_eq!(
            (out[0].line, out[0].rate, out[0].volume),
            (0, Some(dec!(5.89)), Some(dec!(42)))
        );
        assert_eq!(out[0].zone, Some(Zone::Total));
        assert!(!out[0].estimated);
    }

    #[test]
    fn a_tariff_change_gives_two_lines_each_rounded_half_up() {
        // 20 June – 21 July, 100 kWh: 35.483 × 5.89 = 208.99487 → 208.99;
        // 64.517 × 6.43 = 414.84431 → 414.84; the total is the sum of the rounded lines.
        let mut out = Vec::new();
        let u = usage(Zone::Total, d(2026, 6, 20), d(2026, 7, 21), dec!(100));
        charge_zone(&urban(), &u, &mut out).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].line, out[1].line), (0, 1));
        assert_eq!(out[0].amount.amount(), dec!(208.99));
        assert_eq!(out[1].amount.amount(), dec!(414.84));
        assert_eq!(total(&out).amount(), dec!(623.83));
    }

    #[test]
    fn rounding_is_per_line_half_up() {
        // 1.5 kWh × 5.89 = 8.835 → 8.84 (half-up, not banker's 8.84/8.83).
        let mut out = Vec::new();
        let u = usage(Zone::Total, d(2026, 2, 1), d(2026, 3, 1), dec!(1.5));
        charge_zone(&urban(), &u, &mut out).unwrap();
        assert_eq!(out[0].amount.amount(), dec!(8.84));
    }

    #[test]
    fn three_zones_make_three_lines_totalled_after_rounding() {
        let t = three_zone_tariffs();
        let mut out = Vec::new();
        for (zone, kwh) in [
            (Zone::Peak, dec!(61)),
            (Zone::SemiPeak, dec!(97)),
            (Zone::Night, dec!(88)),
        ] {
            charge_zone(
                &t,
                &usage(zone, d(2026, 2, 20), d(2026, 3, 20), kwh),
                &mut out,
            )
            .unwrap();
        }
        let amounts: Vec<Decimal> = out.iter().map(|l| l.amount.amount()).collect();
        // 61 × 7.07 = 431.27; 97 × 5.89 = 571.33; 88 × 3.41 = 300.08.
        assert_eq!(amounts, [dec!(431.27), dec!(571.33), dec!(300.08)]);
        assert!(out.iter().all(|l| l.line == 0));
        assert_eq!(total(&out).amount(), dec!(1302.68));
    }

    #[test]
    fn a_second_meter_on_the_same_zone_continues_the_line_numbers() {
        let mut out = Vec::new();
        let u = usage(Zone::Total, d(2026, 2, 20), d(2026, 3, 20), dec!(10));
        charge_zone(&urban(), &u, &mut out).unwrap();
        charge_zone(&urban(), &u, &mut out).unwrap();
        assert_eq!((out[0].line, out[1].line), (0, 1));
    }

    #[test]
    fn a_negative_volume_gives_a_negative_amount() {
        let mut out = Vec::new();
        let u = usage(Zone::Total, d(2026, 2, 20), d(2026, 3, 20), dec!(-12.5));
        charge_zone(&urban(), &u, &mut out).unwrap();
        // −12.5 × 5.89 = −73.625 → −73.63 (half away from zero).
        assert_eq!(out[0].amount.amount(), dec!(-73.63));
    }

    #[test]
    fn odn_is_billed_at_the_single_rate_of_the_last_day() {
        let june = Period::new(2026, 6).unwrap();
        let line = odn_line(&urban(), june, dec!(3.5)).unwrap().unwrap();
        assert_eq!(line.service, Service::Odn);
        assert_eq!((line.zone, line.line), (None, 0));
        // 3.5 × 5.89 = 20.615 → 20.62.
        assert_eq!(line.amount.amount(), dec!(20.62));
        let july = odn_line(&urban(), june.next(), dec!(3.5)).unwrap().unwrap();
        assert_eq!(july.rate, Some(dec!(6.43)));
    }

    #[test]
    fn no_odn_volume_means_no_odn_line() {
        assert_eq!(
            odn_line(&urban(), Period::new(2026, 6).unwrap(), dec!(0)),
            Ok(None)
        );
    }

    #[test]
    fn odn_without_a_single_rate_is_a_missing_rate() {
        let june = Period::new(2026, 6).unwrap();
        let t = TariffTable::default();
        assert!(matches!(
            odn_line(&t, june, dec!(1)),
            Err(TariffError::MissingRate {
                zone: Zone::Total,
                ..
            })
        ));
    }
}
