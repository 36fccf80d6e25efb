//! Notices the bot sends first, queued set-wise: one statement picks the chats and accounts a
//! notice is for, records a row per (chat, account, kind, key) with `ON CONFLICT DO NOTHING`
//! and queues an outbox message for each row it inserted — so the record and its message are
//! one commit, and a rerun, a second instance or a crash mid-run queues nothing twice. A chat
//! that turned the kind off for that account, or blocked the bot, gets a `skipped` row instead.

use super::{Store, StoreResult};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use std::time::Duration;

mod choices;
mod leader;

pub use leader::Leadership;

/// What a notice is about. Stored by [`Kind::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The reading window opened and the account has no reading for the month yet.
    ReadingsOpen,
    /// Two days before the window closes, still no reading.
    ReadingsClosing,
    /// The month was closed: its receipt is ready.
    ReceiptReady,
    /// Five days before the due date, something is owed.
    PaymentDue,
    /// Day 25 of lateness: пени start in five days.
    PenaltyAhead,
    /// A staff announcement.
    Announcement,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::ReadingsOpen,
        Kind::ReadingsClosing,
        Kind::ReceiptReady,
        Kind::PaymentDue,
        Kind::PenaltyAhead,
        Kind::Announcement,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::ReadingsOpen => "readings_open",
            Kind::ReadingsClosing => "readings_closing",
            Kind::ReceiptReady => "receipt_ready",
            Kind::PaymentDue => "payment_due",
            Kind::PenaltyAhead => "penalty_ahead",
            Kind::Announcement => "announcement",
        }
    }

    /// The outbox template of the notice.
    pub fn template(self) -> &'static str {
        match self {
            Kind::ReadingsOpen => "notice-readings-open",
            Kind::ReadingsClosing => "notice-readings-closing",
            Kind::ReceiptReady => "notice-receipt-ready",
            Kind::PaymentDue => "notice-payment-due",
            Kind::PenaltyAhead => "notice-penalty-ahead",
            Kind::Announcement => "notice-announcement",
        }
    }

    /// The switch in Настройки → Уведомления that governs it.
    pub fn topic(self) -> Topic {
        match self {
            Kind::ReadingsOpen | Kind::ReadingsClosing => Topic::Readings,
            Kind::ReceiptReady => Topic::Receipt,
            Kind::PaymentDue => Topic::PaymentDue,
            Kind::PenaltyAhead => Topic::Penalty,
            Kind::Announcement => Topic::Announcements,
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What a chat can turn off, per linked account. Every topic is on by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    Readings,
    Receipt,
    PaymentDue,
    Penalty,
    Announcements,
}

impl Topic {
    pub const ALL: [Topic; 5] = [
        Topic::Readings,
        Topic::Receipt,
        Topic::PaymentDue,
        Topic::Penalty,
        Topic::Announcements,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Topic::Readings => "readings",
            Topic::Receipt => "receipt",
            Topic::PaymentDue => "payment_due",
            Topic::Penalty => "penalty",
            Topic::Announcements => "announcements",
        }
    }

    pub fn from_code(code: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Who a notice is for: the rule that picks the accounts (each with every chat holding a valid
/// link to it).
#[derive(Clone, Debug, PartialEq)]
pub enum Audience {
    /// Accounts with a meter in service and no reading (estimates aside) for the month.
    /// Only readings taken by `as_of` count; `notify` passes the window's last day, so any
    /// reading for the month counts, also in a run replayed for a past day (`--today`).
    WithoutReading { period: NaiveDate, as_of: NaiveDate },
    /// Accounts charged for the month; the payload gets the month's charges (`total`) and
    /// what is owed in all (`to_pay`: every charge through the month less every payment made
    /// before `paid_before`).
    Charged {
        period: NaiveDate,
        paid_before: DateTime<Utc>,
    },
    /// These accounts, each with the payload fields of its own.
    Listed { accounts: Vec<(i64, Value)> },
    /// Accounts whose address contains `street` (case-insensitive), or whose number is listed;
    /// every account when neither is given.
    Matching {
        street: Option<String>,
        numbers: Vec<String>,
    },
}

/// One batch of notices to queue: a kind, its key (the month, or an announcement's id), the
/// audience, payload fields common to all and when the sends start and how far apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub kind: Kind,
    pub key: String,
    pub audience: Audience,
    pub extra: Value,
    /// The first send's time (after quiet hours).
    pub start: DateTime<Utc>,
    /// The gap between two sends of the batch: spreads a large window over the morning.
    pub spacing: Duration,
}

/// What queueing a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Queued {
    /// New notices queued for sending.
    pub queued: u64,
    /// Recorded earlier (queued or skipped by an earlier run): nothing done.
    pub already: u64,
    /// New notices not sent: the chat turned the kind off or blocked the bot.
    pub skipped: u64,
}

impl std::ops::AddAssign for Queued {
    fn add_assign(&mut self, other: Queued) {
        self.queued += other.queued;
        self.already += other.already;
        self.skipped += other.skipped;
    }
}

/// A notice a dry run would queue (or finds recorded).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Planned {
    pub account: String,
    /// None: no chat holds a valid link to the account.
    pub chat_id: Option<i64>,
    pub kind: String,
    /// `queue`, `already` (recorded earlier), or why not: `opted_out`, `blocked`, `no chat`.
    pub outcome: String,
}

