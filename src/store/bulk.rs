//! Bulk inserts of generated records (the demo company, synthetic accounts).
//!
//! A batch of accounts that are all new goes the fast way ([`fresh`]: `COPY` for readings and
//! payments). Otherwise one `INSERT … SELECT … FROM UNNEST(arrays)` per table and batch: a few
//! round trips for tens of thousands of rows, instead of one per row, each statement ending in
//! `ON CONFLICT DO NOTHING` on the table's natural key (account number, meter
//! serial, meter + zone + day, category + zone + start, key-rate start, and for payments the
//! gateway order id the generator derives from the account and the bill), so inserting the same
//! records again adds nothing. Meters, readings and payments find their parent rows by natural
//! key, so records never carry database ids. A large seed of new accounts goes by one
//! transaction without the tables' indexes instead ([`BulkLoad`], which assigns the ids).

mod copy_text;
mod fresh;
mod load;

pub use load::{BulkLoad, CopyRows, NextIds, Unindexed};

use super::{Store, StoreError, StoreResult};
use crate::demo::{AccountRecord, Batch, Company, ReadingRecord};
use std::fmt;
use std::ops::AddAssign;

/// Rows a bulk insert added; rows that were already there are not counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Inserted {
    pub tariffs: u64,
    pub key_rates: u64,
    pub accounts: u64,
    pub meters: u64,
    pub readings: u64,
    pub payments: u64,
}

impl AddAssign for Inserted {
    fn add_assign(&mut self, other: Inserted) {
        self.tariffs += other.tariffs;
        self.key_rates += other.key_rates;
        self.accounts += other.accounts;
        self.meters += other.meters;
        self.readings += other.readings;
        self.payments += other.payments;
    }
}

impl fmt::Display for Inserted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} tariffs, {} key rates, {} accounts, {} meters, {} readings, {} payments",
            self.tariffs, self.key_rates, self.accounts, self.meters, self.readings, self.payments
        )
    }
}

const INSERT_TARIFFS: &str = "
    INSERT INTO tariffs (category, zone, rate, valid_from, valid_to)
    SELECT * FROM UNNEST($1::text[], $2::text[], $3::numeric[], $4::date[], $5::date[])
    ON CONFLICT (category, zone, valid_from) DO NOTHING";

const INSERT_KEY_RATES: &str = "
    INSERT INTO key_rates (valid_from, rate)
    SELECT * FROM UNNEST($1::date[], $2::numeric[])
    ON CONFLICT (valid_from) DO NOTHING";

/// The insert statements of a batch, in the order they run.
struct Statements {
    meters: &'static str,
    readings: &'static str,
    payments: &'static str,
}

/// The insert of a batch's accounts, bound by [`insert_accounts`].
macro_rules! accounts_sql {
    () => {
        "INSERT INTO accounts (number, holder, address, category, odn_kwh, norm_kwh,
                               credential_hash, phone, email)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::numeric[],
                              $6::numeric[], $7::text[], $8::text[], $9::text[])"
    };
}
use accounts_sql;

const MISSING_ACCOUNTS: &str = concat!(
    accounts_sql!(),
    " ON CONFLICT (number) DO NOTHING RETURNING id, number"
);

/// Defines the statements with `ON CONFLICT DO NOTHING`, which inserts just the missing rows
/// (a batch of new accounts goes the faster way of [`fresh`]).
macro_rules! statements {
    ($(($table:ident, $sql:literal, $conflict:literal)),+ $(,)?) => {
        const MISSING: Statements = Statements { $($table: concat!($sql, $conflict)),+ };
    };
}

statements!(
    (
        meters,
        "INSERT INTO meters (account_id, serial, tariff_kind, digits, installed_on, verified_until)
         SELECT a.id, m.serial, m.tariff_kind, m.digits, m.installed_on, m.verified_until
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::int2[], $5::date[], $6::date[])
              AS m (number, serial, tariff_kind, digits, installed_on, verified_until)
         JOIN accounts a ON a.number = m.number",
        " ON CONFLICT (serial) DO NOTHING"
    ),
    (
        readings,
        "INSERT INTO readings (meter_id, zone, value, period, taken_on, source)
         SELECT m.id, r.zone, r.value, r.period, r.taken_on, r.source
         FROM UNNEST($1::text[], $2::text[], $3::numeric[], $4::date[], $5::date[], $6::text[])
              AS r (serial, zone, value, period, taken_on, source)
         JOIN meters m ON m.serial = r.serial",
        " ON CONFLICT (meter_id, zone, taken_on) DO NOTHING"
    ),
    (
        payments,
        "INSERT INTO payments (account_id, amount, paid_at, source, gateway_order_id)
         SELECT a.id, p.amount, p.paid_at, p.source, p.order_id
         FROM UNNEST($1::text[], $2::numeric[], $3::timestamptz[], $4::text[], $5::text[])
              AS p (number, amount, paid_at, source, order_id)
         JOIN accounts a ON a.number = p.number",
        " ON CONFLICT (gateway_order_id) DO NOTHING"
    ),
);

const COUNT_KNOWN_ACCOUNTS: &str = "SELECT count(*) FROM accounts WHERE number = ANY($1)";

/// Stored readings with the same meter, zone and period as one of `readings` but another value
/// or day: what the generator would make today disagrees with what is stored.
const COUNT_CHANGED_READINGS: &str = "
    SELECT count(*)
    FROM UNNEST($1::text[], $2::text[], $3::date[], $4::numeric[], $5::date[])
         AS r (serial, zone, period, value, taken_on)
    JOIN meters m ON m.serial = r.serial
    JOIN readings x ON x.meter_id = m.id AND x.zone = r.zone AND x.period = r.period
    WHERE x.value <> r.value OR x.taken_on <> r.taken_on";

