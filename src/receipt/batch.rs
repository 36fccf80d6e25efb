//! Every receipt of a month into a directory, for printing: gathered from the store on the
//! async side, rendered on worker threads (one per core) and written as
//! `kvitanciya-<account>-<YYYY-MM>.pdf`.

use super::{Receipt, ReceiptError, ReceiptSettings, gather, render};
use crate::billing::Period;
use crate::store::Store;
use futures::StreamExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// What a batch did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchReport {
    pub written: usize,
    pub bytes: u64,
    pub elapsed: Duration,
}

/// Why a batch stopped.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error(transparent)]
    Receipt(#[from] ReceiptError),
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("a render thread failed: {0}")]
    Thread(String),
}

/// Writes the receipt of every account charged in `period` into `dir` on `threads` render
/// threads; `progress(done, total)` is called after each file.
pub async fn write_month(
    store: &Store,
    settings: &ReceiptSettings,
    period: Period,
    dir: &Path,
    threads: usize,
    progress: impl Fn(usize, usize) + Send + Sync + 'static,
) -> Result<BatchReport, BatchError> {
    let started = Instant::now();
    let ids = store
        .accounts_charged_in(period)
        .await
        .map_err(ReceiptError::from)?;
    let total = ids.len();
    let (tx, rx) = mpsc::sync_channel::<Receipt>(256);
    let rx = Arc::new(Mutex::new(rx));
    let done = Arc::new(AtomicUsize::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let progress = Arc::new(progress);
    let workers: Vec<_> = (0..threads.max(1))
        .map(|_| {
            let (rx, done, bytes, progress) =
                (rx.clone(), done.clone(), bytes.clone(), progress.clone());
            let dir = dir.to_owned();
            std::thread::spawn(move || -> Result<(), BatchError> {
                loop {
                    let next = rx
                        .lock()
                        .map_err(|e| BatchError::Thread(e.to_string()))?
                        .recv();
                    let Ok(receipt) = next else { return Ok(()) };
                    let pdf = render(&receipt).map_err(ReceiptError::from)?;
                    let path = dir.join(Receipt::file_name(&receipt.account, receipt.period));
                    std::fs::write(&path, &pdf)
                        .map_err(|source| BatchError::Write { path, source })?;
                    bytes.fetch_add(pdf.len() as u64, Ordering::Relaxed);
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                }
            })
        })
        .collect();
    let mut gathered = futures::stream::iter(ids)
        .map(|id| async move {
            let Some(account) = store.account(id).await? else {
                return Ok(None);
            };
            gather(store, settings, &account, period).await
        })
        .buffer_unordered(8);
    let mut failed = None;
    while let Some(next) = gathered.next().await {
        match next {
            Ok(Some(receipt)) => {
                let tx = tx.clone();
                // A full channel waits for the renderers without blocking the runtime.
                // A send fails only when every renderer stopped (an error, told below).
                let sent = tokio::task::spawn_blocking(move || tx.send(receipt).is_ok()).await;
                if !matches!(sent, Ok(true)) {
                    break;
                }
            }
            Ok(None) => {}
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    drop(tx);
    let joined = tokio::task::spawn_blocking(move || {
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .map_err(|_| BatchError::Thread("panicked".into()))?
            })
            .collect::<Result<Vec<()>, BatchError>>()
    })
    .await
    .map_err(|e| BatchError::Thread(e.to_string()))?;
    if let Some(e) = failed {
        return Err(e.into());
    }
    joined?;
    Ok(BatchReport {
        written: done.load(Ordering::Relaxed),
        bytes: bytes.load(Ordering::Relaxed),
        elapsed: started.elapsed(),
    })
}
