//! Tariffs: the rate of each zone with validity dates, and the split of a consumption interval
//! into parts by the rate in force.

use super::consumption::share;
use super::types::Zone;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The rate of one zone, ₽ per kWh, valid on `[valid_from, valid_to)`; `valid_to: None` is open-ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub zone: Zone,
    /// ₽ per kWh.
    pub rate: Decimal,
    pub valid_from: NaiveDate,
    /// Exclusive.
    pub valid_to: Option<NaiveDate>,
}

impl Rate {
    fn covers(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date < to)
    }
}

/// What is wrong with a tariff table, or what it cannot answer.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum TariffError {
    #[error("no {zone} rate is valid on {date}")]
    MissingRate { zone: Zone, date: NaiveDate },
    #[error("the {zone} rate from {valid_from} is not positive")]
    NonPositiveRate { zone: Zone, valid_from: NaiveDate },
    #[error("the {zone} rate from {valid_from} ends before it starts")]
    EmptyValidity { zone: Zone, valid_from: NaiveDate },
    #[error("two {zone} rates are both valid on {date}")]
    Overlap { zone: Zone, date: NaiveDate },
    #[error("the interval {from} – {to} ends before it starts")]
    BackwardInterval { from: NaiveDate, to: NaiveDate },
}

/// One part of a consumption interval billed at one rate: `[from, to)`, `days` long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TariffPart {
    pub rate: Decimal,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub volume: Decimal,
}

/// The rates of one tariff category, by zone, checked to never overlap.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TariffTable {
    /// Indexed by [`zone_index`], each sorted by `valid_from`.
    by_zone: [Vec<Rate>; 5],
}

fn zone_index(zone: Zone) -> usize {
    match zone {
        Zone::Total => 0,
        Zone::Day => 1,
        Zone::Night => 2,
        Zone::Peak => 3,
        Zone::SemiPeak => 4,
    }
}

impl TariffTable {
    /// Builds the table of one category. Gaps between rates are allowed (a look-up there fails);
    /// overlaps, non-positive rates and empty validities are refused.
    pub fn new(rates: impl IntoIterator<Item = Rate>) -> Result<TariffTable, TariffError> {
        let mut table = TariffTable::default();
        for rate in rates {
            if rate.rate <= Decimal::ZERO {
                return Err(TariffError::NonPositiveRate {
                    zone: rate.zone,
                    valid_from: rate.valid_from,
                });
            }
            if rate.valid_to.is_some_and(|to| to <= rate.valid_from) {
                return Err(TariffError::EmptyValidity {
                    zone: rate.zone,
                    valid_from: rate.valid_from,
                });
            }
            table.by_zone[zone_index(rate.zone)].push(rate);
        }
        for rates in &mut table.by_zone {
            rates.sort_by_key(|r| r.valid_from);
            for pair in rates.windows(2) {
                if pair[0].valid_to.is_none_or(|to| to > pair[1].valid_from) {
                    return Err(TariffError::Overlap {
                        zone: pair[1].zone,
                        date: pair[1].valid_from,
                    });
                }
            }
        }
        Ok(table)
    }

    fn find(&self, zone: Zone, date: NaiveDate) -> Result<&Rate, TariffError> {
        let rates = &self.by_zone[zone_index(zone)];
        let after = rates.partition_point(|r| r.valid_from <= date);
        after
            .checked_sub(1)
            .map(|i| &rates[i])
            .filter(|r| r.covers(date))
            .ok_or(TariffError::MissingRate { zone, date })
    }

    /// The rate of `zone` in force on `date`, ₽ per kWh.
    pub fn rate_on(&self, zone: Zone, date: NaiveDate) -> Result<Decimal, TariffError> {
        self.find(zone, date).map(|r| r.rate)
    }

