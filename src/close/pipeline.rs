//! The background reads of a run: batches loaded ahead of their use, and the opening payments.

use super::CloseRunError;
use crate::store::close::{BatchScope, CloseBatch, ClosedAccounts, OpeningPayments};
use crate::store::{Store, StoreError};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Batches loaded before their turn. More would only hold memory: past the first ones the
/// writes keep pace with the loads.
const AHEAD: usize = 3;

/// The batches of a run, loaded one after the other by a background task; dropping this stops it.
pub(super) struct Batches {
    rx: mpsc::Receiver<Result<CloseBatch, StoreError>>,
    task: JoinHandle<()>,
}

impl Batches {
    pub(super) fn start(
        store: &Store,
        scope: &Arc<BatchScope>,
        size: usize,
        closed: ClosedAccounts,
    ) -> Batches {
        let (tx, rx) = mpsc::channel(AHEAD);
        let (store, scope) = (store.clone(), scope.clone());
        let task = tokio::spawn(async move {
            let mut after = 0;
            loop {
                let batch = store.load_close_batch(&scope, after, size, &closed).await;
                let next = batch.as_ref().ok().and_then(|b| b.last_id);
                // A batch of accounts all closed already is not sent.
                let skip = batch.as_ref().is_ok_and(|b| b.accounts.is_empty());
                if !skip && tx.send(batch).await.is_err() {
                    break;
                }
                match next {
                    Some(last) => after = last,
                    None => break,
                }
            }
        });
        Batches { rx, task }
    }

    /// The next batch; `None` when every account has been loaded.
    pub(super) async fn next(&mut self) -> Result<Option<CloseBatch>, CloseRunError> {
        Ok(self.rx.recv().await.transpose()?)
    }
}

impl Drop for Batches {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The opening payments, read once per run while the first batches load.
pub(super) enum Opening {
    Loading(JoinHandle<Result<OpeningPayments, StoreError>>),
    Ready(OpeningPayments),
}

impl Opening {
    pub(super) fn start(store: &Store, scope: &Arc<BatchScope>) -> Opening {
        let (store, scope) = (store.clone(), scope.clone());
        Opening::Loading(tokio::spawn(async move {
            store.load_opening_payments(&scope).await
        }))
    }

    pub(super) async fn get(&mut self) -> Result<&OpeningPayments, CloseRunError> {
        if let Opening::Loading(task) = self {
            *self = Opening::Ready(task.await??);
        }
        match self {
            Opening::Ready(opening) => Ok(opening),
            Opening::Loading(_) => unreachable!("just finished"),
        }
    }
}

impl Drop for Opening {
    fn drop(&mut self) {
        if let Opening::Loading(task) = self {
            task.abort();
        }
    }
}
