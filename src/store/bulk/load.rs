//! A load of many new accounts in one transaction (`seed --synthetic` at scale). Inside it the
//! foreign keys and secondary indexes of the tables it fills are dropped, the rows streamed in
//! by `COPY` with ids assigned here, and the indexes and keys made again before the commit: one
//! sort per index and one anti-join per foreign key instead of a b-tree insert and a trigger
//! call per row. The definitions are read from the catalog, so a later migration's index comes
//! back as it was. Nothing shows half-done: other sessions wait on the tables' locks until the
//! commit, and a failure rolls the dropped indexes back with the rows.

use super::{Inserted, copy_text, fresh::copy};
use crate::demo::Batch;
use crate::store::{Store, StoreError, StoreResult};
use sqlx::{ConnectOptions, Connection, PgConnection};
use std::collections::HashMap;

/// The tables a load fills.
const TABLES: [&str; 4] = ["accounts", "meters", "readings", "payments"];

/// Per dropped foreign key, unique constraint or index of the tables: the statement that drops
/// it and the one that makes it again. Primary keys stay (ids are appended in order), as does
/// any index a foreign key relies on.
const DEFINITIONS: &str = "
    SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                  pg_get_constraintdef(c.oid)),
           true
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.conrelid = ANY($1::text[]::regclass[])
    UNION ALL
    SELECT CASE WHEN c.oid IS NULL THEN format('DROP INDEX %s', i.indexrelid::regclass)
                ELSE format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)
           END,
           CASE WHEN c.oid IS NULL THEN pg_get_indexdef(i.indexrelid)
                ELSE format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass,
                            c.conname, pg_get_constraintdef(c.oid))
           END,
           false
    FROM pg_index i
    LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                             AND c.contype IN ('u', 'x')
    WHERE i.indrelid = ANY($1::text[]::regclass[]) AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                      WHERE f.contype = 'f' AND f.conindid = i.indexrelid)";

/// Tables without their foreign keys and secondary indexes, inside a transaction, and what
/// makes them again.
#[derive(Debug, Default)]
pub struct Unindexed {
    /// The statements that make the dropped indexes and keys again, in order.
    restore: Vec<String>,
}

impl Unindexed {
    /// Drops the foreign keys, unique constraints and indexes of `tables` (see
    /// the catalog query `DEFINITIONS`) in the transaction `conn` is in.
    pub async fn strip(conn: &mut PgConnection, tables: &[&str]) -> StoreResult<Unindexed> {
        let definitions: Vec<(String, String, bool)> = sqlx::query_as(DEFINITIONS)
            .bind(tables)
            .fetch_all(&mut *conn)
            .await?;
        // Foreign keys go first and come back last, after the indexes they may check against.
        let (keys, indexes): (Vec<_>, Vec<_>) = definitions.into_iter().partition(|d| d.2);
        for (drop, _, _) in keys.iter().chain(&indexes) {
            sqlx::query(sqlx::AssertSqlSafe(drop.clone()))
                .execute(&mut *conn)
                .await?;
        }
        let restore = indexes.into_iter().chain(keys).map(|d| d.1).collect();
        Ok(Unindexed { restore })
    }

