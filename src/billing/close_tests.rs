//! Tests of `close_account`: one account's period, end to end through the pure core.

use super::*;
use crate::billing::Money;
use crate::billing::charge::total;
use crate::billing::fixtures::{d, three_zone_tariffs, urban};
use crate::billing::types::Service;
use rust_decimal_macros::dec;

fn reading(value: Decimal, taken_on: NaiveDate) -> MeterReading {
    MeterReading { value, taken_on }
}

fn zone(zone: Zone, last: MeterReading, current: Option<MeterReading>) -> ZoneInput {
    ZoneInput {
        zone,
        last_actual: last,
        current,
        history: Vec::new(),
        estimated_periods: 0,
        billed_as_estimates: Decimal::ZERO,
    }
}

fn meter(id: i64, kind: TariffKind, zones: Vec<ZoneInput>) -> MeterInput {
    MeterInput {
        id,
        spec: MeterSpec::new(5, 0, kind).unwrap(),
        zones,
    }
}

fn account(period: Period, tariffs: TariffTable, meters: Vec<MeterInput>) -> AccountPeriodInput {
    AccountPeriodInput {
        period,
        tariffs: Arc::new(tariffs),
        odn_kwh: Decimal::ZERO,
        norm_kwh: dec!(230),
        meters,
    }
}

fn march() -> Period {
    Period::new(2026, 3).unwrap()
}

/// A single-rate meter read at 5910 on 20 February, with no reading in March.
fn unread(history: &[i64], estimated_periods: u32) -> MeterInput {
    let mut z = zone(Zone::Total, reading(dec!(5910), d(2026, 2, 20)), None);
    z.history = history.iter().map(|&v| Decimal::from(v)).collect();
    z.estimated_periods = estimated_periods;
    meter(1, TariffKind::Single, vec![z])
}

const SIX_MONTHS: [i64; 6] = [180, 200, 160, 190, 210, 140];

fn amounts(lines: &[ChargeLine]) -> Vec<Decimal> {
    lines.iter().map(|l| l.amount.amount()).collect()
}

#[test]
fn an_actual_reading_bills_its_delta_and_the_odn_line() {
    let z = zone(
        Zone::Total,
        reading(dec!(5910), d(2026, 2, 20)),
        Some(reading(dec!(5952), d(2026, 3, 20))),
    );
    let mut input = account(
        march(),
        urban(),
        vec![meter(1, TariffKind::Single, vec![z])],
    );
    input.odn_kwh = dec!(3.5);
    let lines = close_account(&input).unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].service, Service::Electricity);
    assert_eq!(
        (lines[0].volume, lines[0].amount),
        (Some(dec!(42)), Money::from_kopecks(24738))
    );
    assert!(!lines[0].estimated);
    assert_eq!(lines[1].service, Service::Odn);
    assert_eq!(lines[1].amount.amount(), dec!(20.62));
    assert_eq!(total(&lines).amount(), dec!(268.00));
}

#[test]
fn zero_consumption_is_a_zero_line() {
    let z = zone(
        Zone::Total,
        reading(dec!(5910), d(2026, 2, 20)),
        Some(reading(dec!(5910), d(2026, 3, 20))),
    );
    let lines = close_account(&account(
        march(),
        urban(),
        vec![meter(1, TariffKind::Single, vec![z])],
    ))
    .unwrap();
    assert_eq!(
        (lines[0].volume, lines[0].amount),
        (Some(dec!(0)), Money::ZERO)
    );
}

#[test]
fn a_rolled_over_display_bills_the_rollover_volume() {
    let z = zone(
        Zone::Total,
        reading(dec!(99990), d(2026, 2, 20)),
        Some(reading(dec!(10), d(2026, 3, 20))),
    );
    let lines = close_account(&account(
        march(),
        urban(),
        vec![meter(1, TariffKind::Single, vec![z])],
    ))
    .unwrap();
    assert_eq!(lines[0].volume, Some(dec!(20)));
    assert_eq!(lines[0].amount.amount(), dec!(117.80));
}

#[test]
fn a_july_tariff_change_inside_the_interval_gives_two_lines() {
    // 20 June – 22 July, 320 kWh: 11 days → 110 × 5.89 = 647.90; 21 days → 210 × 6.43 = 1350.30.
    let july = Period::new(2026, 7).unwrap();
    let z = zone(
        Zone::Total,
        reading(dec!(6000), d(2026, 6, 20)),
        Some(reading(dec!(6320), d(2026, 7, 22))),
    );
    let mut input = account(july, urban(), vec![meter(1, TariffKind::Single, vec![z])]);
    input.odn_kwh = dec!(2);
    let lines = close_account(&input).unwrap();
    assert_eq!(amounts(&lines), [dec!(647.90), dec!(1350.30), dec!(12.86)]);
    assert_eq!((lines[0].line, lines[1].line), (0, 1));
    assert_eq!(
        (lines[0].volume, lines[1].volume),
        (Some(dec!(110)), Some(dec!(210)))
    );
    assert_eq!(lines[2].rate, Some(dec!(6.43)));
}

