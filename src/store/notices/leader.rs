//! The scheduler's leadership (`notify::leader`).

use crate::store::{Store, StoreResult};

/// The key of the scheduler's advisory lock: one instance leads at a time.
const LEADER_LOCK: &str = "kabinet:notify:leader";

/// The scheduler's leadership: a session-level advisory lock on a connection of its own.
/// Postgres releases it when the connection drops, so a dead leader is replaced at once.
pub struct Leadership {
    conn: sqlx::PgConnection,
}

impl Store {
    /// Becomes the notices' leader, or `None` when another instance is.
    pub async fn try_lead_notices(&self) -> StoreResult<Option<Leadership>> {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect_with(&self.pool().connect_options()).await?;
        let locked: bool =
            sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtextextended($1, 0))")
                .bind(LEADER_LOCK)
                .fetch_one(&mut conn)
                .await?;
        Ok(locked.then_some(Leadership { conn }))
    }
}

impl Leadership {
    /// Whether the lock's connection still answers (if not, the lock is gone with it).
    pub async fn alive(&mut self) -> bool {
        sqlx::query("SELECT 1")
            .execute(&mut self.conn)
            .await
            .is_ok()
    }

    /// Gives the leadership up.
    pub async fn release(mut self) -> StoreResult<()> {
        use sqlx::Connection;
        sqlx::query("SELECT pg_advisory_unlock(hashtextextended($1, 0))")
            .bind(LEADER_LOCK)
            .execute(&mut self.conn)
            .await?;
        self.conn.close().await?;
        Ok(())
    }
}
