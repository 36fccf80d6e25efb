//! The reading sheet of an account as of today: its meters in service, each zone with its
//! previous reading and today's rate, the category's tariffs and where today's readings land.
//! Loaded afresh on every message, so the flow's state carries only what the consumer typed.

use super::super::{ChatCtx, Ctx, EngineError};
use crate::billing::{MeterSpec, Placement, Rate, ReadingWindow, TariffTable, Zone};
use crate::store::accounts::AccountId;
use crate::store::meters::MeterId;
use crate::store::readings::Reading;
use crate::store::{StoreError, tariffs::Tariff};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// What the flow shows and checks readings against.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub today: NaiveDate,
    pub window: ReadingWindow,
    /// The period readings taken today count for.
    pub placement: Placement,
    /// The rates of the account's category from the oldest previous reading to today.
    pub tariffs: TariffTable,
    /// Meters in service, oldest installation first.
    pub meters: Vec<MeterSheet>,
}

#[derive(Clone, Debug)]
pub struct MeterSheet {
    pub id: MeterId,
    pub serial: String,
    pub spec: MeterSpec,
    /// In receipt order.
    pub zones: Vec<ZoneSheet>,
}

#[derive(Clone, Debug)]
pub struct ZoneSheet {
    pub zone: Zone,
    /// The latest actual reading taken before today; a reading taken today is what a new one
    /// replaces, so it is not "previous".
    pub previous: Option<Reading>,
    /// The rate valid today, when the table has one.
    pub rate: Option<Decimal>,
}

impl Sheet {
    /// The sheet of the chat's current account; `None` for a chat without one.
    pub async fn load(ctx: &Ctx, chat: &ChatCtx) -> Result<Option<Sheet>, EngineError> {
        let Some(link) = &chat.current else {
            return Ok(None);
        };
        let store = &ctx.store;
        let (category, installed) = store
            .meters_with_category(AccountId(link.account_id))
            .await?
            .ok_or(StoreError::NotFound { what: "account" })?;
        let today = ctx.today();
        let mut meters = Vec::new();
        for meter in installed {
            let in_service =
                meter.installed_on <= today && meter.removed_on.is_none_or(|d| d > today);
            if !in_service {
                continue;
            }
            let spec = MeterSpec::new(meter.digits, meter.fraction_digits, meter.kind)
                .map_err(|e| StoreError::Corrupt(format!("meter {}: {e}", meter.serial)))?;
            let previous = store.last_actual_readings(meter.id, today).await?;
            let zones = meter
                .zones()
                .iter()
                .map(|&zone| ZoneSheet {
                    zone,
                    previous: previous.iter().find(|r| r.zone == zone).cloned(),
                    rate: None,
                })
                .collect();
            meters.push(MeterSheet {
                id: meter.id,
                serial: meter.serial,
                spec,
                zones,
            });
        }
        let since = meters
            .iter()
            .flat_map(|m| &m.zones)
            .filter_map(|z| z.previous.as_ref().map(|r| r.taken_on))
            .min()
            .unwrap_or(today);
        let rates = store.tariffs_between(category, since, today).await?;
        let tariffs = table(rates);
        for zone in meters.iter_mut().flat_map(|m| &mut m.zones) {
            zone.rate = tariffs.rate_on(zone.zone, today).ok();
        }
        let window = ctx.settings.reading_window;
        Ok(Some(Sheet {
            today,
            window,
            placement: window.placement(today),
            tariffs,
            meters,
        }))
    }

    pub fn meter(&self, id: MeterId) -> Option<&MeterSheet> {
        self.meters.iter().find(|m| m.id == id)
    }

    /// The meter after `id`, in the sheet's order.
    pub fn meter_after(&self, id: MeterId) -> Option<&MeterSheet> {
        let at = self.meters.iter().position(|m| m.id == id)?;
        self.meters.get(at + 1)
    }
}

/// The tariff table of the stored rates. A table the billing core refuses (overlapping rates)
/// is logged and left empty: the consumer can still send readings, only without amounts.
fn table(rates: Vec<Tariff>) -> TariffTable {
    let rates = rates.into_iter().map(|t| Rate {
        zone: t.zone,
        rate: t.rate,
        valid_from: t.valid_from,
        valid_to: t.valid_to,
    });
    TariffTable::new(rates).unwrap_or_else(|error| {
        tracing::error!(%error, "the stored tariffs do not make a table");
        TariffTable::default()
    })
}