    /// Makes the indexes and foreign keys again, checking every row against them.
    pub async fn restore(self, conn: &mut PgConnection) -> StoreResult<()> {
        for statement in self.restore {
            sqlx::query(sqlx::AssertSqlSafe(statement))
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

/// The next free id of each table a load assigns ids in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextIds {
    pub account: i64,
    pub meter: i64,
}

/// A batch as `COPY` rows, ids assigned (see [`CopyRows::new`]).
#[derive(Debug, Default)]
pub struct CopyRows {
    accounts: Vec<u8>,
    meters: Vec<u8>,
    readings: Vec<u8>,
    payments: Vec<u8>,
    counts: Inserted,
}

impl CopyRows {
    /// The batch's rows, its accounts and meters numbered from `ids` on (which move past them).
    /// CPU work only: made on a thread of its own while the load streams the previous batch.
    pub fn new(batch: &Batch, ids: &mut NextIds) -> StoreResult<CopyRows> {
        let mut rows = CopyRows::default();
        let mut account_id = HashMap::with_capacity(batch.accounts.len());
        for a in &batch.accounts {
            copy_text::account(&mut rows.accounts, ids.account, a);
            account_id.insert(a.number.as_str(), ids.account);
            ids.account += 1;
        }
        let of_account = |number: &str| {
            account_id
                .get(number)
                .copied()
                .ok_or_else(|| StoreError::Corrupt(format!("account {number} is not in the batch")))
        };
        let mut meter_id = HashMap::with_capacity(batch.meters.len());
        for m in &batch.meters {
            copy_text::meter(
                &mut rows.meters,
                ids.meter,
                of_account(m.account.as_str())?,
                m,
            );
            meter_id.insert(m.serial.as_str(), ids.meter);
            ids.meter += 1;
        }
        rows.readings.reserve(batch.readings.len() * 48);
        for r in &batch.readings {
            let meter = meter_id.get(r.meter_serial.as_str()).ok_or_else(|| {
                StoreError::Corrupt(format!("meter {} is not in the batch", r.meter_serial))
            })?;
            copy_text::reading(&mut rows.readings, *meter, r);
        }
        rows.payments.reserve(batch.payments.len() * 80);
        for p in &batch.payments {
            copy_text::payment(&mut rows.payments, of_account(p.account.as_str())?, p);
        }
        rows.counts = Inserted {
            accounts: batch.accounts.len() as u64,
            meters: batch.meters.len() as u64,
            readings: batch.readings.len() as u64,
            payments: batch.payments.len() as u64,
            ..Inserted::default()
        };
        Ok(rows)
    }
}

/// A load under way: one transaction holding the tables, their indexes and foreign keys dropped.
pub struct BulkLoad {
    /// A connection of the load's own, in its transaction. Dropped without [`BulkLoad::finish`],
    /// it closes, and the server rolls the transaction back.
    conn: PgConnection,
    unindexed: Unindexed,
    first: NextIds,
    inserted: Inserted,
}

impl BulkLoad {
    /// Starts a load of the accounts numbered `first..=last` (13-digit numbers), or `None` when
    /// some of them are there already (the caller then inserts the careful way).
    pub async fn begin(store: &Store, first: &str, last: &str) -> StoreResult<Option<BulkLoad>> {
        // Its index builds take seconds each: not the slow statements the store's log is for.
        let options = store
            .pool()
            .connect_options()
            .as_ref()
            .clone()
            .disable_statement_logging();
        let mut conn = PgConnection::connect_with(&options).await?;
        for setting in [
            "BEGIN",
            "SET LOCAL statement_timeout = 0",
            // Index builds sort in memory; the foreign keys' checks hash the parent table.
            "SET LOCAL maintenance_work_mem = '1GB'",
            "SET LOCAL work_mem = '256MB'",
            "LOCK TABLE accounts, meters, readings, payments IN ACCESS EXCLUSIVE MODE",
        ] {
            sqlx::query(setting).execute(&mut conn).await?;
        }
        let taken: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM accounts WHERE number BETWEEN $1 AND $2)",
        )
        .bind(first)
        .bind(last)
        .fetch_one(&mut conn)
        .await?;
        if taken {
            conn.close().await?;
            return Ok(None);
        }
        let unindexed = Unindexed::strip(&mut conn, &TABLES).await?;
        let first = NextIds {
            account: next_id(&mut conn, "accounts").await?,
            meter: next_id(&mut conn, "meters").await?,
        };
        Ok(Some(BulkLoad {
            conn,
            unindexed,
            first,
            inserted: Inserted::default(),
        }))
    }

    /// The ids the first batch's accounts and meters take.
    pub fn first_ids(&self) -> NextIds {
        self.first
    }

    /// Streams a batch's rows in.
    pub async fn copy(&mut self, rows: CopyRows) -> StoreResult<()> {
        let conn = &mut self.conn;
        copy(conn, copy_text::ACCOUNTS, rows.accounts).await?;
        copy(conn, copy_text::METERS, rows.meters).await?;
        copy(conn, copy_text::READINGS, rows.readings).await?;
        copy(conn, copy_text::PAYMENTS, rows.payments).await?;
        self.inserted += rows.counts;
        Ok(())
    }

    /// Makes the indexes and foreign keys again (checking every row against them), moves the
    /// id sequences past the ids taken, and commits.
    pub async fn finish(mut self) -> StoreResult<Inserted> {
        std::mem::take(&mut self.unindexed)
            .restore(&mut self.conn)
            .await?;
        for table in ["accounts", "meters"] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}
                 HAVING max(id) IS NOT NULL"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut self.conn)
                .await?;
        }
        sqlx::query("COMMIT").execute(&mut self.conn).await?;
        self.conn.close().await?;
        Ok(self.inserted)
    }
}

/// The first id above every id `table` holds or its sequence has handed out.
async fn next_id(conn: &mut PgConnection, table: &str) -> StoreResult<i64> {
    let sql = format!(
        "SELECT GREATEST(
             (SELECT coalesce(max(id), 0) FROM {table}),
             coalesce(pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass), 0)
         ) + 1"
    );
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(conn)
        .await?)
}
