//! A fresh database per test, on the local Postgres server.
//!
//! `TEST_DATABASE_URL` names the server to use (any database on it; default
//! `postgres://postgres@127.0.0.1:5432/postgres`). Each [`TestDb`] creates `kabinet_t_<random>`,
//! applies the migrations and drops the database when the test ends.

use super::{Store, StoreResult};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};
use std::str::FromStr;

const DEFAULT_SERVER: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that lives as long as the test that made it.
pub struct TestDb {
    pub store: Store,
    name: String,
    admin: PgConnectOptions,
}

impl TestDb {
    /// Creates and migrates a new database.
    pub async fn new() -> StoreResult<TestDb> {
        let url = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_SERVER.to_owned());
        let admin = PgConnectOptions::from_str(&url)?;
        let name = format!("kabinet_t_{:016x}", rand::random::<u64>());
        let mut conn = admin.connect().await?;
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await?;
        conn.close().await?;
        let store = Store::connect_with(admin.clone().database(&name)).await?;
        store.migrate().await?;
        Ok(TestDb { store, name, admin })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Options that reach this database (for a second process or pool in a test).
    pub fn options(&self) -> PgConnectOptions {
        self.admin.clone().database(&self.name)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // Dropping needs async IO; do it on a thread of its own so Drop works in any runtime.
        // FORCE ends this test's own pooled connections (closing the pool here would wait on
        // the test's runtime, which this thread blocks).
        let admin = self.admin.clone();
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(rt) = rt {
                rt.block_on(async move {
                    if let Ok(mut conn) = admin.connect().await {
                        let _ = conn
                            .execute(sqlx::AssertSqlSafe(format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            )))
                            .await;
                    }
                });
            }
        })
        .join();
    }
}
