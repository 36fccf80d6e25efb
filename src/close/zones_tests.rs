//! Tests of the meter zones built from stored readings and estimated lines.

use super::*;
use crate::billing::TariffKind;
use chrono::NaiveDate;
use rust_decimal_macros::dec;

fn p(y: i32, m: u32) -> Period {
    Period::new(y, m).unwrap()
}

fn meter(id: i64, kind: TariffKind) -> (CloseMeter, MeterSpec) {
    let m = CloseMeter {
        id,
        account_id: 1,
        kind,
        digits: 5,
        fraction_digits: 0,
    };
    (m, MeterSpec::new(5, 0, kind).unwrap())
}

/// A reading of `zone` counted for `period`, taken on its 20th.
fn read(meter_id: i64, zone: Zone, period: Period, value: i64) -> ActualReading {
    ActualReading {
        meter_id,
        zone,
        period,
        taken_on: period.day(20),
        value: Decimal::from(value),
    }
}

fn estimated(zone: Zone, period: Period, line: i16, volume: i64) -> EstimatedLine {
    EstimatedLine {
        account_id: 1,
        zone,
        period,
        line,
        volume: Decimal::from(volume),
    }
}

fn single(readings: &[ActualReading], period: Period) -> Result<ReadyMeter, Unready> {
    let (m, spec) = meter(7, TariffKind::Single);
    ready_meter(&m, spec, period, |_| readings)
}

#[test]
fn the_last_reading_before_the_period_starts_it_and_the_period_reading_ends_it() {
    let rs = [
        read(7, Zone::Total, p(2026, 1), 100),
        read(7, Zone::Total, p(2026, 2), 150),
        read(7, Zone::Total, p(2026, 3), 190),
    ];
    let m = finish(vec![single(&rs, p(2026, 3)).unwrap()], &[], p(2026, 3));
    let z = &m[0].zones[0];
    assert_eq!(z.last_actual.value, dec!(150));
    assert_eq!(
        z.last_actual.taken_on,
        NaiveDate::from_ymd_opt(2026, 2, 20).unwrap()
    );
    assert_eq!(z.current.map(|c| c.value), Some(dec!(190)));
    assert_eq!(z.history, [dec!(50)]);
    assert_eq!((z.estimated_periods, z.billed_as_estimates), (0, dec!(0)));
}

#[test]
fn a_delta_over_several_months_counts_as_equal_months_and_rolls_over() {
    let rs = [
        read(7, Zone::Total, p(2025, 10), 99_990),
        read(7, Zone::Total, p(2026, 1), 10),
    ];
    let m = single(&rs, p(2026, 2)).unwrap();
    let m = finish(vec![m], &[], p(2026, 2));
    assert_eq!(
        m[0].zones[0].history,
        [dec!(6.666), dec!(6.666), dec!(6.668)]
    );
    assert_eq!(m[0].zones[0].current, None);
}

#[test]
fn the_history_keeps_the_last_twelve_months() {
    let rs: Vec<ActualReading> = (0..16)
        .map(|i| {
            read(
                7,
                Zone::Total,
                p(2025, 1).plus(i),
                i64::from(i) * 10 + i64::from(i * i),
            )
        })
        .collect();
    let m = finish(vec![single(&rs, p(2026, 6)).unwrap()], &[], p(2026, 6));
    let h = &m[0].zones[0].history;
    assert_eq!(h.len(), 12);
    assert_eq!(h.last(), Some(&dec!(39)));
}

#[test]
fn a_meter_read_first_in_the_period_waits_for_the_next_one() {
    let rs = [read(7, Zone::Total, p(2026, 3), 0)];
    assert!(matches!(single(&rs, p(2026, 3)), Err(Unready::New)));
}

#[test]
fn a_meter_never_read_cannot_be_closed() {
    assert!(matches!(single(&[], p(2026, 3)), Err(Unready::NoBase)));
}

#[test]
fn a_zone_read_while_another_never_was_cannot_be_closed() {
    let (m, spec) = meter(7, TariffKind::TwoZone);
    let day = [read(7, Zone::Day, p(2026, 1), 10)];
    let r = ready_meter(&m, spec, p(2026, 3), |z| {
        if z == Zone::Day { &day } else { &[] }
    });
    assert!(matches!(r, Err(Unready::NoBase)));
}

#[test]
fn estimates_since_the_last_reading_are_counted_and_summed() {
    let rs = [read(7, Zone::Total, p(2025, 12), 100)];
    let est = [
        estimated(Zone::Total, p(2025, 12), 0, 999),
        estimated(Zone::Total, p(2026, 1), 0, 40),
        estimated(Zone::Total, p(2026, 2), 0, 45),
    ];
    let m = finish(vec![single(&rs, p(2026, 3)).unwrap()], &est, p(2026, 3));
    let z = &m[0].zones[0];
    assert_eq!((z.estimated_periods, z.billed_as_estimates), (2, dec!(85)));
}

#[test]
fn a_period_without_an_estimate_breaks_the_run_but_not_the_sum() {
    let rs = [read(7, Zone::Total, p(2025, 11), 100)];
    let est = [
        estimated(Zone::Total, p(2025, 12), 0, 30),
        estimated(Zone::Total, p(2026, 2), 0, 45),
    ];
    let m = finish(vec![single(&rs, p(2026, 3)).unwrap()], &est, p(2026, 3));
    let z = &m[0].zones[0];
    assert_eq!((z.estimated_periods, z.billed_as_estimates), (1, dec!(75)));
}

#[test]
fn two_meters_of_one_zone_share_the_estimated_lines_by_position() {
    let rs_a = [read(1, Zone::Total, p(2026, 1), 100)];
    let rs_b = [
        read(2, Zone::Total, p(2026, 1), 500),
        read(2, Zone::Total, p(2026, 2), 520),
    ];
    let (ma, spec) = meter(1, TariffKind::Single);
    let (mb, _) = meter(2, TariffKind::Single);
    let a = ready_meter(&ma, spec, p(2026, 3), |_| &rs_a).unwrap();
    let b = ready_meter(&mb, spec, p(2026, 3), |_| &rs_b).unwrap();
    // February: only meter 1 was estimated (meter 2 was read), so line 0 is meter 1's.
    let est = [estimated(Zone::Total, p(2026, 2), 0, 33)];
    let m = finish(vec![a, b], &est, p(2026, 3));
    assert_eq!(m[0].zones[0].billed_as_estimates, dec!(33));
    assert_eq!(m[1].zones[0].billed_as_estimates, dec!(0));
    assert_eq!(m[0].zones[0].estimated_periods, 1);
}
