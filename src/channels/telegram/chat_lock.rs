//! One update of a chat at a time, across processes.
//!
//! teloxide's dispatcher handles one chat's updates in order within a process only; when
//! several instances serve one bot, two updates of a chat can be handled at once and lose each
//! other's session state. A handler takes the chat's lock in Redis first: `SET key token NX PX
//! ttl` with a random token, released by a Lua compare-and-delete so that a holder whose lock
//! expired never deletes its successor's. A holder that dies leaves the lock to expire.
//!
//! The lock gives mutual exclusion, not order: two updates of one chat waiting in two processes
//! are taken in whichever order the retries land.

use std::time::Duration;

use rand::Rng;
use redis::aio::ConnectionManager;
use tokio::time::Instant;

/// How long a lock lives and how long to wait for one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockSettings {
    /// The lock expires this long after it was taken (or last extended).
    pub ttl: Duration,
    /// `acquire` gives up after waiting this long.
    pub max_wait: Duration,
    /// The first pause between attempts; it doubles up to `max_backoff`, with jitter.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for LockSettings {
    fn default() -> Self {
        LockSettings {
            ttl: Duration::from_secs(30),
            max_wait: Duration::from_secs(20),
            first_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(200),
        }
    }
}

/// Why a chat lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ChatLockError {
    #[error("chat {chat_id} stayed locked for {waited:?}")]
    Timeout { chat_id: i64, waited: Duration },
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
}

/// Takes per-chat locks under `<prefix>tg:chat-lock:<chat id>` (`prefix` is `REDIS_PREFIX`,
/// `kabinet:` by default).
#[derive(Clone)]
pub struct ChatLocks {
    conn: ConnectionManager,
    prefix: String,
    settings: LockSettings,
}

/// Deletes the key only while it still holds our token.
const RELEASE: &str = r#"
if redis.call("GET", KEYS[1]) == ARGV[1] then
    return redis.call("DEL", KEYS[1])
end
return 0
"#;

/// Pushes the expiry only while the key still holds our token.
const EXTEND: &str = r#"
if redis.call("GET", KEYS[1]) == ARGV[1] then
    return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0
"#;

impl ChatLocks {
    pub fn new(conn: ConnectionManager, prefix: impl Into<String>, settings: LockSettings) -> Self {
        ChatLocks {
            conn,
            prefix: prefix.into(),
            settings,
        }
    }

    /// One attempt: the guard if the chat was free.
    pub async fn try_acquire(
        &self,
        chat_id: i64,
    ) -> Result<Option<ChatLockGuard>, redis::RedisError> {
        let key = format!("{}tg:chat-lock:{chat_id}", self.prefix);
        let token = format!("{:032x}", rand::random::<u128>());
        let set: Option<String> = redis::cmd("SET")
            .arg(&key)
            .arg(&token)
            .arg("NX")
            .arg("PX")
            .arg(millis(self.settings.ttl))
            .query_async(&mut self.conn.clone())
            .await?;
        Ok(set.map(|_| ChatLockGuard {
            conn: self.conn.clone(),
            key,
            token,
            released: false,
        }))
    }

    /// Waits for the chat's lock, retrying with jittered exponential backoff up to
    /// `max_wait`.
    pub async fn acquire(&self, chat_id: i64) -> Result<ChatLockGuard, ChatLockError> {
        let start = Instant::now();
        let mut step = self.settings.first_backoff;
        loop {
            if let Some(guard) = self.try_acquire(chat_id).await? {
                return Ok(guard);
            }
            let waited = start.elapsed();
            if waited >= self.settings.max_wait {
                return Err(ChatLockError::Timeout { chat_id, waited });
            }
            // Jitter keeps two waiters from retrying in lockstep.
            let pause = rand::thread_rng().gen_range(step / 2..=step);
            tokio::time::sleep(pause.min(self.settings.max_wait - waited)).await;
            step = (step * 2).min(self.settings.max_backoff);
        }
    }
}

/// A held chat lock. Release it with [`ChatLockGuard::release`]; a guard dropped unreleased
/// releases in a background task (or, outside a runtime, lets the lock expire).
pub struct ChatLockGuard {
    conn: ConnectionManager,
    key: String,
    token: String,
    released: bool,
}

impl ChatLockGuard {
    /// Restarts the expiry at `ttl` from now, for work that runs longer than planned. False:
    /// the lock had already expired, and another handler may have the chat.
    pub async fn extend(&self, ttl: Duration) -> Result<bool, redis::RedisError> {
        let n: i64 = redis::Script::new(EXTEND)
            .key(&self.key)
            .arg(&self.token)
            .arg(millis(ttl))
            .invoke_async(&mut self.conn.clone())
            .await?;
        Ok(n == 1)
    }

    /// Lets the next handler in. False: the lock had expired before (nothing was deleted).
    pub async fn release(mut self) -> Result<bool, redis::RedisError> {
        self.released = true;
        release(self.conn.clone(), &self.key, &self.token).await
    }
}

async fn release(
    mut conn: ConnectionManager,
    key: &str,
    token: &str,
) -> Result<bool, redis::RedisError> {
    let n: i64 = redis::Script::new(RELEASE)
        .key(key)
        .arg(token)
        .invoke_async(&mut conn)
        .await?;
    Ok(n == 1)
}

impl Drop for ChatLockGuard {
    fn drop(&mut self) {
        if self.released {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (conn, key, token) = (
                self.conn.clone(),
                std::mem::take(&mut self.key),
                std::mem::take(&mut self.token),
            );
            runtime.spawn(async move {
                if let Err(e) = release(conn, &key, &token).await {
                    tracing::warn!(error = %e, "could not release a dropped chat lock");
                }
            });
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}
