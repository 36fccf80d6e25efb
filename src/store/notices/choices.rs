//! What the notices read and keep besides the batches: a chat's topics turned off, the
//! announcements' texts, the newest close, the accounts a chat is linked to.

use super::{Kind, Topic};
use crate::store::{Store, StoreResult};
use chrono::NaiveDate;

impl Store {
    /// Turns a topic on or off for one chat and account.
    pub async fn set_topic(
        &self,
        chat_id: i64,
        account_id: i64,
        topic: Topic,
        on: bool,
    ) -> StoreResult<()> {
        let sql = if on {
            "DELETE FROM notice_opt_outs WHERE chat_id = $1 AND account_id = $2 AND topic = $3"
        } else {
            "INSERT INTO notice_opt_outs (chat_id, account_id, topic) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING"
        };
        sqlx::query(sql)
            .bind(chat_id)
            .bind(account_id)
            .bind(topic.code())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The topics a chat turned off for an account.
    pub async fn topics_off(&self, chat_id: i64, account_id: i64) -> StoreResult<Vec<Topic>> {
        let codes: Vec<String> = sqlx::query_scalar(
            "SELECT topic FROM notice_opt_outs WHERE chat_id = $1 AND account_id = $2",
        )
        .bind(chat_id)
        .bind(account_id)
        .fetch_all(self.pool())
        .await?;
        Ok(codes.iter().filter_map(|c| Topic::from_code(c)).collect())
    }

    /// Stores an announcement's text; its id keys its notices.
    pub async fn add_announcement(&self, body: &str) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar("INSERT INTO announcements (body) VALUES ($1) RETURNING id")
                .bind(body)
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// The newest period with a finished close run.
    pub async fn last_closed_period(&self) -> StoreResult<Option<NaiveDate>> {
        Ok(sqlx::query_scalar("SELECT max(period) FROM close_runs")
            .fetch_one(self.pool())
            .await?)
    }

    /// The accounts some chat holding a valid link to it has no `kind` notice keyed `key` for
    /// (for the debt notices, which weigh each account's ledger); with `all`, every account
    /// (a dry run lists those without a chat too).
    pub async fn accounts_to_notify(
        &self,
        all: bool,
        kind: Kind,
        key: &str,
    ) -> StoreResult<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT a.id FROM accounts a
             WHERE $1 OR EXISTS (
                 SELECT 1 FROM account_links l
                 WHERE l.account_id = a.id AND l.credential_epoch = a.credential_epoch
                   AND NOT EXISTS (SELECT 1 FROM notices n
                                   WHERE n.chat_id = l.chat_id AND n.account_id = a.id
                                     AND n.kind = $2 AND n.key = $3))
             ORDER BY a.id",
        )
        .bind(all)
        .bind(kind.code())
        .bind(key)
        .fetch_all(self.pool())
        .await?)
    }
}
