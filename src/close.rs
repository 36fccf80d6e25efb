//! Period close over the whole store: every account's charges of a month, in batches.
//!
//! Each batch is loaded with a few set-based queries ([`Store::load_close_batch`]), closed by the
//! pure billing core on a blocking thread ([`close_batch`]) and written in one transaction
//! ([`Store::write_close_batch`], charge lines streamed by `COPY`). Batches load ahead while the
//! current one is computed, and batches are written (two at once) while the next ones are
//! computed, so the database (loads and writes on separate connections) and this process work
//! at the same time. An account that cannot be closed (a missing tariff, a meter without readings,
//! …) is reported and left open; the others close. Closed accounts are marked per period, so
//! closing a period again only closes what was left open.

mod assemble;
mod opening;
mod pipeline;
mod zones;

pub use assemble::{AccountError, AccountFailure, BatchOutcome, Globals, close_batch};

use crate::billing::{DueSchedule, Period, RateError, ReadingWindow};
use crate::store::close::{BatchScope, CloseRun};
use crate::store::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use pipeline::{Batches, Opening};
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Months of readings (and estimated lines) loaded before the closed period: twelve monthly
/// volumes for the average, and the reading that starts the oldest of them.
pub const HISTORY_MONTHS: i32 = 13;
/// Months of charges and payments the ledger replays one by one; older ones open it as a balance
/// (see [`opening`]).
pub const LEDGER_MONTHS: i32 = 6;
/// Batch writes a run keeps going at once (each on a connection of its own).
const WRITES_IN_FLIGHT: usize = 2;

/// How to close.
#[derive(Clone, Debug)]
pub struct CloseSettings {
    /// When bills fall due (the due day is a setting).
    pub due: DueSchedule,
    /// The time zone whose calendar day a payment falls on.
    pub time_zone: String,
    /// Accounts per batch (and per transaction).
    pub batch_size: usize,
    /// The current month closes only after its reading window …
    pub window: ReadingWindow,
    /// … unless an operator forces it (`close-period --force`).
    pub force: bool,
}

impl Default for CloseSettings {
    fn default() -> CloseSettings {
        CloseSettings {
            due: DueSchedule::default(),
            time_zone: "Europe/Moscow".to_owned(),
            batch_size: 10_000,
            window: ReadingWindow::default(),
            force: false,
        }
    }
}

/// Where a run stands, reported after every batch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CloseProgress {
    pub period: Period,
    /// Accounts not yet closed when the run started.
    pub total: u64,
    pub closed: u64,
    pub failed: u64,
    pub elapsed: Duration,
}

impl CloseProgress {
    /// Accounts handled so far, closed or failed.
    pub fn done(&self) -> u64 {
        self.closed + self.failed
    }

    /// Accounts handled per second so far.
    pub fn per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.done() as f64 / secs
        } else {
            0.0
        }
    }
}

