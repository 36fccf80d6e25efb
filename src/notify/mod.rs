//! The notices the bot sends first: which are due on a day, queued once each (the key is
//! chat, account, kind and period; see `store::notices`), at a pace and outside quiet hours.
//! `kabinet notify run` and the scheduler inside `serve` both call [`run`]; reruns queue
//! nothing twice.
//!
//! - Readings window: from its first day, and again from two days before it ends, to accounts
//!   with no reading for the month (a missed day is caught up the next day: the key is the
//!   month).
//! - Receipt ready: after the newest close, until that bill's due date.
//! - Payment due: five days before the due date, when something is owed.
//! - Пени ahead: on day 25 of lateness of a bill still unpaid, with the daily penalty from
//!   day 31.
//!
//! Payment results (`payments::credit`) do not come through here: they answer the payer's own
//! action, so they go at once, quiet hours or not, and cannot be turned off.

pub mod debts;
pub mod leader;
pub mod schedule;

use crate::billing::window::ReadingWindow;
use crate::billing::{DueSchedule, Period};
use crate::store::notices::{Audience, Batch, Kind, Planned, Queued};
use crate::store::{Store, StoreError};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use schedule::QuietHours;
use serde_json::json;

/// What the notices need to know of the company.
#[derive(Clone, Debug)]
pub struct NotifySettings {
    pub window: ReadingWindow,
    pub due: DueSchedule,
    /// The company's zone: "today" and quiet hours.
    pub zone: FixedOffset,
    pub quiet: QuietHours,
    /// How many notices a second the queue is spread at (Telegram allows 30 in all; the
    /// rest is left to the chats' own answers).
    pub per_sec: f64,
}

impl NotifySettings {
    pub fn from_settings(settings: &crate::config::Settings) -> NotifySettings {
        let day = crate::billing::DueDay::new(settings.payment_due_day)
            .unwrap_or(crate::billing::DueDay::DEFAULT);
        NotifySettings {
            window: settings.reading_window,
            due: DueSchedule::new(day),
            zone: settings.time_zone.offset(),
            quiet: QuietHours::default(),
            per_sec: f64::from(settings.telegram_max_per_second.clamp(1, 30)) * 0.8,
        }
    }
}

impl Default for NotifySettings {
    fn default() -> NotifySettings {
        NotifySettings {
            window: ReadingWindow::default(),
            due: DueSchedule::default(),
            zone: FixedOffset::east_opt(3 * 3600).expect("Moscow"),
            quiet: QuietHours::default(),
            per_sec: 24.0,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Accounting(#[from] crate::accounting::AccountingError),
    #[error("key rates: {0:?}")]
    Rates(crate::billing::RateError),
}

/// What a run did (or, dry, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub counts: Queued,
    /// A dry run's list: who would get what.
    pub planned: Vec<Planned>,
    /// A dry run's count of accounts the notice is due for but no chat is linked to.
    pub no_chat: u64,
}

impl std::fmt::Display for Report {
    /// The one line every run ends with.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "notices: {} queued, {} already sent, {} skipped",
            self.counts.queued, self.counts.already, self.counts.skipped
        )
    }
}

/// The readings-window batches due on `today`: the opening reminder from the window's first
/// day, the closing one from two days before its end (when that is later than the first day).
pub fn window_kinds(window: ReadingWindow, today: NaiveDate) -> Vec<Kind> {
    use chrono::Datelike;
    let day = today.day();
    let closing_from = window.end_day().saturating_sub(2);
    let has_closing = closing_from > window.start_day();
    if !window.contains(day) {
        Vec::new()
    } else if has_closing && day >= closing_from {
        vec![Kind::ReadingsClosing]
    } else {
        vec![Kind::ReadingsOpen]
    }
}

/// Every batch due on `today`, starting at `start` (already out of quiet hours); `dry` weighs
/// the debts of accounts without a chat too, so a dry run can list them.
pub async fn batches(
    store: &Store,
    settings: &NotifySettings,
    today: NaiveDate,
    start: DateTime<Utc>,
    dry: bool,
) -> Result<Vec<Batch>, NotifyError> {
    let spacing = schedule::spacing(settings.per_sec);
    let batch = |kind: Kind, key: String, audience: Audience, extra| Batch {
        kind,
        key,
        audience,
        extra,
        start,
        spacing,
    };
    let mut all = Vec::new();
    let period = Period::of(today);
    for kind in window_kinds(settings.window, today) {
        all.push(batch(
            kind,
            period.to_string(),
            // Any reading that counts for the month (they are all taken by the window's end):
            // a rerun for a past day reminds nobody who has sent one since.
            Audience::WithoutReading {
                period: period.first_day(),
                as_of: period.day(settings.window.end_day()),
            },
            json!({ "until": period.day(settings.window.end_day()).to_string() }),
        ));
    }
    if let Some(closed) = store.last_closed_period().await? {
        let closed = Period::of(closed);
        let due = settings.due.due_date(closed);
        // From the month's end (a replayed earlier day saw no bill) until its due date.
        if closed.next().first_day() <= today && today <= due {
            let paid_before = end_of_day(today, settings.zone);
            all.push(receipt_batch(closed, due, paid_before, start, spacing));
        }
    }
    all.extend(debts::batches(store, settings, today, start, spacing, dry).await?);
    Ok(all)
}

