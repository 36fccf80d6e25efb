//! The scheduler inside `serve`: every instance tries to lead (a Postgres advisory lock), the
//! leader runs the day's notices every few minutes. Runs are idempotent, so the lock only
//! saves work; a leader that dies loses the lock with its connection and another takes over.

use super::{NotifySettings, run};
use crate::clock::Clock;
use crate::store::Store;
use crate::store::notices::Leadership;
use std::sync::Arc;
use std::time::Duration;

/// Spawns the scheduler; it runs until the task is aborted.
pub fn spawn(
    store: Store,
    settings: NotifySettings,
    clock: Arc<dyn Clock>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut lead: Option<Leadership> = None;
        loop {
            tick(&store, &settings, clock.as_ref(), &mut lead).await;
            tokio::time::sleep(every).await;
        }
    })
}

/// One turn: keep or take the lead, and when leading, run the day's notices. True when this
/// instance ran them.
pub async fn tick(
    store: &Store,
    settings: &NotifySettings,
    clock: &dyn Clock,
    lead: &mut Option<Leadership>,
) -> bool {
    if let Some(held) = lead.as_mut()
        && !held.alive().await
    {
        *lead = None;
    }
    if lead.is_none() {
        match store.try_lead_notices().await {
            Ok(taken) => *lead = taken,
            Err(error) => {
                tracing::warn!(%error, "notices: could not try to lead");
                return false;
            }
        }
    }
    if lead.is_none() {
        return false;
    }
    let now = clock.now();
    let today = now.with_timezone(&settings.zone).date_naive();
    match run(store, settings, today, now, false).await {
        Ok(report) => {
            if report.counts.queued > 0 {
                tracing::info!(%report, "notices run");
            }
        }
        Err(error) => tracing::warn!(%error, "notices run failed"),
    }
    true
}
