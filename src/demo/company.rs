//! The demo company's reference data: rates by category and zone, and the key-rate table.

use super::records::{Company, KeyRateRecord, TariffRecord};
use crate::billing::{Category, Money, Zone};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// The single-rate urban rate (gas stove) from 1 July of each year, ₽/kWh: about +10–12 % a year,
/// 5.89 in the second half of 2025.
const URBAN_SINGLE_FROM_JULY: [(i32, Decimal); 6] = [
    (2022, dec!(4.42)),
    (2023, dec!(4.83)),
    (2024, dec!(5.29)),
    (2025, dec!(5.89)),
    (2026, dec!(6.54)),
    (2027, dec!(7.26)),
];

/// Zone rates against the single rate, as regional regulators usually set them.
const ZONE_FACTORS: [(Zone, Decimal); 5] = [
    (Zone::Total, dec!(1)),
    (Zone::Day, dec!(1.15)),
    (Zone::Night, dec!(0.40)),
    (Zone::Peak, dec!(1.20)),
    (Zone::SemiPeak, dec!(1)),
];

/// Houses with electric stoves and rural settlements pay with the statutory reducing factor 0.7.
const CATEGORY_FACTORS: [(Category, Decimal); 3] = [
    (Category::Urban, dec!(1)),
    (Category::ElectricStove, dec!(0.7)),
    (Category::Rural, dec!(0.7)),
];

/// Central Bank key rate decisions, percent, from the day they took effect. Through October 2025
/// these are the actual decisions; the later cuts are illustrative. Billing caps the penalty rate
/// itself (9.5 % until 2027), so the table holds the real rates.
const KEY_RATES: [((i32, u32, u32), Decimal); 19] = [
    ((2022, 9, 19), dec!(7.5)),
    ((2023, 7, 24), dec!(8.5)),
    ((2023, 8, 15), dec!(12)),
    ((2023, 9, 18), dec!(13)),
    ((2023, 10, 30), dec!(15)),
    ((2023, 12, 18), dec!(16)),
    ((2024, 7, 29), dec!(18)),
    ((2024, 9, 16), dec!(19)),
    ((2024, 10, 28), dec!(21)),
    ((2025, 6, 9), dec!(20)),
    ((2025, 7, 28), dec!(18)),
    ((2025, 9, 15), dec!(17)),
    ((2025, 10, 27), dec!(16.5)),
    ((2025, 12, 22), dec!(16)),
    ((2026, 2, 16), dec!(15.5)),
    ((2026, 4, 27), dec!(15)),
    ((2026, 6, 22), dec!(14.5)),
    ((2026, 9, 14), dec!(14)),
    ((2026, 10, 26), dec!(13.5)),
];

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid calendar date")
}

impl Company {
    /// The demo company: rates from 1 July 2022 (the last ones open-ended) and the key rates.
    pub fn demo() -> Company {
        let mut tariffs = Vec::new();
        for (i, &(year, single)) in URBAN_SINGLE_FROM_JULY.iter().enumerate() {
            let valid_from = date(year, 7, 1);
            let valid_to = URBAN_SINGLE_FROM_JULY
                .get(i + 1)
                .map(|&(next, _)| date(next, 7, 1));
            for (category, category_factor) in CATEGORY_FACTORS {
                for (zone, zone_factor) in ZONE_FACTORS {
                    // A rate is quoted to the kopeck, like money.
                    let rate = Money::from_decimal(single * category_factor * zone_factor).amount();
                    tariffs.push(TariffRecord {
                        category,
                        zone,
                        rate,
                        valid_from,
                        valid_to,
                    });
                }
            }
        }
        let key_rates = KEY_RATES
            .iter()
            .map(|&((y, m, d), rate)| KeyRateRecord {
                valid_from: date(y, m, d),
                rate,
            })
            .collect();
        Company { tariffs, key_rates }
    }

    /// The rate of `category` and `zone` in force on `day`, if the table covers that day.
    pub fn rate(&self, category: Category, zone: Zone, day: NaiveDate) -> Option<Decimal> {
        self.tariffs
            .iter()
            .find(|t| {
                t.category == category
                    && t.zone == zone
                    && t.valid_from <= day
                    && t.valid_to.is_none_or(|to| day < to)
            })
            .map(|t| t.rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_urban_single_rate_of_late_2025_is_5_89() {
        let company = Company::demo();
        let rate = company.rate(Category::Urban, Zone::Total, date(2025, 11, 1));
        assert_eq!(rate, Some(dec!(5.89)));
    }

    #[test]
    fn rates_change_on_the_first_of_july() {
        let company = Company::demo();
        let june = company.rate(Category::Urban, Zone::Total, date(2026, 6, 30));
        let july = company.rate(Category::Urban, Zone::Total, date(2026, 7, 1));
        assert_eq!((june, july), (Some(dec!(5.89)), Some(dec!(6.54))));
    }

    #[test]
    fn night_is_cheaper_than_day_and_rural_cheaper_than_urban() {
        let company = Company::demo();
        let on = date(2026, 1, 15);
        let rate = |c, z| company.rate(c, z, on).unwrap();
        assert!(rate(Category::Urban, Zone::Night) < rate(Category::Urban, Zone::Day));
        assert!(rate(Category::Urban, Zone::Peak) > rate(Category::Urban, Zone::SemiPeak));
        assert_eq!(rate(Category::Rural, Zone::Total), dec!(4.12));
    }

    #[test]
    fn each_category_and_zone_has_one_rate_per_year() {
        let company = Company::demo();
        assert_eq!(company.tariffs.len(), 6 * 3 * 5);
        assert!(company.tariffs.iter().all(|t| t.rate > Decimal::ZERO));
    }

    #[test]
    fn key_rates_are_in_date_order() {
        let company = Company::demo();
        assert!(
            company
                .key_rates
                .windows(2)
                .all(|w| w[0].valid_from < w[1].valid_from)
        );
    }
}
