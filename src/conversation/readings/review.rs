//! The estimate shown before a meter's readings are stored: per zone volume × rate = amount,
//! and the total. The billing core does the arithmetic: the rates valid over the interval since
//! the previous reading, a tariff change splitting it, each line rounded half-up to the kopeck.

use super::sheet::{MeterSheet, Sheet};
use super::text::{Price, ReadingsText, ZoneArg};
use crate::billing::charge::{self, charge_zone};
use crate::billing::{Money, ZoneVolume, consumption};
use chrono::Days;
use rust_decimal::Decimal;

/// What the review says about the zones of `meter` read as `values` (in zone order), and the
/// total of the amounts when at least one zone could be charged.
pub fn review(
    sheet: &Sheet,
    meter: &MeterSheet,
    values: &[Decimal],
) -> (Vec<ReadingsText>, Option<Money>) {
    let mut said = Vec::new();
    let mut lines = Vec::new();
    for (zone, &value) in meter.zones.iter().zip(values) {
        let name = ZoneArg(zone.zone);
        let Some(previous) = &zone.previous else {
            said.push(ReadingsText::FirstReading { zone: name, value });
            continue;
        };
        let volume = consumption(previous.value, value, &meter.spec).volume();
        let usage = ZoneVolume {
            zone: zone.zone,
            from: previous.taken_on,
            to: sheet.today,
            volume,
            estimated: false,
        };
        let first = lines.len();
        let parts = sheet
            .tariffs
            .split(zone.zone, usage.from, usage.to, volume)
            .and_then(|parts| charge_zone(&sheet.tariffs, &usage, &mut lines).map(|()| parts));
        let Ok(parts) = parts else {
            // No rate for part of the interval: the volume is still worth showing.
            said.push(ReadingsText::VolumeOnly { zone: name, volume });
            continue;
        };
        let zone_lines = &lines[first..];
        if let [line] = zone_lines {
            said.push(ReadingsText::Line {
                zone: name,
                volume: line.volume.unwrap_or(volume),
                rate: Price(line.rate),
                amount: line.amount,
            });
            continue;
        }
        // A rate changed in between: each part with its own dates (`to` is exclusive).
        for (line, part) in zone_lines.iter().zip(&parts) {
            said.push(ReadingsText::LinePart {
                zone: name,
                volume: line.volume.unwrap_or(part.volume),
                rate: Price(line.rate),
                amount: line.amount,
                from: part.from,
                to: part.to.checked_sub_days(Days::new(1)).unwrap_or(part.to),
            });
        }
    }
    let total = (!lines.is_empty()).then(|| charge::total(&lines));
    (said, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::{
        MeterSpec, Period, Rate, ReadingSource, ReadingWindow, TariffKind, TariffTable, Zone,
    };
    use crate::conversation::readings::sheet::ZoneSheet;
    use crate::store::meters::MeterId;
    use crate::store::readings::Reading;
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rate(zone: Zone, rate: Decimal, from: NaiveDate, to: Option<NaiveDate>) -> Rate {
        Rate {
            zone,
            rate,
            valid_from: from,
            valid_to: to,
        }
    }

    fn sheet(tariffs: TariffTable) -> Sheet {
        let today = d(2026, 11, 20);
        Sheet {
            today,
            window: ReadingWindow::default(),
            placement: ReadingWindow::default().placement(today),
            tariffs,
            meters: Vec::new(),
        }
    }

    fn urban() -> TariffTable {
        TariffTable::new([
            rate(Zone::Total, dec!(5.89), d(2025, 7, 1), Some(d(2026, 7, 1))),
            rate(Zone::Total, dec!(6.54), d(2026, 7, 1), None),
        ])
        .unwrap()
    }

    fn single(previous: Option<(Decimal, NaiveDate)>) -> MeterSheet {
        MeterSheet {
            id: MeterId(1),
            serial: "353425345".into(),
            spec: MeterSpec::new(5, 0, TariffKind::Single).unwrap(),
            zones: vec![ZoneSheet {
                zone: Zone::Total,
                previous: previous.map(|(value, taken_on)| Reading {
                    meter_id: MeterId(1),
                    zone: Zone::Total,
                    value,
                    period: Period::of(taken_on),
                    taken_on,
                    source: ReadingSource::Web,
                }),
                rate: Some(dec!(6.54)),
            }],
        }
    }

    #[test]
    fn forty_two_kwh_at_today_s_rate_is_one_line_and_the_total() {
        let meter = single(Some((dec!(5910), d(2026, 10, 19))));
        let (said, total) = review(&sheet(urban()), &meter, &[dec!(5952)]);
        assert_eq!(
            said,
            [ReadingsText::Line {
                zone: ZoneArg(Zone::Total),
                volume: dec!(42),
                rate: Price(Some(dec!(6.54))),
                amount: Money::from_kopecks(27468),
            }]
        );
        assert_eq!(total, Some(Money::from_kopecks(27468)));
    }

    #[test]
    fn a_july_tariff_change_between_the_readings_gives_two_dated_lines() {
        // 20.06 – 20.11: 11 days at 5.89, 142 at 6.54; 153 kWh → 11 and 142 kWh.
        let meter = single(Some((dec!(9044), d(2026, 6, 20))));
        let (said, total) = review(&sheet(urban()), &meter, &[dec!(9197)]);
        assert_eq!(said.len(), 2);
        assert_eq!(
            said[0],
            ReadingsText::LinePart {
                zone: ZoneArg(Zone::Total),
                volume: dec!(11),
                rate: Price(Some(dec!(5.89))),
                amount: Money::from_kopecks(6479),
                from: d(2026, 6, 20),
                to: d(2026, 6, 30),
            }
        );
        assert!(matches!(
            said[1],
            ReadingsText::LinePart { from, amount, .. }
                if from == d(2026, 7, 1) && amount == Money::from_kopecks(92868)
        ));
        assert_eq!(total, Some(Money::from_kopecks(6479 + 92868)));
    }

    #[test]
    fn a_first_reading_has_no_volume_and_no_amount() {
        let meter = single(None);
        let (said, total) = review(&sheet(urban()), &meter, &[dec!(120)]);
        assert_eq!(
            said,
            [ReadingsText::FirstReading {
                zone: ZoneArg(Zone::Total),
                value: dec!(120)
            }]
        );
        assert_eq!(total, None);
    }

    #[test]
    fn without_a_rate_the_volume_is_shown_alone() {
        let meter = single(Some((dec!(5910), d(2026, 10, 19))));
        let (said, total) = review(&sheet(TariffTable::default()), &meter, &[dec!(5952)]);
        assert_eq!(
            said,
            [ReadingsText::VolumeOnly {
                zone: ZoneArg(Zone::Total),
                volume: dec!(42)
            }]
        );
        assert_eq!(total, None);
    }
}
