//! The pure heart of period close for one account: readings, estimates and ОДН in, charge lines
//! out. Penalties are computed elsewhere.
//!
//! The input is plain owned data so the store can fill it for a batch of accounts in one go;
//! the category's tariff table is shared behind an [`Arc`], built once per batch.

use super::charge::{ChargeLine, ZoneVolume, charge_zone, odn_line};
use super::consumption::{MeterSpec, consumption, share};
use super::estimate::{by_average, norm_shares, settle};
use super::period::Period;
use super::tariff::{TariffError, TariffTable};
use super::types::{TariffKind, Zone};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::sync::Arc;

/// Everything needed to close one account's period.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountPeriodInput {
    pub period: Period,
    /// The rates of the account's category.
    pub tariffs: Arc<TariffTable>,
    /// Monthly ОДН volume, kWh (0: no ОДН line).
    pub odn_kwh: Decimal,
    /// Monthly norm of the account, kWh. With several meters it is divided equally between them.
    pub norm_kwh: Decimal,
    pub meters: Vec<MeterInput>,
}

/// One meter of the account.
#[derive(Clone, Debug, PartialEq)]
pub struct MeterInput {
    /// The meter's id in the store, to name it in errors.
    pub id: i64,
    pub spec: MeterSpec,
    /// Exactly the zones of `spec.kind()`, in any order.
    pub zones: Vec<ZoneInput>,
}

/// One zone of a meter.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneInput {
    pub zone: Zone,
    /// The last actual (not estimated) reading counted for a period before this one:
    /// the installation reading for a new meter.
    pub last_actual: MeterReading,
    /// The latest actual reading counted for this period, if any came.
    pub current: Option<MeterReading>,
    /// Actual monthly volumes, oldest first (12 suffice). A delta spanning several months
    /// should be given as that many equal months.
    pub history: Vec<Decimal>,
    /// How many periods in a row right before this one were billed by estimate.
    pub estimated_periods: u32,
    /// The volume billed as estimates since `last_actual` (0 when none).
    pub billed_as_estimates: Decimal,
}

/// A value shown on a meter's display on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MeterReading {
    pub value: Decimal,
    pub taken_on: NaiveDate,
}

/// Why an account's period cannot be closed: bad data the store must fix, never a user error.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum CloseError {
    #[error("meter {meter}: {source}")]
    Tariff { meter: i64, source: TariffError },
    #[error("ОДН: {0}")]
    Odn(TariffError),
    #[error(
        "meter {meter}, zone {zone}: the reading of {current} is older than the last one, of {last}"
    )]
    ReadingOutOfOrder {
        meter: i64,
        zone: Zone,
        last: NaiveDate,
        current: NaiveDate,
    },
    #[error("meter {meter}: the zones given do not match a {kind} meter")]
    ZonesMismatch { meter: i64, kind: TariffKind },
}

/// Closes one account's period: per meter and zone, the lines of the actual reading (settling
/// any estimated months, see [`super::estimate`]) or of an estimate (`estimated: true`), split by
/// tariff parts; then the ОДН line. Lines follow the meters' order, zones in receipt order.
pub fn close_account(input: &AccountPeriodInput) -> Result<Vec<ChargeLine>, CloseError> {
    let zones: usize = input.meters.iter().map(|m| m.zones.len()).sum();
    let mut out = Vec::with_capacity(zones + 1);
    let meters = input.meters.len();
    let each_norm = share(input.norm_kwh, Decimal::ONE, Decimal::from(meters));
    for (i, meter) in input.meters.iter().enumerate() {
        let norm = if i + 1 == meters {
            input.norm_kwh - each_norm * Decimal::from(meters - 1)
        } else {
            each_norm
        };
        close_meter(input, meter, norm, &mut out)?;
    }
    if let Some(line) =
        odn_line(&input.tariffs, input.period, input.odn_kwh).map_err(CloseError::Odn)?
    {
        out.push(line);
    }
    Ok(out)
}

fn close_meter(
    input: &AccountPeriodInput,
    meter: &MeterInput,
    norm: Decimal,
    out: &mut Vec<ChargeLine>,
) -> Result<(), CloseError> {
    let kind = meter.spec.kind();
    let mismatch = CloseError::ZonesMismatch {
        meter: meter.id,
        kind,
    };
    let kind_zones = kind.zones();
    if meter.zones.len() != kind_zones.len() {
        return Err(mismatch);
    }
    let mut ordered: [Option<&ZoneInput>; 3] = [None; 3];
    for (slot, zone) in ordered.iter_mut().zip(kind_zones) {
        *slot = Some(
            meter
                .zones
                .iter()
                .find(|z| z.zone == *zone)
                .ok_or(mismatch.clone())?,
        );
    }
    let mut shares: Option<Vec<Decimal>> = None;
    for (i, z) in ordered.iter().flatten().enumerate() {
        let usage = match z.current {
            Some(current) => actual(meter, z, current)?,
            None => {
                let volume = by_average(&z.history, z.estimated_periods).unwrap_or_else(|| {
                    let shares = shares.get_or_insert_with(|| {
                        let histories: Vec<&[Decimal]> = ordered
                            .iter()
                            .flatten()
                            .map(|z| z.history.as_slice())
                            .collect();
                        norm_shares(norm, &histories)
                    });
                    shares[i]
                });
                ZoneVolume {
                    zone: z.zone,
                    from: input.period.first_day(),
                    to: input.period.next().first_day(),
                    volume,
                    estimated: true,
                }
            }
        };
        charge_zone(&input.tariffs, &usage, out).map_err(|source| CloseError::Tariff {
            meter: meter.id,
            source,
        })?;
    }
    Ok(())
}

/// The volume of an actual reading over `[last actual, current)`, net of estimates billed since.
fn actual(
    meter: &MeterInput,
    z: &ZoneInput,
    current: MeterReading,
) -> Result<ZoneVolume, CloseError> {
    let last = z.last_actual;
    if current.taken_on < last.taken_on {
        return Err(CloseError::ReadingOutOfOrder {
            meter: meter.id,
            zone: z.zone,
            last: last.taken_on,
            current: current.taken_on,
        });
    }
    let delta = consumption(last.value, current.value, &meter.spec).volume();
    Ok(ZoneVolume {
        zone: z.zone,
        from: last.taken_on,
        to: current.taken_on,
        volume: settle(delta, z.billed_as_estimates),
        estimated: false,
    })
}

#[cfg(test)]
#[path = "close_tests.rs"]
mod tests;
