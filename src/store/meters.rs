//! Meters installed on accounts. A meter's zones follow from its tariff kind.

use super::accounts::AccountId;
use super::codec::{code, narrow};
use super::{Store, StoreError, StoreResult};
use crate::billing::{Category, Service, TariffKind, Zone};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The database id of a meter (consumers know the serial).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(transparent)]
#[serde(transparent)]
pub struct MeterId(pub i64);

/// A meter as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meter {
    pub id: MeterId,
    pub account_id: AccountId,
    /// The serial number printed on the meter.
    pub serial: String,
    pub service: Service,
    pub kind: TariffKind,
    /// Integer digits on the display: with 5, 99999 rolls over to 00000.
    pub digits: u8,
    /// Digits after the decimal point the display shows (0 when it shows whole kWh).
    pub fraction_digits: u8,
    pub installed_on: NaiveDate,
    /// End of the verification interval (поверка), when known.
    pub verified_until: Option<NaiveDate>,
    /// The day the meter was removed; `None` while it is in service.
    pub removed_on: Option<NaiveDate>,
}

impl Meter {
    /// The zones this meter counts, in receipt order.
    pub fn zones(&self) -> &'static [Zone] {
        self.kind.zones()
    }
}

/// What it takes to install a meter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMeter {
    pub account_id: AccountId,
    pub serial: String,
    pub kind: TariffKind,
    pub digits: u8,
    pub fraction_digits: u8,
    pub installed_on: NaiveDate,
    pub verified_until: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    account_id: i64,
    serial: String,
    service: String,
    tariff_kind: String,
    digits: i16,
    fraction_digits: i16,
    installed_on: NaiveDate,
    verified_until: Option<NaiveDate>,
    removed_on: Option<NaiveDate>,
}

impl TryFrom<Row> for Meter {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Meter> {
        Ok(Meter {
            id: MeterId(r.id),
            account_id: AccountId(r.account_id),
            serial: r.serial,
            service: code("meters.service", &r.service)?,
            kind: code("meters.tariff_kind", &r.tariff_kind)?,
            digits: narrow("meters.digits", r.digits)?,
            fraction_digits: narrow("meters.fraction_digits", r.fraction_digits)?,
            installed_on: r.installed_on,
            verified_until: r.verified_until,
            removed_on: r.removed_on,
        })
    }
}

macro_rules! columns {
    () => {
        "id, account_id, serial, service, tariff_kind, digits, fraction_digits, \
         installed_on, verified_until, removed_on"
    };
}

impl Store {
    /// Installs an electricity meter; [`StoreError::Conflict`] when the serial is taken.
    pub async fn insert_meter(&self, new: &NewMeter) -> StoreResult<Meter> {
        let row: Row = sqlx::query_as(concat!(
            "INSERT INTO meters (account_id, serial, tariff_kind, digits, fraction_digits,
                                 installed_on, verified_until)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
            columns!()
        ))
        .bind(new.account_id)
        .bind(&new.serial)
        .bind(new.kind.code())
        .bind(i16::from(new.digits))
        .bind(i16::from(new.fraction_digits))
        .bind(new.installed_on)
        .bind(new.verified_until)
        .fetch_one(&self.pool)
        .await?;
        row.try_into()
    }

    /// The meters of an account, removed ones included, oldest installation first.
    pub async fn meters_of(&self, account: AccountId) -> StoreResult<Vec<Meter>> {
        let rows: Vec<Row> = sqlx::query_as(concat!(
            "SELECT ",
            columns!(),
            " FROM meters WHERE account_id = $1 ORDER BY installed_on, id"
        ))
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Meter::try_from).collect()
    }

    /// The account's tariff category and its meters (as [`Store::meters_of`]) in one round
    /// trip; `None` when there is no such account.
    pub async fn meters_with_category(
        &self,
        account: AccountId,
    ) -> StoreResult<Option<(Category, Vec<Meter>)>> {
        type Joined = (
            String,
            Option<i64>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i16>,
            Option<i16>,
            Option<NaiveDate>,
            Option<NaiveDate>,
            Option<NaiveDate>,
        );
        let rows: Vec<Joined> = sqlx::query_as(
            "SELECT a.category, m.id, m.account_id, m.serial, m.service, m.tariff_kind, m.digits,
                    m.fraction_digits, m.installed_on, m.verified_until, m.removed_on
             FROM accounts a LEFT JOIN meters m ON m.account_id = a.id
             WHERE a.id = $1 ORDER BY m.installed_on, m.id",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let category = code("accounts.category", &first.0)?;
        let mut meters = Vec::new();
        for row in rows {
            let (
                _,
                Some(id),
                Some(account_id),
                Some(serial),
                Some(service),
                Some(tariff_kind),
                Some(digits),
                Some(fraction_digits),
                Some(installed_on),
                verified_until,
                removed_on,
            ) = row
            else {
                continue;
            };
            meters.push(Meter::try_from(Row {
                id,
                account_id,
                serial,
                service,
                tariff_kind,
                digits,
                fraction_digits,
                installed_on,
                verified_until,
                removed_on,
            })?);
        }
        Ok(Some((category, meters)))
    }

    /// The meter with this serial (exact match), if any.
    pub async fn meter_by_serial(&self, serial: &str) -> StoreResult<Option<Meter>> {
        let row: Option<Row> = sqlx::query_as(concat!(
            "SELECT ",
            columns!(),
            " FROM meters WHERE serial = $1"
        ))
        .bind(serial)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Meter::try_from).transpose()
    }
}