/// What a run did.
#[derive(Debug, PartialEq)]
pub struct CloseReport {
    pub period: Period,
    pub closed: u64,
    /// Charge lines written.
    pub lines: u64,
    /// The accounts left open, by id.
    pub failures: Vec<AccountFailure>,
    pub elapsed: Duration,
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum CloseRunError {
    #[error("the period {period} has not begun yet (today is {today}): it cannot be closed")]
    Future { period: Period, today: NaiveDate },
    #[error(
        "the reading window of {period} is still open (today is {today}, it ends on day \
         {window_end}): readings for it may still come; close it after that day, or force it"
    )]
    WindowOpen {
        period: Period,
        today: NaiveDate,
        window_end: u32,
    },
    #[error("another run is closing {period} now: wait for it to finish, then run again")]
    Running { period: Period },
    #[error("the key rates are unusable: {0}")]
    KeyRates(#[from] RateError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a close task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Closes `period` for every account not yet closed for it. Refuses a period after `today`'s,
/// and today's own before its reading window has ended unless forced.
/// Opens a few connections of its own for the run (see [`Store::for_close`]).
pub async fn close_period(
    store: &Store,
    period: Period,
    today: NaiveDate,
    settings: &CloseSettings,
    mut progress: impl FnMut(&CloseProgress),
) -> Result<CloseReport, CloseRunError> {
    refuse_open(period, today, settings)?;
    let own = store.for_close().await?;
    let report = close_period_on(&own, period, today, settings, &mut progress).await;
    own.disconnect().await;
    report
}

/// [`close_period`] on a store set up by [`Store::for_close`] (or any other). One run per
/// period at a time: a second one, from this process or another, is refused while the first
/// holds the period's lock.
pub async fn close_period_on(
    store: &Store,
    period: Period,
    today: NaiveDate,
    settings: &CloseSettings,
    progress: impl FnMut(&CloseProgress),
) -> Result<CloseReport, CloseRunError> {
    refuse_open(period, today, settings)?;
    let Some(lock) = store.try_lock_close(period).await? else {
        return Err(CloseRunError::Running { period });
    };
    let started_at = chrono::Utc::now();
    let report = run_locked(store, period, settings, progress).await?;
    store
        .record_close_run(&CloseRun {
            period,
            started_at,
            closed: report.closed,
            failed: report.failures.len() as u64,
            lines: report.lines,
            forced: settings.force && period == Period::of(today),
        })
        .await?;
    lock.release().await?;
    Ok(report)
}

/// The run itself, under the period's lock.
async fn run_locked(
    store: &Store,
    period: Period,
    settings: &CloseSettings,
    mut progress: impl FnMut(&CloseProgress),
) -> Result<CloseReport, CloseRunError> {
    let started = Instant::now();
    let globals = Arc::new(Globals::new(
        store.close_globals().await?,
        settings.due.clone(),
    )?);
    let scope = Arc::new(BatchScope {
        period,
        history_from: period.plus(-HISTORY_MONTHS),
        ledger_from: period.plus(-LEDGER_MONTHS),
        time_zone: settings.time_zone.clone(),
    });
    let closed = store.closed_accounts(period).await?;
    let mut state = CloseProgress {
        period,
        total: store.count_accounts_to_close(&closed).await?,
        closed: 0,
        failed: 0,
        elapsed: Duration::ZERO,
    };
    let mut report = CloseReport {
        period,
        closed: 0,
        lines: 0,
        failures: Vec::new(),
        elapsed: Duration::ZERO,
    };
    if state.total == 0 {
        // Nothing left to close: skip the opening-payments pass (a whole-table scan).
        report.elapsed = started.elapsed();
        return Ok(report);
    }
    let mut opening = Opening::start(store, &scope);
    let mut batches = Batches::start(store, &scope, settings.batch_size.max(1), closed);
    // Batches are written while the next ones are computed, a few at once on their own
    // connections: a write spends much of its time waiting on the server's log, not computing.
    let mut writing: VecDeque<Writing> = VecDeque::with_capacity(WRITES_IN_FLIGHT);
    while let Some(mut batch) = batches.next().await? {
        batch.opening_payments = opening.get().await?.of(&batch.accounts);
        let (s, g) = (scope.clone(), globals.clone());
        let outcome = tokio::task::spawn_blocking(move || close_batch(&batch, &s, &g)).await?;
        if writing.len() == WRITES_IN_FLIGHT
            && let Some(done) = writing.pop_front()
        {
            done.finish(&mut report, &mut state, started, &mut progress)
                .await?;
        }
        writing.push_back(Writing::start(store, period, outcome));
    }
    for done in writing {
        done.finish(&mut report, &mut state, started, &mut progress)
            .await?;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// A batch's write, running on its own task, with what the report takes from the batch.
struct Writing {
    task: tokio::task::JoinHandle<Result<u64, crate::store::StoreError>>,
    closed: u64,
    failures: Vec<AccountFailure>,
}

impl Writing {
    fn start(store: &Store, period: Period, outcome: BatchOutcome) -> Writing {
        let store = store.clone();
        let BatchOutcome {
            lines,
            closed,
            failures,
        } = outcome;
        let count = closed.len() as u64;
        let task =
            tokio::spawn(async move { store.write_close_batch(period, &lines, &closed).await });
        Writing {
            task,
            closed: count,
            failures,
        }
    }

    /// Waits for the write, then counts the batch in.
    async fn finish(
        self,
        report: &mut CloseReport,
        state: &mut CloseProgress,
        started: Instant,
        progress: &mut impl FnMut(&CloseProgress),
    ) -> Result<(), CloseRunError> {
        report.lines += self.task.await??;
        report.closed += self.closed;
        state.closed = report.closed;
        state.failed += self.failures.len() as u64;
        report.failures.extend(self.failures);
        state.elapsed = started.elapsed();
        progress(state);
        Ok(())
    }
}

/// Closes the periods `from..=to` in order (a month's penalties need the earlier months'
/// charges). Refuses, before closing anything, when `to` may not be closed yet (see
/// [`close_period`]).
pub async fn close_through(
    store: &Store,
    from: Period,
    to: Period,
    today: NaiveDate,
    settings: &CloseSettings,
    mut progress: impl FnMut(&CloseProgress),
) -> Result<Vec<CloseReport>, CloseRunError> {
    refuse_open(to, today, settings)?;
    let own = store.for_close().await?;
    let mut reports = Vec::new();
    let mut period = from;
    while period <= to {
        match close_period_on(&own, period, today, settings, &mut progress).await {
            Ok(report) => reports.push(report),
            Err(e) => {
                own.disconnect().await;
                return Err(e);
            }
        }
        period = period.next();
    }
    own.disconnect().await;
    Ok(reports)
}

/// A month closes once no reading for it can still come: a past month always, the current
/// one after its reading window ends (or when forced), a future one never.
fn refuse_open(
    period: Period,
    today: NaiveDate,
    settings: &CloseSettings,
) -> Result<(), CloseRunError> {
    let current = Period::of(today);
    if period > current {
        return Err(CloseRunError::Future { period, today });
    }
    let window_end = settings.window.end_day();
    if period == current && today.day() <= window_end && !settings.force {
        return Err(CloseRunError::WindowOpen {
            period,
            today,
            window_end,
        });
    }
    Ok(())
}
