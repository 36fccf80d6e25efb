//! A fresh database per test, on the local Postgres server.
//!
//! `TEST_DATABASE_URL` names the server to use (any database on it; default
//! `postgres://postgres@127.0.0.1:5432/postgres`). Each [`TestDb`] creates `kabinet_t_<random>`,
//! applies the migrations and drops the database when the test ends. [`TestDb::demo`] copies a
//! template holding the demo company, built once per test process (copying takes a fraction
//! of the time seeding does).

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
        let admin = admin_options()?;
        let name = format!("kabinet_t_{:016x}", rand::random::<u64>());
        let mut conn = admin.connect().await?;
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .await?;
        conn.close().await?;
        let store = Store::connect_with(admin.clone().database(&name)).await?;
        store.migrate().await?;
        Ok(TestDb { store, name, admin })
    }

    /// A database holding the demo company as of `today`, copied from a template that the first
    /// caller in this process builds. `today` must be the same for every caller in a process.
    pub async fn demo(today: chrono::NaiveDate) -> Result<TestDb, DemoDbError> {
        static TEMPLATE: tokio::sync::OnceCell<(String, chrono::NaiveDate)> =
            tokio::sync::OnceCell::const_new();
        let (template, built_for) = TEMPLATE
            .get_or_try_init(|| async {
                let tpl = TestDb::new().await?;
                crate::demo::build_demo(&tpl.store, today).await?;
                tpl.store.pool().close().await;
                let name = format!("kabinet_tpl_{}", std::process::id());
                let mut conn = tpl.admin.connect().await?;
                drop_stale_templates(&mut conn).await?;
                conn.execute(sqlx::AssertSqlSafe(format!(
                    "ALTER DATABASE {} RENAME TO {name}",
                    tpl.name
                )))
                .await?;
                std::mem::forget(tpl); // renamed: its Drop would look for the old name
                Ok::<_, DemoDbError>((name, today))
            })
            .await?;
        assert_eq!(
            *built_for, today,
            "TestDb::demo is built for one date per process"
        );
        let admin = admin_options()?;
        let name = format!("kabinet_t_{:016x}", rand::random::<u64>());
        let mut conn = admin.connect().await?;
        // Two copies of one template at the same instant can collide; retry briefly.
        let mut tries = 0;
        loop {
            let sql = format!("CREATE DATABASE {name} TEMPLATE {template}");
            match conn.execute(sqlx::AssertSqlSafe(sql)).await {
                Ok(_) => break,
                Err(e) if tries < 50 && e.to_string().contains("being accessed") => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(e) => return Err(super::StoreError::from(e).into()),
            }
        }
        conn.close().await?;
        let store = Store::connect_with(admin.clone().database(&name)).await?;
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

/// Why a demo test database could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoDbError {
    #[error(transparent)]
    Store(#[from] super::StoreError),
    #[error(transparent)]
    Build(#[from] crate::demo::BuildDemoError),
}

impl From<sqlx::Error> for DemoDbError {
    fn from(e: sqlx::Error) -> DemoDbError {
        DemoDbError::Store(e.into())
    }
}

fn admin_options() -> StoreResult<PgConnectOptions> {
    let url = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_SERVER.to_owned());
    Ok(PgConnectOptions::from_str(&url)?)
}

/// Templates of test processes that are gone (a template outlives its process by design:
/// nothing runs at the exit of a test binary).
async fn drop_stale_templates(conn: &mut sqlx::PgConnection) -> StoreResult<()> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'kabinet\\_tpl\\_%'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for name in names {
        let alive = name
            .rsplit('_')
            .next()
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_some_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
        if !alive {
            conn.execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await?;
        }
    }
    Ok(())
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
