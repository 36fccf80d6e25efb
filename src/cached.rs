//! A value computed at most once per `max_age`, however many callers ask at once: for the
//! endpoints anyone on the network can hit (`/metrics`, `/healthz`) whose answer costs a
//! database round trip, so that a flood of requests never takes more than one connection.

use std::future::Future;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// The last value and when it was computed.
#[derive(Debug)]
pub struct Cached<T> {
    max_age: Duration,
    slot: Mutex<Option<(Instant, T)>>,
}

impl<T: Clone> Cached<T> {
    pub fn new(max_age: Duration) -> Cached<T> {
        Cached {
            max_age,
            slot: Mutex::new(None),
        }
    }

    /// The value computed less than `max_age` ago, else a new one from `compute` (a failure
    /// is a value like any other, kept as long). One computation runs at a time: callers that
    /// arrive meanwhile wait for it and take its result. Bound `compute` with a timeout, or
    /// they wait as long as it does.
    pub async fn get<F>(&self, compute: impl FnOnce() -> F) -> T
    where
        F: Future<Output = T>,
    {
        let mut slot = self.slot.lock().await;
        let fresh = slot.as_ref().filter(|(at, _)| at.elapsed() < self.max_age);
        if let Some((_, value)) = fresh {
            return value.clone();
        }
        let value = compute().await;
        *slot = Some((Instant::now(), value.clone()));
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn many_callers_at_once_share_one_computation_until_it_is_stale() {
        let cache = Arc::new(Cached::new(Duration::from_millis(300)));
        let runs = Arc::new(AtomicU32::new(0));
        let ask = || {
            let (cache, runs) = (cache.clone(), runs.clone());
            tokio::spawn(async move {
                cache
                    .get(|| async {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        runs.fetch_add(1, Ordering::SeqCst) + 1
                    })
                    .await
            })
        };
        let callers: Vec<_> = (0..100).map(|_| ask()).collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap(), 1);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);

        tokio::time::sleep(Duration::from_millis(350)).await;
        assert_eq!(ask().await.unwrap(), 2, "a stale value is computed again");
        assert_eq!(ask().await.unwrap(), 2);
    }
}
