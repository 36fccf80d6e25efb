//! The volume billed when no reading came (Decree 354 p.59–60), and how the next actual reading
//! settles it.
//!
//! - A zone without a reading is billed by its own average monthly consumption, taken over its
//!   last actual monthly volumes (at least [`MIN_HISTORY_MONTHS`], at most
//!   [`AVERAGE_WINDOW_MONTHS`]), for up to [`MAX_PERIODS_BY_AVERAGE`] periods in a row.
//! - After that, or with too little history, it is billed by the norm. The norm is a volume for
//!   the whole meter, so it is split between the meter's zones by their shares in the same
//!   actual history (night really is cheaper and really is used less; putting the whole norm
//!   on the day zone would overbill). With no history at all, the norm goes to the meter's
//!   first zone (single-rate: `total`; two-zone: `day`; three-zone: `peak`).
//! - The next actual reading settles every estimated month at once: its volume is the actual
//!   delta since the last actual reading minus the volume already billed as estimates since
//!   then ([`settle`]). When the estimates overshot, that volume is negative: a recalculation
//!   line with a negative amount.

use super::consumption::{round_volume, share};
use rust_decimal::Decimal;

/// The fewest actual months an average may be taken over.
pub const MIN_HISTORY_MONTHS: usize = 6;
/// The most recent actual months an average is taken over.
pub const AVERAGE_WINDOW_MONTHS: usize = 12;
/// Periods in a row that may be billed by average before the norm applies.
pub const MAX_PERIODS_BY_AVERAGE: u32 = 3;

/// What an estimated volume was based on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Basis {
    Average,
    Norm,
}

/// The last up-to-12 entries of an actual monthly history (oldest first).
fn recent(history: &[Decimal]) -> &[Decimal] {
    &history[history.len().saturating_sub(AVERAGE_WINDOW_MONTHS)..]
}

/// The average monthly consumption over the last up-to-12 actual monthly volumes (oldest first),
/// rounded half-up to the volume precision; `None` with fewer than 6 months.
pub fn average_monthly(history: &[Decimal]) -> Option<Decimal> {
    let months = recent(history);
    if months.len() < MIN_HISTORY_MONTHS {
        return None;
    }
    let sum: Decimal = months.iter().sum();
    Some(round_volume(sum / Decimal::from(months.len())))
}

/// The volume of a zone with no reading by its average, when the average may still be used:
/// `estimated_periods` is how many periods in a row were already estimated before this one.
/// `None` means: bill by the norm.
pub fn by_average(history: &[Decimal], estimated_periods: u32) -> Option<Decimal> {
    if estimated_periods >= MAX_PERIODS_BY_AVERAGE {
        return None;
    }
    average_monthly(history)
}

/// Splits a meter's `norm` between its zones (histories in the meter's zone order) by their
/// shares in the recent actual history; everything to the first zone when there is none.
/// The parts sum exactly to `norm`: the last zone that has a share takes the remainder.
pub fn norm_shares(norm: Decimal, histories: &[&[Decimal]]) -> Vec<Decimal> {
    let weights: Vec<Decimal> = histories.iter().map(|h| recent(h).iter().sum()).collect();
    let whole: Decimal = weights.iter().sum();
    let mut shares = vec![Decimal::ZERO; histories.len()];
    if whole <= Decimal::ZERO || weights.iter().any(|w| w.is_sign_negative()) {
        if let Some(first) = shares.first_mut() {
            *first = norm;
        }
        return shares;
    }
    let last = weights.iter().rposition(|w| !w.is_zero()).unwrap_or(0);
    let mut assigned = Decimal::ZERO;
    for (i, weight) in weights.iter().enumerate().take(last) {
        shares[i] = share(norm, *weight, whole);
        assigned += shares[i];
    }
    shares[last] = norm - assigned;
    shares
}

/// The volume an actual reading bills after estimated months: the actual delta since the last
/// actual reading minus what was billed as estimates since then. Negative when the estimates
/// overshot: a recalculation.
pub fn settle(actual_delta: Decimal, billed_as_estimates: Decimal) -> Decimal {
    actual_delta - billed_as_estimates
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn months(volumes: &[i64]) -> Vec<Decimal> {
        volumes.iter().map(|&v| Decimal::from(v)).collect()
    }

    #[test]
    fn six_months_give_an_average() {
        let h = months(&[180, 200, 160, 190, 210, 140]);
        assert_eq!(average_monthly(&h), Some(dec!(180)));
    }

    #[test]
    fn fewer_than_six_months_give_no_average() {
        assert_eq!(average_monthly(&months(&[180, 200, 160, 190, 210])), None);
        assert_eq!(average_monthly(&[]), None);
    }

    #[test]
    fn the_average_uses_the_last_twelve_months_only() {
        let mut h = months(&[1000, 1000, 1000]);
        h.extend(months(&[100; 12]));
        assert_eq!(average_monthly(&h), Some(dec!(100)));
    }

    #[test]
    fn the_average_is_rounded_to_the_watt_hour() {
        // 1000 / 6 = 166.666…
        let h = months(&[100, 100, 200, 200, 200, 200]);
        assert_eq!(average_monthly(&h), Some(dec!(166.667)));
    }

    #[test]
    fn months_one_to_three_by_average_then_the_norm_in_month_four() {
        let h = months(&[180, 200, 160, 190, 210, 140]);
        for already in 0..3 {
            assert_eq!(
                by_average(&h, already),
                Some(dec!(180)),
                "month {}",
                already + 1
            );
        }
        assert_eq!(by_average(&h, 3), None);
        assert_eq!(by_average(&h, 7), None);
    }

    #[test]
    fn too_little_history_goes_to_the_norm_at_once() {
        assert_eq!(by_average(&months(&[180, 200, 160]), 0), None);
    }

    #[test]
    fn the_norm_splits_by_historic_zone_shares() {
        // Day 1800, night 600 over the history: 3/4 and 1/4 of a 230 kWh norm.
        let day = months(&[300; 6]);
        let night = months(&[100; 6]);
        let shares = norm_shares(dec!(230), &[&day, &night]);
        assert_eq!(shares, [dec!(172.5), dec!(57.5)]);
    }

    #[test]
    fn norm_shares_sum_exactly_to_the_norm() {
        let (a, b, c) = (months(&[1; 6]), months(&[1; 6]), months(&[1; 6]));
        let shares = norm_shares(dec!(100), &[&a, &b, &c]);
        assert_eq!(shares, [dec!(33.333), dec!(33.333), dec!(33.334)]);
        assert_eq!(shares.iter().sum::<Decimal>(), dec!(100));
    }

    #[test]
    fn without_history_the_norm_goes_to_the_first_zone() {
        let shares = norm_shares(dec!(230), &[&[], &[]]);
        assert_eq!(shares, [dec!(230), dec!(0)]);
    }

    #[test]
    fn a_zone_never_used_gets_no_share_of_the_norm() {
        let (day, night) = (months(&[300; 6]), months(&[0; 6]));
        assert_eq!(
            norm_shares(dec!(230), &[&day, &night]),
            [dec!(230), dec!(0)]
        );
    }

    #[test]
    fn settling_estimates_that_overshot_gives_a_negative_volume() {
        // Three months billed at 180 = 540; the meter went from 5910 to 6310: 400 used.
        assert_eq!(settle(dec!(400), dec!(540)), dec!(-140));
        assert_eq!(settle(dec!(600), dec!(540)), dec!(60));
        assert_eq!(settle(dec!(42), dec!(0)), dec!(42));
    }
}