/// The receipt-ready batch of a closed month: what is owed counts the payments made before
/// `paid_before`.
pub fn receipt_batch(
    period: Period,
    due: NaiveDate,
    paid_before: DateTime<Utc>,
    start: DateTime<Utc>,
    spacing: std::time::Duration,
) -> Batch {
    Batch {
        kind: Kind::ReceiptReady,
        key: period.to_string(),
        audience: Audience::Charged {
            period: period.first_day(),
            paid_before,
        },
        extra: json!({ "due": due.to_string() }),
        start,
        spacing,
    }
}

/// The end of `day` in `zone` (the next midnight), as UTC.
fn end_of_day(day: NaiveDate, zone: FixedOffset) -> DateTime<Utc> {
    use chrono::TimeZone;
    let next = day.succ_opt().unwrap_or(day);
    zone.from_local_datetime(&next.and_time(chrono::NaiveTime::MIN))
        .single()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

/// Queues (or, `dry`, lists) every notice due on `today`, at `now`.
pub async fn run(
    store: &Store,
    settings: &NotifySettings,
    today: NaiveDate,
    now: DateTime<Utc>,
    dry: bool,
) -> Result<Report, NotifyError> {
    let start = settings.quiet.next_allowed(now, settings.zone);
    let batches = batches(store, settings, today, start, dry).await?;
    queue_all(store, batches, dry).await
}

/// Queues the batches one after the other, each starting where the previous one's sends end.
pub async fn queue_all(
    store: &Store,
    batches: Vec<Batch>,
    dry: bool,
) -> Result<Report, NotifyError> {
    let mut report = Report::default();
    let mut offset = 0u64;
    for mut batch in batches {
        batch.start = schedule::slot(batch.start, batch.spacing, offset);
        if dry {
            let planned = store.plan_notices(&batch).await?;
            for p in &planned {
                match p.outcome.as_str() {
                    "queue" => report.counts.queued += 1,
                    "already" => report.counts.already += 1,
                    "no chat" => report.no_chat += 1,
                    _ => report.counts.skipped += 1,
                }
            }
            report.planned.extend(planned);
        } else {
            let done = store.queue_notices(&batch).await?;
            tracing::info!(
                kind = batch.kind.code(),
                key = %batch.key,
                queued = done.queued,
                already = done.already,
                skipped = done.skipped,
                "notices queued"
            );
            offset += done.queued;
            report.counts += done;
        }
    }
    Ok(report)
}

/// The receipt-ready notices of a month just closed (`close-period` calls it).
pub async fn after_close(
    store: &Store,
    settings: &NotifySettings,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Report, NotifyError> {
    let start = settings.quiet.next_allowed(now, settings.zone);
    let due = settings.due.due_date(period);
    let batch = receipt_batch(period, due, now, start, schedule::spacing(settings.per_sec));
    queue_all(store, vec![batch], false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn the_window_opens_on_its_first_day_and_closes_two_days_before_its_end() {
        let window = ReadingWindow::default(); // 15..=25
        assert!(window_kinds(window, day(14)).is_empty());
        assert_eq!(window_kinds(window, day(15)), vec![Kind::ReadingsOpen]);
        assert_eq!(window_kinds(window, day(22)), vec![Kind::ReadingsOpen]);
        assert_eq!(window_kinds(window, day(23)), vec![Kind::ReadingsClosing]);
        assert_eq!(window_kinds(window, day(25)), vec![Kind::ReadingsClosing]);
        assert!(window_kinds(window, day(26)).is_empty());
        let short = ReadingWindow::new(20, 22).unwrap();
        assert_eq!(window_kinds(short, day(20)), vec![Kind::ReadingsOpen]);
        assert_eq!(window_kinds(short, day(22)), vec![Kind::ReadingsOpen]);
    }

    #[test]
    fn the_summary_is_one_line() {
        let report = Report {
            counts: Queued {
                queued: 3,
                already: 2,
                skipped: 1,
            },
            planned: Vec::new(),
            no_chat: 0,
        };
        assert_eq!(
            report.to_string(),
            "notices: 3 queued, 2 already sent, 1 skipped"
        );
    }
}
