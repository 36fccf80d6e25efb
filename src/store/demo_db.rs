//! Opening the database. With `DATABASE_URL` set, that database is used as it is (only
//! `kabinet migrate` changes its schema, and nothing seeds it). Without it the program runs in
//! demo mode: it finds the local Postgres server, creates `kabinet_demo` when missing and migrates it.

use super::{Store, StoreError};
use crate::config::ConnUrl;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// The database demo mode uses on the local server.
pub const DEMO_DATABASE: &str = "kabinet_demo";

/// How long one candidate server gets to answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A local server demo mode may use, and how to describe it to a person.
#[derive(Clone, Debug)]
pub struct LocalServer {
    pub label: String,
    pub options: PgConnectOptions,
}

/// The demo database, ready to use.
#[derive(Debug)]
pub struct DemoDb {
    pub store: Store,
    /// Which server answered.
    pub server: String,
    /// True when it holds no account yet: the caller seeds it.
    pub empty: bool,
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    #[error(
        "demo mode (no DATABASE_URL is set) needs a local Postgres server, but none answered:\n\
         {}\n\
         Start Postgres (e.g. `service postgresql start`, or install it with \
         `apt-get install postgresql`), or set DATABASE_URL to your own database.",
        tried_list(.tried)
    )]
    NoLocalServer { tried: Vec<(String, String)> },
    #[error("cannot connect to DATABASE_URL ({url}): {source}")]
    Configured { url: String, source: StoreError },
    #[error("cannot prepare the demo database on {server}: {source}")]
    Demo { server: String, source: StoreError },
}

fn tried_list(tried: &[(String, String)]) -> String {
    tried
        .iter()
        .map(|(server, error)| format!("  {server}: {error}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The servers demo mode tries, in order: TCP on 127.0.0.1:5432 as `postgres`, then the
/// Debian unix socket as the current OS user (peer authentication).
pub fn local_servers() -> Vec<LocalServer> {
    let tcp = PgConnectOptions::new_without_pgpass()
        .host("127.0.0.1")
        .port(5432)
        .username("postgres");
    let socket = PgConnectOptions::new_without_pgpass().socket("/var/run/postgresql");
    vec![
        LocalServer {
            label: "127.0.0.1:5432 as postgres".into(),
            options: tcp,
        },
        LocalServer {
            label: format!("/var/run/postgresql as {}", socket.get_username()),
            options: socket,
        },
    ]
}

/// Connects to the configured database, waiting at most `timeout` for a connection and for
/// any one statement. It is neither migrated nor seeded here.
pub async fn open_configured(url: &ConnUrl, timeout: Duration) -> Result<Store, BootstrapError> {
    let fail = |source| BootstrapError::Configured {
        url: url.redacted(),
        source,
    };
    let options = PgConnectOptions::from_str(url.expose()).map_err(|e| fail(e.into()))?;
    Store::connect_within(options, timeout).await.map_err(fail)
}

/// Opens the demo database `database` on the first of `servers` that answers: creates it when
/// missing and applies the migrations.
pub async fn open_demo(servers: &[LocalServer], database: &str) -> Result<DemoDb, BootstrapError> {
    let mut tried = Vec::new();
    for server in servers {
        let admin = server.options.clone().database("postgres");
        let conn = tokio::time::timeout(CONNECT_TIMEOUT, admin.connect()).await;
        let mut conn = match conn {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => {
                tried.push((server.label.clone(), short(&e)));
                continue;
            }
            Err(_) => {
                tried.push((server.label.clone(), "no answer in 5 s".into()));
                continue;
            }
        };
        let fail = |source: StoreError| BootstrapError::Demo {
            server: server.label.clone(),
            source,
        };
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(database)
                .fetch_one(&mut conn)
                .await
                .map_err(|e| fail(e.into()))?;
        if !exists {
            tracing::info!(database, server = %server.label, "creating the demo database");
            create_database(&mut conn, database)
                .await
                .map_err(|e| fail(e.into()))?;
        }
        let _ = conn.close().await;
        let store = Store::connect_with(server.options.clone().database(database))
            .await
            .map_err(fail)?;
        store.migrate().await.map_err(fail)?;
        let empty = store.is_empty().await.map_err(fail)?;
        return Ok(DemoDb {
            store,
            server: server.label.clone(),
            empty,
        });
    }
    Err(BootstrapError::NoLocalServer { tried })
}

/// CREATE DATABASE cannot take a bind parameter: the name is checked to be a plain identifier.
async fn create_database(conn: &mut sqlx::PgConnection, name: &str) -> Result<(), sqlx::Error> {
    assert!(
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "database name {name:?} is not a plain identifier"
    );
    match conn
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
    {
        Ok(_) => Ok(()),
        // Another process created it between our check and now: just as good.
        Err(e) if e.as_database_error().and_then(|d| d.code()).as_deref() == Some("42P04") => {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The first line of a connection error: enough to tell "refused" from "auth failed".
fn short(e: &impl fmt::Display) -> String {
    e.to_string().lines().next().unwrap_or_default().to_owned()
}

impl Store {
    /// True when the database holds no account (a fresh demo database to seed).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM accounts)")
                .fetch_one(self.pool())
                .await?,
        )
    }
}