#[test]
fn three_zones_are_billed_each_at_its_rate_in_receipt_order() {
    let (last, now) = (d(2026, 2, 20), d(2026, 3, 20));
    let zones = vec![
        zone(
            Zone::Night,
            reading(dec!(3000), last),
            Some(reading(dec!(3088), now)),
        ),
        zone(
            Zone::Peak,
            reading(dec!(1000), last),
            Some(reading(dec!(1061), now)),
        ),
        zone(
            Zone::SemiPeak,
            reading(dec!(2000), last),
            Some(reading(dec!(2097), now)),
        ),
    ];
    let input = account(
        march(),
        three_zone_tariffs(),
        vec![meter(1, TariffKind::ThreeZone, zones)],
    );
    let lines = close_account(&input).unwrap();
    let zones: Vec<Option<Zone>> = lines.iter().map(|l| l.zone).collect();
    assert_eq!(
        zones,
        [Some(Zone::Peak), Some(Zone::SemiPeak), Some(Zone::Night)]
    );
    assert_eq!(amounts(&lines), [dec!(431.27), dec!(571.33), dec!(300.08)]);
    assert_eq!(total(&lines).amount(), dec!(1302.68));
}

#[test]
fn no_reading_is_billed_by_average_for_three_months_then_by_the_norm() {
    for already in 0..3 {
        let lines = close_account(&account(
            march(),
            urban(),
            vec![unread(&SIX_MONTHS, already)],
        ))
        .unwrap();
        assert_eq!(lines[0].volume, Some(dec!(180)), "month {}", already + 1);
        assert_eq!(lines[0].amount.amount(), dec!(1060.20));
        assert!(lines[0].estimated);
    }
    let lines = close_account(&account(march(), urban(), vec![unread(&SIX_MONTHS, 3)])).unwrap();
    assert_eq!(lines[0].volume, Some(dec!(230)));
    assert_eq!(lines[0].amount.amount(), dec!(1354.70));
    assert!(lines[0].estimated);
}

#[test]
fn fewer_than_six_months_of_history_goes_to_the_norm() {
    let lines = close_account(&account(
        march(),
        urban(),
        vec![unread(&[180, 200, 160, 190, 210], 0)],
    ))
    .unwrap();
    assert_eq!(
        (lines[0].volume, lines[0].estimated),
        (Some(dec!(230)), true)
    );
}

#[test]
fn an_actual_reading_after_estimates_settles_them_with_a_negative_recalculation() {
    // Read 5910 on 20 November; December – February billed 3 × 180 = 540 by average;
    // read 6310 on 20 March: 400 actually used, so −140 kWh × 5.89 = −824.60.
    let mut z = zone(
        Zone::Total,
        reading(dec!(5910), d(2025, 11, 20)),
        Some(reading(dec!(6310), d(2026, 3, 20))),
    );
    z.billed_as_estimates = dec!(540);
    z.estimated_periods = 3;
    let lines = close_account(&account(
        march(),
        urban(),
        vec![meter(1, TariffKind::Single, vec![z])],
    ))
    .unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].volume, Some(dec!(-140)));
    assert_eq!(lines[0].amount.amount(), dec!(-824.60));
    assert!(!lines[0].estimated);
}

#[test]
fn the_norm_of_a_two_zone_meter_splits_by_historic_shares() {
    let last = reading(dec!(100), d(2025, 11, 20));
    let mut day = zone(Zone::Day, last, None);
    let mut night = zone(Zone::Night, last, None);
    day.history = vec![dec!(300); 6];
    night.history = vec![dec!(100); 6];
    (day.estimated_periods, night.estimated_periods) = (3, 3);
    let input = account(
        march(),
        three_zone_tariffs(),
        vec![meter(1, TariffKind::TwoZone, vec![day, night])],
    );
    let lines = close_account(&input).unwrap();
    // 172.5 × 6.72 = 1159.20; 57.5 × 3.41 = 196.075 → 196.08.
    assert_eq!(amounts(&lines), [dec!(1159.20), dec!(196.08)]);
    assert!(lines.iter().all(|l| l.estimated));
}

