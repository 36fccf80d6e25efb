//! The brute-force limit on identification: failures per chat and per account in a window.

use super::{Store, StoreResult};
use crate::billing::AccountNumber;
use chrono::{DateTime, Duration, Utc};

/// How many failures within `window` lock identification, per chat and per account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttemptLimit {
    pub max_failures: i64,
    pub window: Duration,
}

/// Five failures in fifteen minutes.
impl Default for AttemptLimit {
    fn default() -> AttemptLimit {
        AttemptLimit {
            max_failures: 5,
            window: Duration::minutes(15),
        }
    }
}

impl Store {
    /// Records a failed identification by `chat_id`, and against `account` when one was named.
    pub async fn record_identification_failure(
        &self,
        chat_id: i64,
        account: Option<&AccountNumber>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO identification_failures (scope, subject, failed_at)
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::timestamptz[])",
        )
        .bind(
            std::iter::once("chat")
                .chain(account.map(|_| "account"))
                .collect::<Vec<_>>(),
        )
        .bind(
            std::iter::once(chat_id.to_string())
                .chain(account.map(|a| a.as_str().to_owned()))
                .collect::<Vec<_>>(),
        )
        .bind(vec![now; if account.is_some() { 2 } else { 1 }])
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Until when identification is locked for this chat (or, when named, this account):
    /// `None` when it is not. The lock lifts `window` after the oldest of the last
    /// `max_failures` failures.
    pub async fn identification_locked_until(
        &self,
        chat_id: i64,
        account: Option<&AccountNumber>,
        now: DateTime<Utc>,
        limit: AttemptLimit,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let since = now - limit.window;
        let mut until: Option<DateTime<Utc>> = None;
        let subjects = std::iter::once(("chat", chat_id.to_string()))
            .chain(account.map(|a| ("account", a.as_str().to_owned())));
        for (scope, subject) in subjects {
            let recent: Vec<DateTime<Utc>> = sqlx::query_scalar(
                "SELECT failed_at FROM identification_failures
                 WHERE scope = $1 AND subject = $2 AND failed_at > $3
                 ORDER BY failed_at DESC LIMIT $4",
            )
            .bind(scope)
            .bind(&subject)
            .bind(since)
            .bind(limit.max_failures)
            .fetch_all(self.pool())
            .await?;
            if recent.len() as i64 >= limit.max_failures
                && let Some(oldest) = recent.last()
            {
                let lifts = *oldest + limit.window;
                until = Some(until.map_or(lifts, |u| u.max(lifts)));
            }
        }
        Ok(until)
    }
}