    /// Splits `volume` consumed over `[from, to)` into parts by the rate of `zone` in force,
    /// proportionally to days. Adjacent rates of equal value make one part. Every part but the
    /// last is truncated to 3 decimals (the volume precision) and the last takes the remainder,
    /// so the parts always sum exactly to `volume`. An empty interval (`from == to`, two readings
    /// on one day) is one part at the rate of `from`.
    pub fn split(
        &self,
        zone: Zone,
        from: NaiveDate,
        to: NaiveDate,
        volume: Decimal,
    ) -> Result<Vec<TariffPart>, TariffError> {
        if to < from {
            return Err(TariffError::BackwardInterval { from, to });
        }
        let first = self.find(zone, from)?;
        if first.valid_to.is_none_or(|end| end >= to) {
            // The usual case: one rate covers the whole interval.
            let days = (to - from).num_days();
            let part = TariffPart {
                rate: first.rate,
                from,
                to,
                days,
                volume,
            };
            return Ok(vec![part]);
        }
        let total_days = (to - from).num_days();
        let mut parts = Vec::with_capacity(2);
        let mut assigned = Decimal::ZERO;
        let mut cursor = from;
        while cursor < to {
            let rate = self.find(zone, cursor)?.rate;
            let mut end = cursor;
            // Extend over following rates of the same value: one receipt line, not two.
            while end < to {
                let current = self.find(zone, end)?;
                if current.rate != rate {
                    break;
                }
                end = current.valid_to.map_or(to, |t| t.min(to));
            }
            let days = (end - cursor).num_days();
            let part_volume = if end == to {
                volume - assigned
            } else {
                share(volume, Decimal::from(days), Decimal::from(total_days))
            };
            assigned += part_volume;
            parts.push(TariffPart {
                rate,
                from: cursor,
                to: end,
                days,
                volume: part_volume,
            });
            cursor = end;
        }
        Ok(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::fixtures::{d, rate, urban};
    use rust_decimal_macros::dec;

    #[test]
    fn rate_on_a_date_follows_validity_with_exclusive_end() {
        let t = urban();
        assert_eq!(t.rate_on(Zone::Total, d(2026, 6, 30)), Ok(dec!(5.89)));
        assert_eq!(t.rate_on(Zone::Total, d(2026, 7, 1)), Ok(dec!(6.43)));
        assert_eq!(t.rate_on(Zone::Total, d(2030, 1, 1)), Ok(dec!(6.43)));
    }

    #[test]
    fn missing_rate_is_a_typed_error() {
        let t = urban();
        assert_eq!(
            t.rate_on(Zone::Total, d(2025, 6, 30)),
            Err(TariffError::MissingRate {
                zone: Zone::Total,
                date: d(2025, 6, 30)
            })
        );
        assert!(matches!(
            t.rate_on(Zone::Night, d(2026, 1, 1)),
            Err(TariffError::MissingRate {
                zone: Zone::Night,
                ..
            })
        ));
    }

    #[test]
    fn a_gap_between_rates_is_missing() {
        let t = TariffTable::new([
            rate(Zone::Day, dec!(6), d(2026, 1, 1), Some(d(2026, 2, 1))),
            rate(Zone::Day, dec!(7), d(2026, 3, 1), None),
        ])
        .unwrap();
        assert!(t.rate_on(Zone::Day, d(2026, 2, 10)).is_err());
        assert!(
            t.split(Zone::Day, d(2026, 1, 20), d(2026, 3, 10), dec!(100))
                .is_err()
        );
    }

    #[test]
    fn overlapping_or_bad_rates_are_refused() {
        let overlap = TariffTable::new([
            rate(Zone::Total, dec!(5), d(2026, 1, 1), None),
            rate(Zone::Total, dec!(6), d(2026, 7, 1), None),
        ]);
        assert_eq!(
            overlap,
            Err(TariffError::Overlap {
                zone: Zone::Total,
                date: d(2026, 7, 1)
            })
        );
        let zero = TariffTable::new([rate(Zone::Total, dec!(0), d(2026, 1, 1), None)]);
        assert!(matches!(zero, Err(TariffError::NonPositiveRate { .. })));
        let empty = TariffTable::new([rate(
            Zone::Total,
            dec!(5),
            d(2026, 1, 1),
            Some(d(2026, 1, 1)),
        )]);
        assert!(matches!(empty, Err(TariffError::EmptyValidity { .. })));
    }

    #[test]
    fn a_july_tariff_change_splits_the_volume_by_days() {
        // 20 June – 22 July: 11 days at 5.89, 21 days at 6.43; 320 kWh.
        let parts = urban()
            .split(Zone::Total, d(2026, 6, 20), d(2026, 7, 22), dec!(320))
            .unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].rate, parts[0].days), (dec!(5.89), 11));
        assert_eq!((parts[1].rate, parts[1].days), (dec!(6.43), 21));
        assert_eq!(parts[0].volume, dec!(110)); // 320 × 11 / 32
        assert_eq!(parts[1].volume, dec!(210));
        assert_eq!((parts[0].to, parts[1].from), (d(2026, 7, 1), d(2026, 7, 1)));
    }

    #[test]
    fn split_parts_sum_exactly_with_the_remainder_in_the_last() {
        // 100 kWh over 31 days, 11 + 20: 35.483870… → 35.483, the rest 64.517.
        let parts = urban()
            .split(Zone::Total, d(2026, 6, 20), d(2026, 7, 21), dec!(100))
            .unwrap();
        assert_eq!(parts[0].volume, dec!(35.483));
        assert_eq!(parts[1].volume, dec!(64.517));
        assert_eq!(parts[0].volume + parts[1].volume, dec!(100));
    }

    #[test]
    fn an_interval_inside_one_rate_is_one_part() {
        let parts = urban()
            .split(Zone::Total, d(2026, 7, 20), d(2026, 8, 21), dec!(42))
            .unwrap();
        assert_eq!(parts.len(), 1);
        assert_eq!(
            (parts[0].rate, parts[0].volume, parts[0].days),
            (dec!(6.43), dec!(42), 32)
        );
    }

    #[test]
    fn equal_adjacent_rates_make_one_part() {
        let t = TariffTable::new([
            rate(Zone::Total, dec!(5.89), d(2025, 7, 1), Some(d(2026, 7, 1))),
            rate(Zone::Total, dec!(5.89), d(2026, 7, 1), None),
        ])
        .unwrap();
        let parts = t
            .split(Zone::Total, d(2026, 6, 20), d(2026, 7, 20), dec!(30))
            .unwrap();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].days, 30);
    }

    #[test]
    fn an_empty_interval_is_one_part_and_a_backward_one_an_error() {
        let parts = urban()
            .split(Zone::Total, d(2026, 7, 1), d(2026, 7, 1), dec!(3))
            .unwrap();
        assert_eq!((parts.len(), parts[0].volume), (1, dec!(3)));
        assert!(matches!(
            urban().split(Zone::Total, d(2026, 7, 2), d(2026, 7, 1), dec!(3)),
            Err(TariffError::BackwardInterval { .. })
        ));
    }

    #[test]
    fn negative_volumes_split_toward_zero_and_still_sum() {
        let parts = urban()
            .split(Zone::Total, d(2026, 6, 20), d(2026, 7, 21), dec!(-100))
            .unwrap();
        assert_eq!(parts[0].volume, dec!(-35.483));
        assert_eq!(parts[0].volume + parts[1].volume, dec!(-100));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn split_parts_sum_to_the_whole(
                kwh in -10_000_000i64..10_000_000_000,
                start in 0i64..1500,
                len in 0i64..800,
                changes in proptest::collection::btree_set(1i64..2500, 0..6),
            ) {
                let base = d(2024, 1, 1);
                let mut bounds: Vec<i64> = changes.into_iter().collect();
                bounds.insert(0, 0);
                let rates = bounds.iter().enumerate().map(|(i, &b)| {
                    let to = bounds.get(i + 1).map(|&n| base + chrono::Days::new(n as u64));
                    rate(Zone::Total, Decimal::new(500 + (i as i64 % 2) * 50, 2), base + chrono::Days::new(b as u64), to)
                });
                let table = TariffTable::new(rates).unwrap();
                let volume = Decimal::new(kwh, 3);
                let from = base + chrono::Days::new(start as u64);
                let to = from + chrono::Days::new(len as u64);
                let parts = table.split(Zone::Total, from, to, volume).unwrap();
                prop_assert_eq!(parts.iter().map(|p| p.volume).sum::<Decimal>(), volume);
                prop_assert_eq!(parts.iter().map(|p| p.days).sum::<i64>(), len);
                for p in &parts {
                    prop_assert!(p.volume.abs() <= volume.abs());
                    prop_assert!(p.volume.is_zero() || p.volume.is_sign_negative() == volume.is_sign_negative());
                }
            }
        }
    }
}
