//! How passwords leave the bot: hashed for the store, in clear only inside outbox messages
//! (SMS / email). Never in a chat reply, never in a log.

use super::EngineError;
use crate::billing::AccountNumber;
use crate::credentials::hash_password;
use crate::store::outbox::{Channel, NewMessage};

/// An outbox message carrying a login and a password, for `template`
/// (`store::identification::templates`).
pub fn credentials(
    template: &str,
    channel: Channel,
    recipient: &str,
    login: &AccountNumber,
    password: &str,
) -> NewMessage {
    NewMessage {
        channel,
        recipient: recipient.to_owned(),
        template: template.to_owned(),
        payload: serde_json::json!({ "login": login.as_str(), "password": password }),
    }
}

/// Argon2 on a blocking thread: it is meant to be slow, and the runtime serves other chats.
pub async fn hash(password: &str) -> Result<String, EngineError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| EngineError::Internal(format!("password hashing task: {e}")))?
        .map_err(|e| EngineError::Internal(e.to_string()))
}

/// Argon2 verification on a blocking thread, like [`hash`].
pub async fn verify(password: &str, phc: &str) -> Result<bool, EngineError> {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    tokio::task::spawn_blocking(move || crate::credentials::verify_password(&password, &phc))
        .await
        .map_err(|e| EngineError::Internal(format!("password check task: {e}")))
}