#[test]
fn a_zone_without_its_reading_is_estimated_while_the_other_is_actual() {
    let (last, now) = (d(2026, 2, 20), d(2026, 3, 20));
    let day = zone(
        Zone::Day,
        reading(dec!(4000), last),
        Some(reading(dec!(4150), now)),
    );
    let mut night = zone(Zone::Night, reading(dec!(2000), last), None);
    night.history = vec![dec!(60); 8];
    let input = account(
        march(),
        three_zone_tariffs(),
        vec![meter(1, TariffKind::TwoZone, vec![day, night])],
    );
    let lines = close_account(&input).unwrap();
    assert_eq!(
        (lines[0].volume, lines[0].estimated),
        (Some(dec!(150)), false)
    );
    assert_eq!(
        (lines[1].volume, lines[1].estimated),
        (Some(dec!(60)), true)
    );
}

#[test]
fn two_meters_share_the_norm_and_never_collide_on_line_numbers() {
    let input = account(march(), urban(), vec![unread(&[], 0), unread(&[], 0)]);
    let lines = close_account(&input).unwrap();
    assert_eq!(
        (lines[0].volume, lines[1].volume),
        (Some(dec!(115)), Some(dec!(115)))
    );
    assert_eq!((lines[0].line, lines[1].line), (0, 1));
}

#[test]
fn zones_not_matching_the_meter_kind_are_refused() {
    let r = reading(dec!(1), d(2026, 2, 20));
    let wrong = meter(7, TariffKind::Single, vec![zone(Zone::Day, r, None)]);
    let twice = meter(
        8,
        TariffKind::TwoZone,
        vec![zone(Zone::Day, r, None), zone(Zone::Day, r, None)],
    );
    for (m, id, kind) in [
        (wrong, 7, TariffKind::Single),
        (twice, 8, TariffKind::TwoZone),
    ] {
        assert_eq!(
            close_account(&account(march(), three_zone_tariffs(), vec![m])),
            Err(CloseError::ZonesMismatch { meter: id, kind })
        );
    }
}

#[test]
fn a_reading_older_than_the_last_one_is_refused() {
    let z = zone(
        Zone::Total,
        reading(dec!(5910), d(2026, 3, 21)),
        Some(reading(dec!(5952), d(2026, 3, 20))),
    );
    assert!(matches!(
        close_account(&account(
            march(),
            urban(),
            vec![meter(3, TariffKind::Single, vec![z])]
        )),
        Err(CloseError::ReadingOutOfOrder {
            meter: 3,
            zone: Zone::Total,
            ..
        })
    ));
}

#[test]
fn a_missing_rate_names_the_meter() {
    let z = zone(
        Zone::Day,
        reading(dec!(1), d(2026, 2, 20)),
        Some(reading(dec!(2), d(2026, 3, 20))),
    );
    let mut z2 = z.clone();
    z2.zone = Zone::Night;
    let err = close_account(&account(
        march(),
        urban(),
        vec![meter(5, TariffKind::TwoZone, vec![z, z2])],
    ));
    assert!(matches!(
        err,
        Err(CloseError::Tariff {
            meter: 5,
            source: TariffError::MissingRate {
                zone: Zone::Day,
                ..
            }
        })
    ));
}

#[test]
fn odn_without_a_rate_is_an_odn_error() {
    let mut input = account(Period::new(2025, 6).unwrap(), urban(), vec![]);
    input.odn_kwh = dec!(1);
    assert!(matches!(close_account(&input), Err(CloseError::Odn(_))));
}

/// `cargo test --release --lib close_costs -- --ignored --nocapture`
#[test]
#[ignore = "timing, run by hand in release"]
fn close_costs_microseconds_per_account() {
    let (last, now) = (d(2026, 2, 20), d(2026, 3, 20));
    let tariffs = Arc::new(three_zone_tariffs());
    let inputs: Vec<AccountPeriodInput> = (0..100_000i64)
        .map(|i| {
            let mut z = zone(Zone::Total, reading(Decimal::from(i % 90_000), last), None);
            z.history = vec![dec!(180.5); 12];
            if i % 10 != 0 {
                z.current = Some(reading(Decimal::from(i % 90_000 + 150), now));
            }
            AccountPeriodInput {
                period: march(),
                tariffs: tariffs.clone(),
                odn_kwh: dec!(3.25),
                norm_kwh: dec!(230),
                meters: vec![meter(i, TariffKind::Single, vec![z])],
            }
        })
        .collect();
    let started = std::time::Instant::now();
    let lines: usize = inputs.iter().map(|i| close_account(i).unwrap().len()).sum();
    let per = started.elapsed() / inputs.len() as u32;
    println!("{lines} lines, {per:?} per account");
    assert!(per < std::time::Duration::from_micros(50));
}
