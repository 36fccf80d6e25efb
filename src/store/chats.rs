//! Chats and the accounts they may act for (`chat_users`, `account_links`).

use super::{StoreError, StoreResult};
use crate::billing::AccountNumber;
use crate::i18n::Lang;
use chrono::{DateTime, Utc};
use sqlx::PgExecutor;

/// A person in a chat (a Telegram chat, or a terminal session).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatUser {
    pub chat_id: i64,
    pub language: Lang,
    pub current_account_id: Option<i64>,
}

/// An account a chat may act for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub account_id: i64,
    pub number: AccountNumber,
    pub holder: String,
    /// The account's credential epoch when the link was made.
    pub link_epoch: i32,
    /// The account's credential epoch now.
    pub account_epoch: i32,
    pub linked_at: DateTime<Utc>,
}

impl Link {
    /// A link made before the account's credentials changed (a new password, «Отключить
    /// другие чаты») must be made again before it can be used.
    pub fn needs_renewal(&self) -> bool {
        self.link_epoch != self.account_epoch
    }
}

/// The chat's row, created with the defaults on first contact.
pub async fn ensure<'e>(db: impl PgExecutor<'e>, chat_id: i64) -> StoreResult<ChatUser> {
    // The outer SELECT does not see the CTE's insert (one snapshot), hence the UNION.
    let (language, current_account_id): (String, Option<i64>) = sqlx::query_as(
        "WITH created AS (
             INSERT INTO chat_users (chat_id) VALUES ($1)
             ON CONFLICT (chat_id) DO NOTHING
             RETURNING language, current_account_id)
         SELECT language, current_account_id FROM created
         UNION ALL
         SELECT language, current_account_id FROM chat_users WHERE chat_id = $1",
    )
    .bind(chat_id)
    .fetch_one(db)
    .await?;
    Ok(ChatUser {
        chat_id,
        language: parse_lang(&language)?,
        current_account_id,
    })
}

/// The chat's row (created with the defaults on first contact) and its links, oldest first, in
/// one round trip: what every turn starts with.
pub async fn context<'e>(
    db: impl PgExecutor<'e>,
    chat_id: i64,
) -> StoreResult<(ChatUser, Vec<Link>)> {
    type Row = (
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<i32>,
        Option<i32>,
        Option<DateTime<Utc>>,
    );
    // The outer SELECT does not see the CTE's insert (one snapshot), hence the UNION.
    let rows: Vec<Row> = sqlx::query_as(
        "WITH created AS (
             INSERT INTO chat_users (chat_id) VALUES ($1)
             ON CONFLICT (chat_id) DO NOTHING
             RETURNING language, current_account_id),
         u AS (
             SELECT language, current_account_id FROM created
             UNION ALL
             SELECT language, current_account_id FROM chat_users WHERE chat_id = $1)
         SELECT u.language, u.current_account_id, a.id, a.number, a.holder,
                l.credential_epoch, a.credential_epoch, l.linked_at
         FROM u
         LEFT JOIN account_links l ON l.chat_id = $1
         LEFT JOIN accounts a ON a.id = l.account_id
         ORDER BY l.linked_at, a.id",
    )
    .bind(chat_id)
    .fetch_all(db)
    .await?;
    let Some((language, current_account_id, ..)) = rows.first() else {
        return Err(StoreError::NotFound { what: "chat" });
    };
    let user = ChatUser {
        chat_id,
        language: parse_lang(language)?,
        current_account_id: *current_account_id,
    };
    let mut links = Vec::new();
    for (_, _, id, number, holder, link_epoch, account_epoch, linked_at) in rows {
        let (
            Some(account_id),
            Some(number),
            Some(holder),
            Some(link_epoch),
            Some(account_epoch),
            Some(linked_at),
        ) = (id, number, holder, link_epoch, account_epoch, linked_at)
        else {
            continue;
        };
        links.push(link_of((
            account_id,
            number,
            holder,
            link_epoch,
            account_epoch,
            linked_at,
        ))?);
    }
    Ok((user, links))
}

/// A link from its row: account id, number, holder, link epoch, account epoch, linked at.
fn link_of(row: LinkRow) -> StoreResult<Link> {
    let (account_id, number, holder, link_epoch, account_epoch, linked_at) = row;
    Ok(Link {
        account_id,
        number: AccountNumber::parse(&number)
            .map_err(|e| StoreError::Corrupt(format!("account {account_id}: {e}")))?,
        holder,
        link_epoch,
        account_epoch,
        linked_at,
    })
}

