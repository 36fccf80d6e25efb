//! The fast insert of a batch whose accounts are all new: accounts and meters by `INSERT …
//! RETURNING`, so their ids are known here, then readings and payments — nearly all of the
//! rows — streamed with `COPY`, without the joins on natural keys and the conflict checks of
//! [`super::insert_batch`]'s statements. A row that is there already (another process seeding
//! the same accounts meanwhile) fails the batch with [`StoreError::Conflict`], and the caller
//! inserts it again the careful way.

use super::{Inserted, copy_text};
use crate::demo::Batch;
use crate::store::{Store, StoreError, StoreResult};
use std::collections::HashMap;

pub(super) async fn insert_fresh(store: &Store, batch: &Batch) -> StoreResult<Inserted> {
    let mut tx = store.pool().begin().await?;
    let ids = super::insert_accounts(
        &mut tx,
        concat!(super::accounts_sql!(), " RETURNING id, number"),
        &batch.accounts,
    )
    .await?;
    let account_id: HashMap<String, i64> = ids.into_iter().map(|(id, n)| (n, id)).collect();
    let of_account = |number: &str| {
        account_id
            .get(number)
            .copied()
            .ok_or_else(|| StoreError::Corrupt(format!("seeded account {number} has no row")))
    };

    let m = &batch.meters;
    let owners = m
        .iter()
        .map(|m| of_account(m.account.as_str()))
        .collect::<StoreResult<Vec<i64>>>()?;
    let meter_ids: Vec<(i64, String)> = sqlx::query_as(
        "INSERT INTO meters (account_id, serial, tariff_kind, digits, installed_on, verified_until)
         SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[], $4::int2[], $5::date[],
                              $6::date[])
         RETURNING id, serial",
    )
    .bind(&owners)
    .bind(m.iter().map(|m| m.serial.as_str()).collect::<Vec<_>>())
    .bind(m.iter().map(|m| m.tariff_kind.code()).collect::<Vec<_>>())
    .bind(m.iter().map(|m| m.digits).collect::<Vec<_>>())
    .bind(m.iter().map(|m| m.installed_on).collect::<Vec<_>>())
    .bind(m.iter().map(|m| m.verified_until).collect::<Vec<_>>())
    .fetch_all(&mut *tx)
    .await?;
    let meter_id: HashMap<String, i64> = meter_ids.into_iter().map(|(id, s)| (s, id)).collect();

    let mut rows = Vec::with_capacity(batch.readings.len() * 48);
    for r in &batch.readings {
        let meter = meter_id.get(&r.meter_serial).ok_or_else(|| {
            StoreError::Corrupt(format!("seeded meter {} has no row", r.meter_serial))
        })?;
        copy_text::reading(&mut rows, *meter, r);
    }
    let readings = copy(&mut tx, copy_text::READINGS, rows).await?;
    let mut rows = Vec::with_capacity(batch.payments.len() * 80);
    for p in &batch.payments {
        copy_text::payment(&mut rows, of_account(p.account.as_str())?, p);
    }
    let payments = copy(&mut tx, copy_text::PAYMENTS, rows).await?;
    tx.commit().await?;
    Ok(Inserted {
        accounts: account_id.len() as u64,
        meters: meter_id.len() as u64,
        readings,
        payments,
        ..Inserted::default()
    })
}

pub(super) async fn copy(
    conn: &mut sqlx::PgConnection,
    statement: &str,
    rows: Vec<u8>,
) -> StoreResult<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let mut copy = conn.copy_in_raw(statement).await?;
    copy.send(rows).await?;
    Ok(copy.finish().await?)
}
