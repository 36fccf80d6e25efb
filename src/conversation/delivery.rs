//! How passwords and codes leave the bot: hashed for the store, in clear only inside outbox
//! messages (SMS / email). Never in a chat reply, never in a log.
//!
//! Argon2 is slow on purpose, so its work is bounded: at most one hashing per core at a time,
//! and a short queue behind them; when the queue is full the turn answers «попробуйте через
//! минуту» ([`EngineError::Busy`]) instead of piling up work a flood could make endless.

use super::{ChatCtx, EngineError};
use crate::billing::AccountNumber;
use crate::credentials::{hash_password, verify_password};
use crate::store::outbox::{Channel, NewMessage};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// An outbox message carrying a login and a password, for `template`
/// (`store::identification::templates`), written in the chat's language. The chat that asked
/// for it is kept beside the secret so that, if the message can never be delivered, that chat
/// is told to recover access (the secret itself is erased then).
pub fn credentials(
    template: &str,
    channel: Channel,
    recipient: &str,
    login: &AccountNumber,
    password: &str,
    chat: &ChatCtx,
) -> NewMessage {
    NewMessage {
        channel,
        recipient: recipient.to_owned(),
        template: template.to_owned(),
        payload: serde_json::json!({
            "login": login.as_str(),
            "password": password,
            "chat": chat.chat_id,
            "lang": chat.lang.code(),
        }),
    }
}

/// How many argon2 computations may wait for a core before new ones are refused.
const MAX_WAITING: usize = 64;

struct Argon {
    running: Semaphore,
    waiting: AtomicUsize,
}

static ARGON: LazyLock<Argon> = LazyLock::new(|| Argon {
    running: Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
    waiting: AtomicUsize::new(0),
});

/// Runs `work` on a blocking thread once a core is free; `Busy` when too many already wait.
async fn bounded<T: Send + 'static>(
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, EngineError> {
    let argon = &*ARGON;
    if argon.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        argon.waiting.fetch_sub(1, Ordering::SeqCst);
        return Err(EngineError::Busy);
    }
    let permit = argon.running.acquire().await;
    argon.waiting.fetch_sub(1, Ordering::SeqCst);
    let _permit = permit.map_err(|e| EngineError::Internal(format!("{what}: {e}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| EngineError::Internal(format!("{what} task: {e}")))
}

/// Argon2 hashing of a password or a code.
pub async fn hash(secret: &str) -> Result<String, EngineError> {
    let secret = secret.to_owned();
    bounded("hashing", move || hash_password(&secret))
        .await?
        .map_err(|e| EngineError::Internal(e.to_string()))
}

/// Argon2 verification of a password or a code against its PHC string.
pub async fn verify(secret: &str, phc: &str) -> Result<bool, EngineError> {
    let (secret, phc) = (secret.to_owned(), phc.to_owned());
    bounded("verification", move || verify_password(&secret, &phc)).await
}
