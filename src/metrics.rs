//! Prometheus metrics in the text exposition format, hand-rolled: a few atomic counters, one
//! fixed-bucket histogram and the outbox depth, read from the database at most once per
//! [`OUTBOX_DEPTH_MAX_AGE`] however often `/metrics` is scraped.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::cached::Cached;
use crate::store::Store;

/// How long a read of the outbox depth is shown before `/metrics` reads it again.
pub const OUTBOX_DEPTH_MAX_AGE: Duration = Duration::from_secs(5);

/// How long one read of the outbox depth may take before the scrape goes without it.
const OUTBOX_DEPTH_TIMEOUT: Duration = Duration::from_secs(2);

/// Upper bounds (seconds) of the update latency buckets.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's counters. Shared behind an `Arc`; every method is lock-free but
/// [`Metrics::error`], whose map of kinds is small.
#[derive(Debug, Default)]
pub struct Metrics {
    updates: AtomicU64,
    /// Per bucket of [`BUCKETS`], not cumulative; rendering sums them.
    buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_sum_micros: AtomicU64,
    errors: Mutex<BTreeMap<&'static str, u64>>,
    outbox_delivered: AtomicU64,
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        Arc::new(Metrics::default())
    }

    /// One update handled (whatever its outcome), in `took`.
    pub fn update_handled(&self, took: Duration) {
        self.updates.fetch_add(1, Ordering::Relaxed);
        let seconds = took.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|&le| seconds <= le) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.latency_sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// One error of `kind` (a fixed label such as `engine`, `send`, `outbox_send`).
    pub fn error(&self, kind: &'static str) {
        let mut errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        *errors.entry(kind).or_default() += 1;
    }

    /// One outbox message delivered.
    pub fn outbox_delivered(&self) {
        self.outbox_delivered.fetch_add(1, Ordering::Relaxed);
    }

    /// The exposition text; `outbox_depth` is left out when it could not be read.
    pub fn render(&self, outbox_depth: Option<i64>) -> String {
        let mut out = String::new();
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        metric(
            &mut out,
            "kabinet_updates_handled_total",
            "counter",
            "Telegram updates handled.",
        );
        let _ = writeln!(out, "kabinet_updates_handled_total {}", load(&self.updates));

        let name = "kabinet_update_duration_seconds";
        metric(&mut out, name, "histogram", "Time to handle one update.");
        let mut cumulative = 0;
        for (le, count) in BUCKETS.iter().zip(&self.buckets) {
            cumulative += load(count);
            let _ = writeln!(out, "{name}_bucket{{le=\"{le}\"}} {cumulative}");
        }
        let count = load(&self.latency_count);
        let sum = load(&self.latency_sum_micros) as f64 / 1e6;
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {sum}");
        let _ = writeln!(out, "{name}_count {count}");

        metric(
            &mut out,
            "kabinet_errors_total",
            "counter",
            "Errors by kind.",
        );
        let errors = self
            .errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        for (kind, n) in errors {
            let _ = writeln!(out, "kabinet_errors_total{{kind=\"{kind}\"}} {n}");
        }

        let name = "kabinet_telegram_retry_after_total";
        metric(
            &mut out,
            name,
            "counter",
            "429 answers from Telegram waited out (retry_after honoured).",
        );
        let retries = crate::channels::telegram::adapter::RETRY_AFTER.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name} {retries}");

        let name = "kabinet_outbox_delivered_total";
        metric(&mut out, name, "counter", "Outbox messages delivered.");
        let _ = writeln!(out, "{name} {}", load(&self.outbox_delivered));
        if let Some(depth) = outbox_depth {
            let name = "kabinet_outbox_depth";
            metric(
                &mut out,
                name,
                "gauge",
                "Outbox messages waiting for delivery.",
            );
            let _ = writeln!(out, "{name} {depth}");
        }
        out
    }
}

fn metric(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// `GET /metrics` over `metrics`, with the outbox depth from `store` read at most once per
/// [`OUTBOX_DEPTH_MAX_AGE`] (one query at a time, bounded by a timeout), so that however often
/// it is scraped it takes at most one connection from the bot's database pool.
pub fn router(metrics: Arc<Metrics>, store: Store) -> Router {
    let depth = Arc::new(Cached::new(OUTBOX_DEPTH_MAX_AGE));
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(Scrape {
            metrics,
            store,
            depth,
        })
}

#[derive(Clone)]
struct Scrape {
    metrics: Arc<Metrics>,
    store: Store,
    depth: Arc<Cached<Option<i64>>>,
}

async fn scrape(State(scrape): State<Scrape>) -> impl IntoResponse {
    let store = &scrape.store;
    let depth = scrape
        .depth
        .get(|| async {
            match tokio::time::timeout(OUTBOX_DEPTH_TIMEOUT, store.outbox_depth()).await {
                Ok(Ok(depth)) => Some(depth),
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "outbox depth unavailable for /metrics");
                    None
                }
                Err(_) => {
                    tracing::warn!("outbox depth unavailable for /metrics: timed out");
                    None
                }
            }
        })
        .await;
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        scrape.metrics.render(depth),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_is_cumulative_and_counts_everything() {
        let m = Metrics::default();
        m.update_handled(Duration::from_millis(3));
        m.update_handled(Duration::from_millis(30));
        m.update_handled(Duration::from_secs(60));
        m.error("engine");
        m.error("engine");
        let text = m.render(Some(4));
        assert!(text.contains("kabinet_updates_handled_total 3\n"), "{text}");
        assert!(text.contains("kabinet_update_duration_seconds_bucket{le=\"0.005\"} 1\n"));
        assert!(text.contains("kabinet_update_duration_seconds_bucket{le=\"0.05\"} 2\n"));
        assert!(text.contains("kabinet_update_duration_seconds_bucket{le=\"10\"} 2\n"));
        assert!(text.contains("kabinet_update_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("kabinet_update_duration_seconds_count 3\n"));
        assert!(text.contains("kabinet_errors_total{kind=\"engine\"} 2\n"));
        assert!(text.contains("kabinet_outbox_depth 4\n"));
    }
}
