//! Where each chat's dialogue state lives between messages: Redis in production (shared by
//! every process, with an idle expiry), or memory for the terminal chat and tests.
//!
//! A session store keeps the state as opaque JSON text; decoding it (and falling back to the
//! menu when it no longer decodes) is the engine's business.

use crate::clock::Clock;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Bump when a change to `State` makes old sessions meaningless: old keys are then ignored
/// (and expire) instead of being decoded.
pub const SESSION_VERSION: u32 = 1;

/// How long a conversation waits for the user before it is forgotten.
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
}

/// A Redis connection that gives up after `timeout` — connecting, or waiting for an answer
/// (`REDIS_TIMEOUT_MS`) — and reconnects by itself afterwards: a Redis that stops answering
/// fails a turn in seconds («сервис временно недоступен») instead of stalling every handler
/// and shutdown.
pub async fn redis_manager(
    url: &str,
    timeout: Duration,
) -> Result<ConnectionManager, SessionError> {
    let client = redis::Client::open(url)?;
    let config = redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(timeout)
        .set_response_timeout(timeout)
        .set_number_of_retries(1);
    Ok(ConnectionManager::new_with_config(client, config).await?)
}

/// The dialogue state of each chat, as JSON text, forgotten after an idle time.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// The saved state, or None when there is none (never saved, cleared or expired).
    async fn load(&self, chat_id: i64) -> Result<Option<String>, SessionError>;
    /// Saves the state and restarts its idle time.
    async fn save(&self, chat_id: i64, state: &str) -> Result<(), SessionError>;
    async fn clear(&self, chat_id: i64) -> Result<(), SessionError>;
}

/// Sessions in Redis: one key per chat, `<prefix>v1:session:<chat_id>` (with the default
/// `REDIS_PREFIX`, `kabinet:v1:session:<chat_id>`), with an idle TTL.
#[derive(Clone)]
pub struct RedisSessions {
    conn: ConnectionManager,
    prefix: String,
    ttl: Duration,
}

impl RedisSessions {
    /// Connects to `url` (`redis://…`). `prefix` (`REDIS_PREFIX`, e.g. `kabinet:`) starts every
    /// key, so that deployments and tests sharing a server never see each other's sessions.
    pub async fn connect(
        url: &str,
        prefix: &str,
        ttl: Duration,
    ) -> Result<RedisSessions, SessionError> {
        let conn = redis_manager(url, Duration::from_secs(2)).await?;
        Ok(RedisSessions::new(conn, prefix, ttl))
    }

    pub fn new(conn: ConnectionManager, prefix: &str, ttl: Duration) -> RedisSessions {
        RedisSessions {
            conn,
            prefix: prefix.to_owned(),
            ttl,
        }
    }

    /// The key holding a chat's state.
    pub fn key(&self, chat_id: i64) -> String {
        format!("{}v{SESSION_VERSION}:session:{chat_id}", self.prefix)
    }
}

#[async_trait]
impl SessionStore for RedisSessions {
    async fn load(&self, chat_id: i64) -> Result<Option<String>, SessionError> {
        let mut conn = self.conn.clone();
        Ok(conn.get(self.key(chat_id)).await?)
    }

    async fn save(&self, chat_id: i64, state: &str) -> Result<(), SessionError> {
        let mut conn = self.conn.clone();
        let seconds = self.ttl.as_secs().max(1);
        let () = conn.set_ex(self.key(chat_id), state, seconds).await?;
        Ok(())
    }

    async fn clear(&self, chat_id: i64) -> Result<(), SessionError> {
        let mut conn = self.conn.clone();
        let () = conn.del(self.key(chat_id)).await?;
        Ok(())
    }
}

/// Sessions in this process's memory, expiring like Redis ones by the injected clock.
pub struct MemorySessions {
    entries: Mutex<HashMap<i64, (String, DateTime<Utc>)>>,
    ttl: chrono::Duration,
    clock: Arc<dyn Clock>,
}

impl MemorySessions {
    pub fn new(ttl: Duration, clock: Arc<dyn Clock>) -> MemorySessions {
        MemorySessions {
            entries: Mutex::new(HashMap::new()),
            ttl: chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX),
            clock,
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<i64, (String, DateTime<Utc>)>> {
        // A panic elsewhere cannot leave a HashMap of strings half-written.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[async_trait]
impl SessionStore for MemorySessions {
    async fn load(&self, chat_id: i64) -> Result<Option<String>, SessionError> {
        let now = self.clock.now();
        let mut entries = self.entries();
        match entries.get(&chat_id) {
            Some((_, expires)) if *expires <= now => {
                entries.remove(&chat_id);
                Ok(None)
            }
            Some((state, _)) => Ok(Some(state.clone())),
            None => Ok(None),
        }
    }

    async fn save(&self, chat_id: i64, state: &str) -> Result<(), SessionError> {
        let now = self.clock.now();
        let expires = now
            .checked_add_signed(self.ttl)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        self.entries().insert(chat_id, (state.to_owned(), expires));
        Ok(())
    }

    async fn clear(&self, chat_id: i64) -> Result<(), SessionError> {
        self.entries().remove(&chat_id);
        Ok(())
    }
}
