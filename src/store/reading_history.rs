//! The actual consumption history of a meter zone: the monthly volumes its average is taken over.

use super::codec::period;
use super::meters::MeterId;
use super::{Store, StoreResult};
use crate::billing::consumption::{consumption, share};
use crate::billing::estimate::AVERAGE_WINDOW_MONTHS;
use crate::billing::{MeterSpec, Period, Zone};
use chrono::NaiveDate;
use rust_decimal::Decimal;

impl Store {
    /// The actual monthly volumes of one zone of a meter, oldest first, at most the last 12,
    /// from the latest actual reading of each period among those taken before `before`
    /// (estimates left out). Feed it to [`crate::billing::estimate::average_monthly`].
    pub async fn monthly_actual_volumes(
        &self,
        meter: MeterId,
        zone: Zone,
        spec: &MeterSpec,
        before: NaiveDate,
    ) -> StoreResult<Vec<Decimal>> {
        // One reading more than the months kept: 12 volumes need 13 readings.
        let rows: Vec<(NaiveDate, Decimal)> = sqlx::query_as(
            "SELECT DISTINCT ON (period) period, value FROM readings
             WHERE meter_id = $1 AND zone = $2 AND taken_on < $3 AND source <> 'estimate'
             ORDER BY period DESC, taken_on DESC
             LIMIT $4",
        )
        .bind(meter)
        .bind(zone.code())
        .bind(before)
        .bind(AVERAGE_WINDOW_MONTHS as i64 + 1)
        .fetch_all(&self.pool)
        .await?;
        let mut readings = rows
            .into_iter()
            .map(|(p, value)| Ok((period(p)?, value)))
            .collect::<StoreResult<Vec<_>>>()?;
        readings.reverse();
        Ok(monthly_volumes(&readings, spec))
    }
}

/// Monthly volumes between consecutive readings `(period, value)` (oldest first), at most the
/// last 12: a delta over several periods counts as that many equal months, the last taking the
/// remainder, as period close counts them.
pub fn monthly_volumes(readings: &[(Period, Decimal)], spec: &MeterSpec) -> Vec<Decimal> {
    let mut months = Vec::new();
    for pair in readings.windows(2) {
        let ((from, previous), (to, current)) = (pair[0], pair[1]);
        let n = from.months_until(to).max(1);
        let volume = consumption(previous, current, spec).volume();
        let each = share(volume, Decimal::ONE, Decimal::from(n));
        months.extend(std::iter::repeat_n(each, n as usize - 1));
        months.push(volume - each * Decimal::from(n - 1));
    }
    let keep = months.len().saturating_sub(AVERAGE_WINDOW_MONTHS);
    months.drain(..keep);
    months
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::TariffKind;
    use rust_decimal_macros::dec;

    fn five() -> MeterSpec {
        MeterSpec::new(5, 0, TariffKind::Single).unwrap()
    }

    fn month(m: u32) -> Period {
        Period::new(2026, m).unwrap()
    }

    #[test]
    fn consecutive_monthly_readings_give_their_differences() {
        let readings = [
            (month(1), dec!(100)),
            (month(2), dec!(250)),
            (month(3), dec!(330)),
        ];
        assert_eq!(monthly_volumes(&readings, &five()), [dec!(150), dec!(80)]);
    }

    #[test]
    fn a_gap_of_several_months_is_spread_equally_with_the_remainder_last() {
        let readings = [(month(1), dec!(0)), (month(4), dec!(100))];
        assert_eq!(
            monthly_volumes(&readings, &five()),
            [dec!(33.333), dec!(33.333), dec!(33.334)]
        );
    }

    #[test]
    fn a_rollover_in_the_history_counts_round_the_display() {
        let readings = [(month(1), dec!(99990)), (month(2), dec!(10))];
        assert_eq!(monthly_volumes(&readings, &five()), [dec!(20)]);
    }

    #[test]
    fn only_the_last_twelve_months_are_kept() {
        let readings: Vec<(Period, Decimal)> = (0..20)
            .map(|i| (month(1).plus(i), Decimal::from(i * 10 + i * i)))
            .collect();
        let months = monthly_volumes(&readings, &five());
        assert_eq!(months.len(), 12);
        // The last volume: (19·10 + 361) − (18·10 + 324) = 47.
        assert_eq!(months.last(), Some(&dec!(47)));
    }

    #[test]
    fn fewer_than_two_readings_give_no_history() {
        assert!(monthly_volumes(&[], &five()).is_empty());
        assert!(monthly_volumes(&[(month(1), dec!(5))], &five()).is_empty());
    }
}
