//! One account's meters as the pure close wants them: per zone the last actual reading, this
//! period's reading, the monthly history, and what was billed by estimate since.

use crate::billing::close::{MeterInput, MeterReading, ZoneInput};
use crate::billing::consumption::{MeterSpec, consumption};
use crate::billing::estimate::AVERAGE_WINDOW_MONTHS;
use crate::billing::{Period, Zone};
use crate::store::close::{ActualReading, CloseMeter, EstimatedLine};
use rust_decimal::{Decimal, RoundingStrategy};

/// Why a meter cannot take part in the close.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Unready {
    /// No actual reading before the period, but some in it: a meter installed (or first read) in
    /// this period. It is billed from the next one on, from its first reading: nothing is lost.
    New,
    /// A zone has no actual reading at all, or only some zones have one before the period.
    NoBase,
}

/// A meter zone before the estimates are attributed.
struct Based {
    zone: ZoneInput,
    /// The period of `zone.last_actual`.
    read_in: Period,
}

/// A meter of the account whose every zone has a reading to start from.
pub(super) struct ReadyMeter {
    id: i64,
    spec: MeterSpec,
    zones: Vec<Based>,
}

/// Builds a meter's zones from its readings. `readings` gives the actual readings of a zone by
/// period (oldest first), as [`crate::store::close::CloseBatch::readings`] holds them.
pub(super) fn ready_meter<'a>(
    meter: &CloseMeter,
    spec: MeterSpec,
    period: Period,
    readings: impl Fn(Zone) -> &'a [ActualReading],
) -> Result<ReadyMeter, Unready> {
    let mut zones = Vec::with_capacity(spec.kind().zones().len());
    let (mut unbased, mut current_only) = (0, false);
    for &zone in spec.kind().zones() {
        let all = readings(zone);
        let split = all.partition_point(|r| r.period < period);
        let (before, now) = all.split_at(split);
        let current = now.last().map(|r| MeterReading {
            value: r.value,
            taken_on: r.taken_on,
        });
        let Some(last) = before.last() else {
            unbased += 1;
            current_only |= current.is_some();
            continue;
        };
        zones.push(Based {
            zone: ZoneInput {
                zone,
                last_actual: MeterReading {
                    value: last.value,
                    taken_on: last.taken_on,
                },
                current,
                history: history(before, &spec),
                estimated_periods: 0,
                billed_as_estimates: Decimal::ZERO,
            },
            read_in: last.period,
        });
    }
    match unbased {
        0 => Ok(ReadyMeter {
            id: meter.id,
            spec,
            zones,
        }),
        n if n == spec.kind().zones().len() && current_only => Err(Unready::New),
        _ => Err(Unready::NoBase),
    }
}

/// Monthly volumes between consecutive actual readings (oldest first, at most the last 12): a
/// delta over several periods counts as that many equal months, the last taking the remainder.
fn history(before: &[ActualReading], spec: &MeterSpec) -> Vec<Decimal> {
    let mut months = Vec::new();
    for pair in before.windows(2) {
        let n = pair[0].period.months_until(pair[1].period).max(1);
        let volume = consumption(pair[0].value, pair[1].value, spec).volume();
        let each = (volume / Decimal::from(n)).round_dp_with_strategy(3, RoundingStrategy::ToZero);
        months.extend(std::iter::repeat_n(each, n as usize - 1));
        months.push(volume - each * Decimal::from(n - 1));
    }
    let keep = months.len().saturating_sub(AVERAGE_WINDOW_MONTHS);
    months.drain(..keep);
    months
}

/// Finishes the account's meters: attributes the estimated lines of `estimates` (the account's,
/// by zone, period and line) to its meters and counts the estimated periods in a row.
///
/// The `charges` table keeps no meter id, so with several meters counting one zone the lines of
/// a period are matched to meters by position: [`crate::billing::close_account`] writes them in
/// meter order, one line per estimated meter zone. A meter estimated in period `t` is one whose
/// last actual reading counted for a period before `t`. Extra lines (a rate change inside the
/// month) go to the last such meter.
pub(super) fn finish(
    meters: Vec<ReadyMeter>,
    estimates: &[EstimatedLine],
    period: Period,
) -> Vec<MeterInput> {
    let mut out = Vec::with_capacity(meters.len());
    for (index, meter) in meters.iter().enumerate() {
        let mut zones = Vec::with_capacity(meter.zones.len());
        for based in &meter.zones {
            let mut zone = based.zone.clone();
            let zone_lines = run(estimates, based.zone.zone);
            let mut billed_in_period_before = true;
            let mut t = period.prev();
            while t > based.read_in {
                let lines = run_in(zone_lines, t);
                let (rank, last) = rank(&meters, index, based.zone.zone, t);
                let mine = lines
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i == rank || (last && *i > rank));
                let mut any = false;
                for (_, line) in mine {
                    zone.billed_as_estimates += line.volume;
                    any = true;
                }
                billed_in_period_before &= any;
                if billed_in_period_before {
                    zone.estimated_periods += 1;
                }
                t = t.prev();
            }
            zones.push(zone);
        }
        out.push(MeterInput {
            id: meter.id,
            spec: meter.spec,
            zones,
        });
    }
    out
}

/// The position of meter `index` among the account's meters estimated for `zone` in `t`, and
/// whether it is the last of them.
fn rank(meters: &[ReadyMeter], index: usize, zone: Zone, t: Period) -> (usize, bool) {
    let estimated = |m: &ReadyMeter| m.zones.iter().any(|z| z.zone.zone == zone && z.read_in < t);
    let before = meters[..index].iter().filter(|m| estimated(m)).count();
    let after = meters[index + 1..].iter().any(estimated);
    (before, !after)
}

/// The run of `lines` (sorted by zone) of `zone`.
fn run(lines: &[EstimatedLine], zone: Zone) -> &[EstimatedLine] {
    let start = lines.partition_point(|l| l.zone < zone);
    let end = lines.partition_point(|l| l.zone <= zone);
    &lines[start..end]
}

/// The run of `lines` (one zone's, sorted by period) of period `t`.
fn run_in(lines: &[EstimatedLine], t: Period) -> &[EstimatedLine] {
    let start = lines.partition_point(|l| l.period < t);
    let end = lines.partition_point(|l| l.period <= t);
    &lines[start..end]
}

#[cfg(test)]
#[path = "zones_tests.rs"]
mod tests;
