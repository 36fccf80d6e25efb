//! Accounts (лицевые счета): who holds them, where, on which tariff category, and how they log in.

use super::codec::code;
use super::{Store, StoreError, StoreResult};
use crate::billing::{AccountNumber, Category};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The database id of an account (never shown to consumers: they know the [`AccountNumber`]).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, sqlx::Type,
)]
#[sqlx(transparent)]
#[serde(transparent)]
pub struct AccountId(pub i64);

/// An account as stored.
#[derive(Clone, PartialEq)]
pub struct Account {
    pub id: AccountId,
    pub number: AccountNumber,
    /// The holder's full name, as on the contract.
    pub holder: String,
    pub address: String,
    pub category: Category,
    /// Monthly ОДН volume charged to this account, kWh.
    pub odn_kwh: Decimal,
    /// Monthly norm, kWh, for estimates once averages run out.
    pub norm_kwh: Decimal,
    /// Argon2 PHC string of the web-cabinet password; `None` while the consumer has none.
    pub credential_hash: Option<String>,
    /// Bumped on every password change; links made under an older epoch must be renewed.
    pub credential_epoch: i32,
    /// `+` and 10–15 digits.
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Keeps the password hash out of logs.
impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("number", &self.number)
            .field("holder", &self.holder)
            .field("address", &self.address)
            .field("category", &self.category)
            .field("odn_kwh", &self.odn_kwh)
            .field("norm_kwh", &self.norm_kwh)
            .field(
                "credential_hash",
                &self.credential_hash.as_ref().map(|_| "***"),
            )
            .field("credential_epoch", &self.credential_epoch)
            .field("phone", &self.phone)
            .field("email", &self.email)
            .finish()
    }
}

/// What it takes to open an account.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAccount {
    pub number: AccountNumber,
    pub holder: String,
    pub address: String,
    pub category: Category,
    pub odn_kwh: Decimal,
    pub norm_kwh: Decimal,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    number: String,
    holder: String,
    address: String,
    category: String,
    odn_kwh: Decimal,
    norm_kwh: Decimal,
    credential_hash: Option<String>,
    credential_epoch: i32,
    phone: Option<String>,
    email: Option<String>,
}

impl TryFrom<Row> for Account {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Account> {
        Ok(Account {
            id: AccountId(r.id),
            number: AccountNumber::parse(&r.number)
                .map_err(|e| StoreError::Corrupt(format!("account {}: {e}", r.id)))?,
            holder: r.holder,
            address: r.address,
            category: code("accounts.category", &r.category)?,
            odn_kwh: r.odn_kwh,
            norm_kwh: r.norm_kwh,
            credential_hash: r.credential_hash,
            credential_epoch: r.credential_epoch,
            phone: r.phone,
            email: r.email,
        })
    }
}

macro_rules! columns {
    () => {
        "id, number, holder, address, category, odn_kwh, norm_kwh, \
         credential_hash, credential_epoch, phone, email"
    };
}

impl Store {
    /// Opens an account; [`StoreError::Conflict`] when the number is taken.
    pub async fn insert_account(&self, new: &NewAccount) -> StoreResult<Account> {
        let row: Row = sqlx::query_as(concat!(
            "INSERT INTO accounts (number, holder, address, category, odn_kwh, norm_kwh, phone, email)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             RETURNING ",
            columns!()
        ))
        .bind(new.number.as_str())
        .bind(&new.holder)
        .bind(&new.address)
        .bind(new.category.code())
        .bind(new.odn_kwh)
        .bind(new.norm_kwh)
        .bind(&new.phone)
        .bind(&new.email)
        .fetch_one(&self.pool)
        .await?;
        row.try_into()
    }

    /// The account with this number, if any.
    pub async fn account_by_number(&self, number: &AccountNumber) -> StoreResult<Option<Account>> {
        let row: Option<Row> = sqlx::query_as(concat!(
            "SELECT ",
            columns!(),
            " FROM accounts WHERE number = $1"
        ))
        .bind(number.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(Account::try_from).transpose()
    }

    /// The account with this id, if any.
    pub async fn account(&self, id: AccountId) -> StoreResult<Option<Account>> {
        let row: Option<Row> = sqlx::query_as(concat!(
            "SELECT ",
            columns!(),
            " FROM accounts WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Account::try_from).transpose()
    }

    /// Every account id in ascending order (for period close and other batch work).
    pub async fn account_ids(&self) -> StoreResult<Vec<AccountId>> {
        Ok(sqlx::query_scalar("SELECT id FROM accounts ORDER BY id")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Stores a new password hash and bumps the credential epoch, which invalidates the links
    /// made with the old password. Returns the new epoch.
    pub async fn set_credential(&self, id: AccountId, hash: &str) -> StoreResult<i32> {
        let epoch: Option<i32> = sqlx::query_scalar(
            "UPDATE accounts SET credential_hash = $2, credential_epoch = credential_epoch + 1
             WHERE id = $1 RETURNING credential_epoch",
        )
        .bind(id)
        .bind(hash)
        .fetch_optional(&self.pool)
        .await?;
        epoch.ok_or(StoreError::NotFound { what: "account" })
    }

    /// Sets or clears the email; the database refuses a malformed one ([`StoreError::Rejected`]).
    pub async fn set_email(&self, id: AccountId, email: Option<&str>) -> StoreResult<()> {
        let done = sqlx::query("UPDATE accounts SET email = $2 WHERE id = $1")
            .bind(id)
            .bind(email)
            .execute(&self.pool)
            .await?;
        found(done.rows_affected())
    }

    /// Sets or clears the phone (`+` and 10–15 digits, else [`StoreError::Rejected`]).
    pub async fn set_phone(&self, id: AccountId, phone: Option<&str>) -> StoreResult<()> {
        let done = sqlx::query("UPDATE accounts SET phone = $2 WHERE id = $1")
            .bind(id)
            .bind(phone)
            .execute(&self.pool)
            .await?;
        found(done.rows_affected())
    }
}

fn found(rows: u64) -> StoreResult<()> {
    if rows == 0 {
        Err(StoreError::NotFound { what: "account" })
    } else {
        Ok(())
    }
}
