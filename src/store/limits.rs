//! Rate limits, counted atomically: an attempt takes its place in the count *before* it is
//! tried, under a transaction-scoped advisory lock per subject, so twenty parallel guesses get
//! exactly the allowed number of tries. A check that succeeds gives its places back
//! ([`Store::release`]); failures, and costly actions such as codes sent, stay counted.

use super::{Store, StoreResult};
use chrono::{DateTime, Duration, Utc};

/// What is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An identification start, or a wrong name, serial, password or code.
    Ident,
    /// A one-time code sent (an SMS or an email that costs money and annoys its recipient).
    Code,
    /// A password reset.
    Reset,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Ident => "ident",
            Kind::Code => "code",
            Kind::Reset => "reset",
        }
    }
}

/// Whom an attempt counts against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Chat,
    /// One chat trying one account.
    ChatAccount,
    Account,
}

impl Scope {
    pub fn code(self) -> &'static str {
        match self {
            Scope::Chat => "chat",
            Scope::ChatAccount => "chat_account",
            Scope::Account => "account",
        }
    }
}

/// One limit: at most `max` attempts of a subject within `window`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    pub scope: Scope,
    pub subject: String,
    pub max: i64,
    pub window: Duration,
}

impl Counter {
    pub fn new(scope: Scope, subject: impl Into<String>, max: i64, window: Duration) -> Counter {
        Counter {
            scope,
            subject: subject.into(),
            max,
            window,
        }
    }
}

/// The answer to a reservation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reserved {
    /// The attempt may go ahead; these rows count it (give them back with [`Store::release`]
    /// when it succeeds).
    Granted(Vec<i64>),
    /// A limit is reached: nothing was counted; it lifts at `until`.
    Limited { until: DateTime<Utc> },
}

impl Store {
    /// Counts one attempt of `kind` against every subject of `counters`, unless one of them
    /// is at its limit. Atomic across processes.
    pub async fn reserve(
        &self,
        kind: Kind,
        counters: &[Counter],
        now: DateTime<Utc>,
    ) -> StoreResult<Reserved> {
        let mut tx = self.pool().begin().await?;
        let mut subjects: Vec<(Scope, &str)> = counters
            .iter()
            .map(|c| (c.scope, c.subject.as_str()))
            .collect();
        // One lock order for everyone: no deadlock between two reservations.
        subjects.sort();
        subjects.dedup();
        for (scope, subject) in &subjects {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(format!("{}:{}:{subject}", kind.code(), scope.code()))
                .execute(&mut *tx)
                .await?;
        }
        if let Some(until) = limited(&mut tx, kind, counters, now).await? {
            return Ok(Reserved::Limited { until });
        }
        let ids: Vec<i64> = sqlx::query_scalar(
            "INSERT INTO attempts (kind, scope, subject, at)
             SELECT $1, s, subj, $4 FROM UNNEST($2::text[], $3::text[]) AS t(s, subj)
             RETURNING id",
        )
        .bind(kind.code())
        .bind(subjects.iter().map(|(s, _)| s.code()).collect::<Vec<_>>())
        .bind(subjects.iter().map(|(_, s)| *s).collect::<Vec<_>>())
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Reserved::Granted(ids))
    }

    /// Until when one of `counters` is at its limit, counting nothing.
    pub async fn limited_until(
        &self,
        kind: Kind,
        counters: &[Counter],
        now: DateTime<Utc>,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let mut conn = self.pool().acquire().await?;
        limited(&mut conn, kind, counters, now).await
    }

    /// Gives back the places of an attempt that succeeded.
    pub async fn release(&self, ids: &[i64]) -> StoreResult<()> {
        sqlx::query("DELETE FROM attempts WHERE id = ANY($1)")
            .bind(ids)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// The latest moment one of the reached limits lifts: `window` after the oldest of the last
/// `max` attempts.
async fn limited(
    conn: &mut sqlx::PgConnection,
    kind: Kind,
    counters: &[Counter],
    now: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let mut until: Option<DateTime<Utc>> = None;
    for c in counters {
        let recent: Vec<DateTime<Utc>> = sqlx::query_scalar(
            "SELECT at FROM attempts
             WHERE kind = $1 AND scope = $2 AND subject = $3 AND at > $4
             ORDER BY at DESC LIMIT $5",
        )
        .bind(kind.code())
        .bind(c.scope.code())
        .bind(&c.subject)
        .bind(now - c.window)
        .bind(c.max)
        .fetch_all(&mut *conn)
        .await?;
        if recent.len() as i64 >= c.max
            && let Some(oldest) = recent.last()
        {
            let lifts = *oldest + c.window;
            until = Some(until.map_or(lifts, |u| u.max(lifts)));
        }
    }
    Ok(until)
}
