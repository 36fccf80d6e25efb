//! Update deduplication across processes.
//!
//! Telegram may deliver one update twice (a webhook retried after a timeout, a load balancer
//! replaying a request, two instances polling around a restart) and teloxide does not
//! deduplicate. Each update id is claimed once in Redis with `SET key 1 NX EX ttl`: whoever
//! sets the key handles the update, everyone else drops it.

use std::time::Duration;

use redis::aio::ConnectionManager;

/// Claims update ids in Redis under `<prefix>tg:update:<id>` (`prefix` is `REDIS_PREFIX`,
/// `kabinet:` by default).
///
/// Update ids are per bot, so instances of different bots sharing one Redis need different
/// prefixes (for example one that contains the bot's name).
#[derive(Clone)]
pub struct UpdateDedup {
    conn: ConnectionManager,
    prefix: String,
    ttl: Duration,
}

impl UpdateDedup {
    /// Telegram keeps undelivered updates for 24 hours; a claim outlives any redelivery.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 60 * 60);

    /// `ttl` is rounded up to whole seconds (at least one).
    pub fn new(conn: ConnectionManager, prefix: impl Into<String>, ttl: Duration) -> UpdateDedup {
        UpdateDedup {
            conn,
            prefix: prefix.into(),
            ttl,
        }
    }

    fn key(&self, update_id: u32) -> String {
        format!("{}tg:update:{update_id}", self.prefix)
    }

    /// True exactly once per update id within the TTL, however many processes race for it:
    /// the caller that gets `true` handles the update.
    pub async fn claim(&self, update_id: u32) -> Result<bool, redis::RedisError> {
        let secs = self.ttl.as_secs() + u64::from(self.ttl.subsec_nanos() > 0);
        let set: Option<String> = redis::cmd("SET")
            .arg(self.key(update_id))
            .arg(1)
            .arg("NX")
            .arg("EX")
            .arg(secs.max(1))
            .query_async(&mut self.conn.clone())
            .await?;
        Ok(set.is_some())
    }

    /// Gives a claim back, so that a redelivery of the update is handled: for a failure that
    /// happened before the update had any effect.
    pub async fn forget(&self, update_id: u32) -> Result<(), redis::RedisError> {
        redis::cmd("DEL")
            .arg(self.key(update_id))
            .query_async::<()>(&mut self.conn.clone())
            .await
    }
}