/// Remembers the chat's language (creating the chat's row if needed).
pub async fn set_language<'e>(
    db: impl PgExecutor<'e>,
    chat_id: i64,
    lang: Lang,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO chat_users (chat_id, language) VALUES ($1, $2)
         ON CONFLICT (chat_id) DO UPDATE SET language = EXCLUDED.language, updated_at = now()",
    )
    .bind(chat_id)
    .bind(lang.code())
    .execute(db)
    .await?;
    Ok(())
}

type LinkRow = (i64, String, String, i32, i32, DateTime<Utc>);

/// The chat's links with each account's number and holder, oldest first.
pub async fn links<'e>(db: impl PgExecutor<'e>, chat_id: i64) -> StoreResult<Vec<Link>> {
    let rows: Vec<LinkRow> = sqlx::query_as(
        "SELECT a.id, a.number, a.holder, l.credential_epoch, a.credential_epoch, l.linked_at
         FROM account_links l JOIN accounts a ON a.id = l.account_id
         WHERE l.chat_id = $1
         ORDER BY l.linked_at, a.id",
    )
    .bind(chat_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(link_of).collect()
}

/// Links the account to the chat (renewing an existing link) and makes it the current one.
/// `credential_epoch` is the account's epoch at the moment possession was proved.
/// The chat's row must exist ([`ensure`]; the engine does it on every event).
pub async fn link<'e>(
    db: impl PgExecutor<'e>,
    chat_id: i64,
    account_id: i64,
    credential_epoch: i32,
) -> StoreResult<()> {
    sqlx::query(
        "WITH linked AS (
             INSERT INTO account_links (chat_id, account_id, credential_epoch) VALUES ($1, $2, $3)
             ON CONFLICT (chat_id, account_id)
             DO UPDATE SET credential_epoch = EXCLUDED.credential_epoch, linked_at = now()
             RETURNING account_id)
         UPDATE chat_users SET current_account_id = (SELECT account_id FROM linked), updated_at = now()
         WHERE chat_id = $1",
    )
    .bind(chat_id)
    .bind(account_id)
    .bind(credential_epoch)
    .execute(db)
    .await?;
    Ok(())
}

/// Removes a link; when it was the current account, the oldest remaining link becomes current.
/// False when there was no such link.
pub async fn unlink<'e>(
    db: impl PgExecutor<'e>,
    chat_id: i64,
    account_id: i64,
) -> StoreResult<bool> {
    // One statement sees one snapshot: the subquery still sees the deleted link, hence `<> $2`.
    let removed: i64 = sqlx::query_scalar(
        "WITH gone AS (
             DELETE FROM account_links WHERE chat_id = $1 AND account_id = $2 RETURNING account_id),
         moved AS (
             UPDATE chat_users SET updated_at = now(), current_account_id = (
                 SELECT l.account_id FROM account_links l
                 WHERE l.chat_id = $1 AND l.account_id <> $2
                 ORDER BY l.linked_at, l.account_id LIMIT 1)
             WHERE chat_id = $1 AND current_account_id = $2 AND EXISTS (SELECT 1 FROM gone)
             RETURNING chat_id)
         SELECT count(*) FROM gone",
    )
    .bind(chat_id)
    .bind(account_id)
    .fetch_one(db)
    .await?;
    Ok(removed > 0)
}

/// Makes a linked account the current one. False when the chat has no link to it.
pub async fn set_current<'e>(
    db: impl PgExecutor<'e>,
    chat_id: i64,
    account_id: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE chat_users SET current_account_id = $2, updated_at = now()
         WHERE chat_id = $1
           AND EXISTS (SELECT 1 FROM account_links WHERE chat_id = $1 AND account_id = $2)",
    )
    .bind(chat_id)
    .bind(account_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Stores a new password hash for the account and bumps its credential epoch, provided the
/// epoch is still `expected` (else nothing changes and the answer is `None`: the password
/// changed meanwhile). Links made by password in other chats then need renewal; this chat's
/// own password link moves to the new epoch. One statement, so all of it or nothing.
pub async fn change_password<'e>(
    db: impl PgExecutor<'e>,
    chat_id: i64,
    account_id: i64,
    expected: i32,
    hash: &str,
) -> StoreResult<Option<i32>> {
    Ok(sqlx::query_scalar(
        "WITH bumped AS (
             UPDATE accounts SET credential_hash = $4, credential_epoch = credential_epoch + 1
             WHERE id = $2 AND credential_epoch = $3
             RETURNING credential_epoch),
         renewed AS (
             UPDATE account_links SET credential_epoch = (SELECT credential_epoch FROM bumped)
             WHERE chat_id = $1 AND account_id = $2
               AND EXISTS (SELECT 1 FROM bumped)
             RETURNING account_id)
         SELECT credential_epoch FROM bumped",
    )
    .bind(chat_id)
    .bind(account_id)
    .bind(expected)
    .bind(hash)
    .fetch_optional(db)
    .await?)
}