/// The notices at a glance, per kind and state.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StatusRow {
    pub kind: String,
    pub key: String,
    /// queued (waiting), sent, failed (dead-lettered), skipped.
    pub state: String,
    pub count: i64,
    pub last: Option<DateTime<Utc>>,
}

/// The statement timeout of a batch (see [`Store::queue_notices`]).
const BULK_TIMEOUT: &str = "SET LOCAL statement_timeout = '10min'";

/// The candidates of an audience: chat, account, number, language, payload fields, and why
/// not (NULL: send). Parameters $1 kind, $2 key, $3 topic, then the audience's from $7.
/// `unlinked` keeps the accounts no chat is linked to, with a NULL chat (for a dry run).
fn candidates(audience: &Audience, unlinked: bool) -> String {
    let (from, filter, extra) = match audience {
        Audience::WithoutReading { .. } => (
            "accounts a",
            "EXISTS (SELECT 1 FROM meters m WHERE m.account_id = a.id AND m.removed_on IS NULL)
             AND NOT EXISTS (SELECT 1 FROM meters m JOIN readings r ON r.meter_id = m.id
                             WHERE m.account_id = a.id AND r.period = $7::date
                               AND r.source <> 'estimate' AND r.taken_on <= $8::date)",
            "'{}'::jsonb",
        ),
        Audience::Charged { .. } => (
            "accounts a",
            "EXISTS (SELECT 1 FROM charges ch WHERE ch.account_id = a.id AND ch.period = $7::date)",
            "jsonb_build_object(
                 'total', (SELECT sum(amount) FROM charges ch
                           WHERE ch.account_id = a.id AND ch.period = $7::date)::text,
                 'to_pay', ((SELECT coalesce(sum(amount), 0) FROM charges ch
                             WHERE ch.account_id = a.id AND ch.period <= $7::date)
                            - (SELECT coalesce(sum(amount), 0) FROM payments p
                               WHERE p.account_id = a.id AND p.paid_at < $8::timestamptz))::text)",
        ),
        Audience::Listed { .. } => (
            "unnest($7::int8[], $8::jsonb[]) AS x(account_id, extra)
             JOIN accounts a ON a.id = x.account_id",
            "true",
            "x.extra",
        ),
        Audience::Matching { .. } => (
            "accounts a",
            "($7::text IS NULL OR a.address ILIKE '%' || $7::text || '%')
             AND (cardinality($8::text[]) = 0 OR a.number = ANY($8::text[]))",
            "'{}'::jsonb",
        ),
    };
    let join = if unlinked { "LEFT JOIN" } else { "JOIN" };
    format!(
        "SELECT l.chat_id, a.id AS account_id, a.number, cu.language, {extra} AS extra,
                CASE WHEN l.chat_id IS NULL THEN 'no chat'
                     WHEN b.chat_id IS NOT NULL THEN 'blocked'
                     WHEN o.chat_id IS NOT NULL THEN 'opted_out' END AS reason
         FROM {from}
         {join} (account_links l JOIN chat_users cu ON cu.chat_id = l.chat_id)
                ON l.account_id = a.id AND l.credential_epoch = a.credential_epoch
         LEFT JOIN blocked_chats b ON b.chat_id = l.chat_id
         LEFT JOIN notice_opt_outs o ON o.chat_id = l.chat_id AND o.account_id = a.id
                                    AND o.topic = $3
         WHERE {filter}"
    )
}

/// Binds the audience's own parameters ($7…) to a query.
macro_rules! bind_audience {
    ($query:expr, $audience:expr) => {
        match $audience {
            Audience::WithoutReading { period, as_of } => $query.bind(*period).bind(*as_of),
            Audience::Charged {
                period,
                paid_before,
            } => $query.bind(*period).bind(*paid_before),
            Audience::Listed { accounts } => $query
                .bind(accounts.iter().map(|(id, _)| *id).collect::<Vec<i64>>())
                .bind(
                    accounts
                        .iter()
                        .map(|(_, v)| v.clone())
                        .collect::<Vec<Value>>(),
                ),
            Audience::Matching { street, numbers } => {
                $query.bind(street.clone()).bind(numbers.clone())
            }
        }
    };
}

