//! Postgres access: the only place with SQL. A module per aggregate, returning domain types.

pub mod accounts;
pub mod bulk;
pub mod charges;
pub mod chats;
pub mod close;
mod codec;
pub mod codes;
pub mod demo_db;
pub mod history;
pub mod identification;
pub mod inbox;
pub mod key_rates;
pub mod limits;
pub mod meters;
pub mod notices;
pub mod outbox;
pub mod payment_orders;
pub mod payments;
pub mod reading_history;
pub mod readings;
pub mod receipts;
pub mod retention;
pub mod tariffs;
pub mod testing;

use sqlx::error::ErrorKind;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// What can go wrong talking to the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// A row the caller tried to write already exists (a unique constraint, named here).
    #[error("already exists ({constraint})")]
    Conflict { constraint: String },
    /// The database refused a value (a check, foreign-key or not-null constraint, named here).
    #[error("refused by the database ({constraint})")]
    Rejected { constraint: String },
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
}

/// Sorts constraint violations out of the other database errors, so callers can match on them
/// (a unique violation usually becomes a user-facing message at the call site).
impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> StoreError {
        let Some(db) = err.as_database_error() else {
            return StoreError::Db(err);
        };
        let constraint = db.constraint().unwrap_or("unnamed").to_owned();
        match db.kind() {
            ErrorKind::UniqueViolation | ErrorKind::ExclusionViolation => {
                StoreError::Conflict { constraint }
            }
            ErrorKind::CheckViolation
            | ErrorKind::ForeignKeyViolation
            | ErrorKind::NotNullViolation => StoreError::Rejected { constraint },
            _ => StoreError::Db(err),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The embedded migrations of `migrations/`.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A handle on the database: cheap to clone, shared by every task.
#[derive(Clone, Debug)]
pub struct Store {
    pool: PgPool,
}

impl Store {
    /// Connects to `url` (a `postgres://` URL) with a small pool.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        let options = PgConnectOptions::from_str(url)?;
        Self::connect_with(options).await
    }

    pub async fn connect_with(options: PgConnectOptions) -> StoreResult<Store> {
        Self::connect_within(options, Duration::from_secs(10)).await
    }

    /// Connects with `timeout` as the longest wait for a connection from the pool and as the
    /// server's `statement_timeout` (`DATABASE_TIMEOUT_MS`): a database that does not answer
    /// fails a turn in seconds instead of stalling it.
    pub async fn connect_within(
        options: PgConnectOptions,
        timeout: Duration,
    ) -> StoreResult<Store> {
        let statement_timeout = format!("{}ms", timeout.as_millis().max(1));
        let options = options.options([("statement_timeout", statement_timeout.as_str())]);
        let pool = PgPoolOptions::new()
            // 16: a Telegram update is some ten short statements (the inbox, then the turn)
            // and at 8 they queued for connections at 300 updates/s (p50 735 ms against 102).
            .max_connections(16)
            .acquire_timeout(timeout)
            .connect_with(options)
            .await?;
        Ok(Store { pool })
    }

    pub fn from_pool(pool: PgPool) -> Store {
        Store { pool }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Applies the pending migrations.
    pub async fn migrate(&self) -> StoreResult<()> {
        use sqlx::Connection;
        // On a connection of its own without the statement timeout: a migration that builds an
        // index on a large table takes minutes, not the seconds a chat turn may.
        let options = (*self.pool.connect_options())
            .clone()
            .options([("statement_timeout", "0")]);
        let mut conn = sqlx::PgConnection::connect_with(&options).await?;
        MIGRATOR.run(&mut conn).await?;
        conn.close().await?;
        Ok(())
    }
}
