//! What identification writes, each in one transaction: a registration (contacts, web
//! credentials, their delivery and the chat's link) and a password reset (new credentials and
//! their delivery). Either all of it is stored, or nothing is.

use super::accounts::AccountId;
use super::outbox::{NewMessage, enqueue_with};
use super::{Store, StoreError, StoreResult, chats};

/// Outbox templates of the messages that carry credentials. Their payload is
/// `{"login": <account number>, "password": <the password in clear>}`: the only place a
/// password exists unhashed, until the sender delivers it.
pub mod templates {
    /// Login and password of a newly created web cabinet.
    pub const WEB_CREDENTIALS: &str = "web_credentials";
    /// A temporary password after access recovery.
    pub const TEMPORARY_PASSWORD: &str = "temporary_password";
}

/// A holder who proved possession (a code to the phone on file, a matching shared contact, or
/// a proved phone where none was on file) and gave their contacts.
#[derive(Clone, Debug, PartialEq)]
pub struct Registration {
    pub chat_id: i64,
    pub account: AccountId,
    /// A proved mobile number (`+79…`), stored only where the account has none: a contact on
    /// file is never overwritten by registration.
    pub phone: Option<String>,
    /// An email, stored only where the account has none.
    pub email: Option<String>,
    /// Argon2 PHC string of the generated password.
    pub password_hash: String,
    /// The messages that deliver the generated password: queued only if it is stored.
    pub credentials: Vec<NewMessage>,
}

/// How a registration ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registered {
    /// Web credentials were created and their messages queued.
    Created { epoch: i32 },
    /// The account had a web password already (set meanwhile): it is kept, nothing is queued.
    HadPassword { epoch: i32 },
}

impl Registered {
    pub fn epoch(self) -> i32 {
        match self {
            Registered::Created { epoch } | Registered::HadPassword { epoch } => epoch,
        }
    }
}

impl Store {
    /// Fills in the contacts the account lacks, creates the web credentials unless the account
    /// has some, queues their delivery and links the chat to the account under the credential
    /// epoch.
    pub async fn register_holder(&self, r: &Registration) -> StoreResult<Registered> {
        let mut tx = self.pool().begin().await?;
        // The row lock orders two registrations of one account: the second sees the password.
        let has_password: Option<bool> = sqlx::query_scalar(
            "SELECT credential_hash IS NOT NULL FROM accounts WHERE id = $1 FOR UPDATE",
        )
        .bind(r.account)
        .fetch_optional(&mut *tx)
        .await?;
        let has_password = has_password.ok_or(StoreError::NotFound { what: "account" })?;
        let registered = if has_password {
            let epoch: i32 = sqlx::query_scalar(
                "UPDATE accounts SET phone = COALESCE(phone, $2), email = COALESCE(email, $3)
                 WHERE id = $1 RETURNING credential_epoch",
            )
            .bind(r.account)
            .bind(&r.phone)
            .bind(&r.email)
            .fetch_one(&mut *tx)
            .await?;
            Registered::HadPassword { epoch }
        } else {
            let epoch: i32 = sqlx::query_scalar(
                "UPDATE accounts SET phone = COALESCE(phone, $2), email = COALESCE(email, $3),
                        credential_hash = $4, credential_epoch = credential_epoch + 1
                 WHERE id = $1 RETURNING credential_epoch",
            )
            .bind(r.account)
            .bind(&r.phone)
            .bind(&r.email)
            .bind(&r.password_hash)
            .fetch_one(&mut *tx)
            .await?;
            for message in &r.credentials {
                enqueue_with(&mut *tx, message).await?;
            }
            Registered::Created { epoch }
        };
        chats::link(&mut *tx, r.chat_id, r.account.0, registered.epoch()).await?;
        tx.commit().await?;
        Ok(registered)
    }

    /// Stores a new password hash (bumping the epoch, so every link made before must be
    /// renewed), queues the messages that deliver it and links `chat_id`, which proved
    /// possession, under the new epoch. Returns the new epoch.
    pub async fn reset_password(
        &self,
        account: AccountId,
        password_hash: &str,
        delivery: &[NewMessage],
        chat_id: i64,
    ) -> StoreResult<i32> {
        let mut tx = self.pool().begin().await?;
        let epoch: Option<i32> = sqlx::query_scalar(
            "UPDATE accounts SET credential_hash = $2, credential_epoch = credential_epoch + 1
             WHERE id = $1 RETURNING credential_epoch",
        )
        .bind(account)
        .bind(password_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let epoch = epoch.ok_or(StoreError::NotFound { what: "account" })?;
        for message in delivery {
            enqueue_with(&mut *tx, message).await?;
        }
        chats::link(&mut *tx, chat_id, account.0, epoch).await?;
        tx.commit().await?;
        Ok(epoch)
    }
}
