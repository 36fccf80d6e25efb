//! Tariffs and dates shared by the billing unit tests.

use super::tariff::{Rate, TariffTable};
use super::types::Zone;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn rate(zone: Zone, rate: Decimal, from: NaiveDate, to: Option<NaiveDate>) -> Rate {
    Rate {
        zone,
        rate,
        valid_from: from,
        valid_to: to,
    }
}

/// Urban, single-rate: 5.89 ₽/kWh until 1 July 2026, then 6.43.
pub fn urban() -> TariffTable {
    TariffTable::new([
        rate(Zone::Total, dec!(5.89), d(2025, 7, 1), Some(d(2026, 7, 1))),
        rate(Zone::Total, dec!(6.43), d(2026, 7, 1), None),
    ])
    .unwrap()
}

/// Every zone from 1 July 2025 on: total 5.89, day 6.72, night 3.41, peak 7.07, semi-peak 5.89.
pub fn three_zone_tariffs() -> TariffTable {
    let from = d(2025, 7, 1);
    TariffTable::new([
        rate(Zone::Total, dec!(5.89), from, None),
        rate(Zone::Day, dec!(6.72), from, None),
        rate(Zone::Night, dec!(3.41), from, None),
        rate(Zone::Peak, dec!(7.07), from, None),
        rate(Zone::SemiPeak, dec!(5.89), from, None),
    ])
    .unwrap()
}