impl Store {
    /// Records and queues one batch in one statement (see the module's comment).
    pub async fn queue_notices(&self, batch: &Batch) -> StoreResult<Queued> {
        // Built from this module's constant pieces only; every value is a bound parameter.
        let sql = format!(
            "WITH cand AS MATERIALIZED ({cands}),
             fresh AS (
                INSERT INTO notices (chat_id, account_id, kind, key, state, reason, outbox_id)
                SELECT chat_id, account_id, $1::text, $2::text,
                       CASE WHEN reason IS NULL THEN 'queued' ELSE 'skipped' END, reason,
                       CASE WHEN reason IS NULL THEN nextval('outbox_id_seq') END
                FROM cand ORDER BY chat_id, account_id
                ON CONFLICT DO NOTHING
                RETURNING chat_id, account_id, state, outbox_id),
             sent AS (
                INSERT INTO outbox (id, channel, recipient, template, payload, next_attempt_at)
                SELECT f.outbox_id, 'telegram', f.chat_id::text, $4,
                       jsonb_build_object('account', c.number, 'lang', c.language,
                                          'period', $2::text) || $5::jsonb || c.extra,
                       $6 + (row_number() OVER (ORDER BY f.outbox_id) - 1)
                             * ($9::float8 * interval '1 millisecond')
                FROM fresh f JOIN cand c USING (chat_id, account_id)
                WHERE f.state = 'queued'
                RETURNING 1)
             SELECT (SELECT count(*) FROM cand),
                    (SELECT count(*) FROM sent),
                    (SELECT count(*) FROM fresh WHERE state = 'skipped')",
            cands = candidates(&batch.audience, false)
        );
        let query = sqlx::query_as::<_, (i64, i64, i64)>(sqlx::AssertSqlSafe(sql))
            .bind(batch.kind.code())
            .bind(&batch.key)
            .bind(batch.kind.topic().code())
            .bind(batch.kind.template())
            .bind(&batch.extra)
            .bind(batch.start);
        let query = bind_audience!(query, &batch.audience);
        // A batch of a million accounts is a bulk job, not a turn: the pool's short
        // statement timeout (DATABASE_TIMEOUT_MS) is lifted for it.
        let mut tx = self.pool().begin().await?;
        sqlx::query(BULK_TIMEOUT).execute(&mut *tx).await?;
        let (all, queued, skipped) = query
            .bind(batch.spacing.as_secs_f64() * 1000.0)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(Queued {
            queued: n(queued),
            skipped: n(skipped),
            already: n(all - queued - skipped),
        })
    }

    /// What [`Store::queue_notices`] would do with `batch`, changing nothing.
    pub async fn plan_notices(&self, batch: &Batch) -> StoreResult<Vec<Planned>> {
        // Built from this module's constant pieces only; every value is a bound parameter.
        let sql = format!(
            "WITH cand AS ({cands})
             SELECT c.number AS account, c.chat_id, $1::text AS kind,
                    CASE WHEN n.id IS NOT NULL THEN 'already'
                         ELSE coalesce(c.reason, 'queue') END AS outcome
             FROM cand c
             LEFT JOIN notices n ON n.chat_id = c.chat_id AND n.account_id = c.account_id
                                AND n.kind = $1::text AND n.key = $2::text
             WHERE $4::text IS NOT NULL AND $5::jsonb IS NOT NULL
               AND $6::timestamptz IS NOT NULL AND $9::float8 IS NOT NULL
             ORDER BY c.number, c.chat_id",
            cands = candidates(&batch.audience, true)
        );
        let query = sqlx::query_as::<_, Planned>(sqlx::AssertSqlSafe(sql))
            .bind(batch.kind.code())
            .bind(&batch.key)
            .bind(batch.kind.topic().code())
            .bind(batch.kind.template())
            .bind(&batch.extra)
            .bind(batch.start);
        let query = bind_audience!(query, &batch.audience);
        let mut tx = self.pool().begin().await?;
        sqlx::query(BULK_TIMEOUT).execute(&mut *tx).await?;
        let planned = query
            .bind(batch.spacing.as_secs_f64() * 1000.0)
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(planned)
    }

    /// Notices per kind, key and state: queued (waiting in the outbox), sent, failed
    /// (dead-lettered), skipped (with its reason).
    pub async fn notice_status(&self) -> StoreResult<Vec<StatusRow>> {
        Ok(sqlx::query_as(
            "SELECT n.kind, n.key,
                    CASE WHEN n.state = 'skipped' THEN 'skipped: ' || n.reason
                         WHEN o.delivered_at IS NOT NULL THEN 'sent'
                         WHEN o.dead_at IS NOT NULL THEN 'failed'
                         WHEN o.id IS NULL THEN 'sent'
                         ELSE 'queued' END AS state,
                    count(*) AS count, max(coalesce(o.delivered_at, n.created_at)) AS last
             FROM notices n LEFT JOIN outbox o ON o.id = n.outbox_id
             GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )
        .fetch_all(self.pool())
        .await?)
    }
}