/// Another chat linked to an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherChat {
    pub chat_id: i64,
    pub linked_at: DateTime<Utc>,
}

/// The other chats whose link to the account is valid (made under its current epoch).
pub async fn other_chats<'e>(
    db: impl PgExecutor<'e>,
    chat_id: i64,
    account_id: i64,
) -> StoreResult<Vec<OtherChat>> {
    let rows: Vec<(i64, DateTime<Utc>)> = sqlx::query_as(
        "SELECT l.chat_id, l.linked_at FROM account_links l JOIN accounts a ON a.id = l.account_id
         WHERE l.account_id = $2 AND l.chat_id <> $1 AND l.credential_epoch = a.credential_epoch
         ORDER BY l.linked_at, l.chat_id",
    )
    .bind(chat_id)
    .bind(account_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(chat_id, linked_at)| OtherChat { chat_id, linked_at })
        .collect())
}

/// Cuts every other chat off the account: its credential epoch moves on and only this chat's
/// link follows it (the password stays). Returns the new epoch; `None` when this chat's link
/// is not valid any more (the credentials changed meanwhile).
pub async fn disconnect_others<'e>(
    db: impl PgExecutor<'e>,
    chat_id: i64,
    account_id: i64,
) -> StoreResult<Option<i32>> {
    Ok(sqlx::query_scalar(
        "WITH bumped AS (
             UPDATE accounts a SET credential_epoch = a.credential_epoch + 1
             WHERE a.id = $2 AND EXISTS (
                 SELECT 1 FROM account_links l WHERE l.chat_id = $1 AND l.account_id = $2
                   AND l.credential_epoch = a.credential_epoch)
             RETURNING a.credential_epoch),
         renewed AS (
             UPDATE account_links SET credential_epoch = (SELECT credential_epoch FROM bumped)
             WHERE chat_id = $1 AND account_id = $2 AND EXISTS (SELECT 1 FROM bumped)
             RETURNING account_id)
         SELECT credential_epoch FROM bumped",
    )
    .bind(chat_id)
    .bind(account_id)
    .fetch_optional(db)
    .await?)
}

/// True the first time a group chat is seen: it is told once that the bot works in private
/// chats only, and ignored after that.
pub async fn first_time_in_group<'e>(db: impl PgExecutor<'e>, chat_id: i64) -> StoreResult<bool> {
    let done = sqlx::query("INSERT INTO group_chats (chat_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(chat_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

fn parse_lang(code: &str) -> StoreResult<Lang> {
    Lang::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("language {code:?}")))
}

/// Marks a chat as having blocked the bot (Telegram answered 403): notices skip it until it
/// writes again ([`unblock`]). True when the mark is new.
pub async fn block<'e>(db: impl PgExecutor<'e>, chat_id: i64) -> StoreResult<bool> {
    let done =
        sqlx::query("INSERT INTO blocked_chats (chat_id) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(chat_id)
            .execute(db)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Clears the blocked mark: the chat wrote to the bot again. Cheap when there is none, so the
/// inbound path may call it on every update. True when a mark was cleared.
pub async fn unblock<'e>(db: impl PgExecutor<'e>, chat_id: i64) -> StoreResult<bool> {
    let done = sqlx::query("DELETE FROM blocked_chats WHERE chat_id = $1")
        .bind(chat_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the chat is marked as having blocked the bot.
pub async fn is_blocked<'e>(db: impl PgExecutor<'e>, chat_id: i64) -> StoreResult<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM blocked_chats WHERE chat_id = $1)")
            .bind(chat_id)
            .fetch_one(db)
            .await?,
    )
}