/// Inserts the company's tariffs and key rates that are missing.
pub async fn insert_company(store: &Store, company: &Company) -> StoreResult<Inserted> {
    let t = &company.tariffs;
    let tariffs = sqlx::query(INSERT_TARIFFS)
        .bind(t.iter().map(|t| t.category.code()).collect::<Vec<_>>())
        .bind(t.iter().map(|t| t.zone.code()).collect::<Vec<_>>())
        .bind(t.iter().map(|t| t.rate).collect::<Vec<_>>())
        .bind(t.iter().map(|t| t.valid_from).collect::<Vec<_>>())
        .bind(t.iter().map(|t| t.valid_to).collect::<Vec<_>>())
        .execute(store.pool())
        .await?
        .rows_affected();
    let k = &company.key_rates;
    let key_rates = sqlx::query(INSERT_KEY_RATES)
        .bind(k.iter().map(|k| k.valid_from).collect::<Vec<_>>())
        .bind(k.iter().map(|k| k.rate).collect::<Vec<_>>())
        .execute(store.pool())
        .await?
        .rows_affected();
    Ok(Inserted {
        tariffs,
        key_rates,
        ..Inserted::default()
    })
}

/// Inserts the batch's missing accounts, meters, readings and payments in one transaction.
pub async fn insert_batch(store: &Store, batch: &Batch) -> StoreResult<Inserted> {
    let a = &batch.accounts;
    let numbers: Vec<&str> = a.iter().map(|a| a.number.as_str()).collect();
    let known: i64 = sqlx::query_scalar(COUNT_KNOWN_ACCOUNTS)
        .bind(&numbers)
        .fetch_one(store.pool())
        .await?;
    if known == 0 {
        match fresh::insert_fresh(store, batch).await {
            // Someone else inserted some of them meanwhile: only the missing rows, below.
            Err(StoreError::Conflict { .. }) => {}
            done => return done,
        }
    }
    let mut tx = store.pool().begin().await?;
    let sql = &MISSING;
    let accounts = insert_accounts(&mut tx, MISSING_ACCOUNTS, a).await?.len() as u64;
    let m = &batch.meters;
    let meters = sqlx::query(sql.meters)
        .bind(m.iter().map(|m| m.account.as_str()).collect::<Vec<_>>())
        .bind(m.iter().map(|m| m.serial.as_str()).collect::<Vec<_>>())
        .bind(m.iter().map(|m| m.tariff_kind.code()).collect::<Vec<_>>())
        .bind(m.iter().map(|m| m.digits).collect::<Vec<_>>())
        .bind(m.iter().map(|m| m.installed_on).collect::<Vec<_>>())
        .bind(m.iter().map(|m| m.verified_until).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let r = &batch.readings;
    let readings = sqlx::query(sql.readings)
        .bind(
            r.iter()
                .map(|r| r.meter_serial.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(r.iter().map(|r| r.zone.code()).collect::<Vec<_>>())
        .bind(r.iter().map(|r| r.value).collect::<Vec<_>>())
        .bind(r.iter().map(|r| r.period.first_day()).collect::<Vec<_>>())
        .bind(r.iter().map(|r| r.taken_on).collect::<Vec<_>>())
        .bind(r.iter().map(|r| r.source.code()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let p = &batch.payments;
    let payments = sqlx::query(sql.payments)
        .bind(p.iter().map(|p| p.account.as_str()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.amount.amount()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.paid_at).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.source.code()).collect::<Vec<_>>())
        .bind(p.iter().map(|p| p.order_id.as_str()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(Inserted {
        accounts,
        meters,
        readings,
        payments,
        ..Inserted::default()
    })
}

/// Inserts `accounts` by `sql` (the accounts insert, ending in `RETURNING id, number`): the id
/// and number of each row it added.
async fn insert_accounts(
    conn: &mut sqlx::PgConnection,
    sql: &'static str,
    a: &[AccountRecord],
) -> StoreResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(sql)
        .bind(a.iter().map(|a| a.number.as_str()).collect::<Vec<_>>())
        .bind(a.iter().map(|a| a.holder.as_str()).collect::<Vec<_>>())
        .bind(a.iter().map(|a| a.address.as_str()).collect::<Vec<_>>())
        .bind(a.iter().map(|a| a.category.code()).collect::<Vec<_>>())
        .bind(a.iter().map(|a| a.odn_kwh).collect::<Vec<_>>())
        .bind(a.iter().map(|a| a.norm_kwh).collect::<Vec<_>>())
        .bind(
            a.iter()
                .map(|a| a.credential_hash.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(a.iter().map(|a| a.phone.as_deref()).collect::<Vec<_>>())
        .bind(a.iter().map(|a| a.email.as_deref()).collect::<Vec<_>>())
        .fetch_all(conn)
        .await?)
}

/// How many of `readings` are stored for the same meter, zone and period with another value or
/// day (0 when the store holds exactly these readings, or none of them).
pub async fn count_changed_readings(store: &Store, readings: &[ReadingRecord]) -> StoreResult<i64> {
    let r = readings;
    let changed = sqlx::query_scalar(COUNT_CHANGED_READINGS)
        .bind(
            r.iter()
                .map(|r| r.meter_serial.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(r.iter().map(|r| r.zone.code()).collect::<Vec<_>>())
        .bind(r.iter().map(|r| r.period.first_day()).collect::<Vec<_>>())
        .bind(r.iter().map(|r| r.value).collect::<Vec<_>>())
        .bind(r.iter().map(|r| r.taken_on).collect::<Vec<_>>())
        .fetch_one(store.pool())
        .await?;
    Ok(changed)
}
