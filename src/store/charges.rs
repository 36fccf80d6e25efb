//! Charges: what an account owes for a period, one line per service (and zone, and tariff part).

use super::accounts::AccountId;
use super::codec::{code, code_opt, money, period};
use super::{Store, StoreError, StoreResult};
use crate::billing::{Money, Period, Service, Zone};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One charge line of one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charge {
    pub period: Period,
    pub service: Service,
    /// The meter zone for consumption lines; `None` for ОДН, penalties and the like.
    pub zone: Option<Zone>,
    /// Numbers the parts of one service and zone when the rate changed inside the month
    /// (column `line`); 0 otherwise.
    pub part: u16,
    /// kWh, when the line is a volume × rate.
    pub volume: Option<Decimal>,
    /// ₽ per kWh, when the line is a volume × rate.
    pub rate: Option<Decimal>,
    /// Negative for a recalculation in the consumer's favour.
    pub amount: Money,
    /// Volume by average or norm, not by a reading.
    pub estimated: bool,
}

#[derive(sqlx::FromRow)]
struct Row {
    period: NaiveDate,
    service: String,
    zone: Option<String>,
    line: i16,
    volume: Option<Decimal>,
    rate: Option<Decimal>,
    amount: Decimal,
    estimated: bool,
}

impl TryFrom<Row> for Charge {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Charge> {
        Ok(Charge {
            period: period(r.period)?,
            service: code("charges.service", &r.service)?,
            zone: code_opt("charges.zone", r.zone.as_deref())?,
            part: u16::try_from(r.line)
                .map_err(|_| StoreError::Corrupt(format!("charges.line {}", r.line)))?,
            volume: r.volume,
            rate: r.rate,
            amount: money(r.amount)?,
            estimated: r.estimated,
        })
    }
}

impl Store {
    /// The charges of an account for one period, by service, zone and part.
    pub async fn charges_of(&self, account: AccountId, of: Period) -> StoreResult<Vec<Charge>> {
        self.charges_between(account, of, of).await
    }

    /// The charges of an account for the periods `from..=to`, by period, service, zone and part.
    pub async fn charges_between(
        &self,
        account: AccountId,
        from: Period,
        to: Period,
    ) -> StoreResult<Vec<Charge>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT period, service, zone, line, volume, rate, amount, estimated FROM charges
             WHERE account_id = $1 AND period BETWEEN $2 AND $3
             ORDER BY period, service, zone NULLS FIRST, line",
        )
        .bind(account)
        .bind(from.first_day())
        .bind(to.first_day())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Charge::try_from).collect()
    }

    /// Adds charge lines, all or none; [`StoreError::Conflict`] when a line (account, period,
    /// service, zone, part) is already there.
    pub async fn insert_charges(&self, account: AccountId, charges: &[Charge]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        insert_lines(&mut tx, account, charges).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes `of` for an account: marks it closed and adds its charge lines, in one transaction.
    /// Returns `false` and writes nothing when the period was already closed for the account,
    /// which makes a repeated period close harmless. Every line must belong to `of`.
    pub async fn close_account_period(
        &self,
        account: AccountId,
        of: Period,
        charges: &[Charge],
    ) -> StoreResult<bool> {
        if let Some(stray) = charges.iter().find(|c| c.period != of) {
            return Err(StoreError::Rejected {
                constraint: format!("a charge for {} in the close of {of}", stray.period),
            });
        }
        let mut tx = self.pool.begin().await?;
        let marked = sqlx::query(
            "INSERT INTO period_closes (account_id, period) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(account)
        .bind(of.first_day())
        .execute(&mut *tx)
        .await?;
        if marked.rows_affected() == 0 {
            return Ok(false);
        }
        insert_lines(&mut tx, account, charges).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Whether `of` has been closed for the account.
    pub async fn period_closed(&self, account: AccountId, of: Period) -> StoreResult<bool> {
        Ok(sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM period_closes WHERE account_id = $1 AND period = $2)",
        )
        .bind(account)
        .bind(of.first_day())
        .fetch_one(&self.pool)
        .await?)
    }
}

/// One statement for all lines: period close writes millions of them.
async fn insert_lines(
    conn: &mut sqlx::PgConnection,
    account: AccountId,
    charges: &[Charge],
) -> StoreResult<()> {
    if charges.is_empty() {
        return Ok(());
    }
    let periods: Vec<NaiveDate> = charges.iter().map(|c| c.period.first_day()).collect();
    let services: Vec<&str> = charges.iter().map(|c| c.service.code()).collect();
    let zones: Vec<Option<&str>> = charges.iter().map(|c| c.zone.map(Zone::code)).collect();
    let parts: Vec<i16> = charges
        .iter()
        .map(|c| i16::try_from(c.part))
        .collect::<Result<_, _>>()
        .map_err(|_| StoreError::Rejected {
            constraint: "charges.line fits a smallint".into(),
        })?;
    let volumes: Vec<Option<Decimal>> = charges.iter().map(|c| c.volume).collect();
    let rates: Vec<Option<Decimal>> = charges.iter().map(|c| c.rate).collect();
    let amounts: Vec<Decimal> = charges.iter().map(|c| c.amount.amount()).collect();
    let estimated: Vec<bool> = charges.iter().map(|c| c.estimated).collect();
    sqlx::query(
        "INSERT INTO charges (account_id, period, service, zone, line, volume, rate, amount, estimated)
         SELECT $1, * FROM UNNEST($2::date[], $3::text[], $4::text[], $5::smallint[],
                                  $6::numeric[], $7::numeric[], $8::numeric[], $9::boolean[])",
    )
    .bind(account)
    .bind(periods)
    .bind(services)
    .bind(zones)
    .bind(parts)
    .bind(volumes)
    .bind(rates)
    .bind(amounts)
    .bind(estimated)
    .execute(conn)
    .await?;
    Ok(())
}
