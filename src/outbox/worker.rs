//! The outbox worker: claims due messages for a lease, renders and sends each, and records the
//! outcome. At least once: a message is marked delivered only after its sender succeeded, and
//! a delivered message is never claimed again. A crash between sending and marking sends it
//! once more after the lease; that is the price of never losing one.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument as _;

use super::senders::{Outgoing, Senders, masked_recipient};
use super::templates;
use crate::clock::Clock;
use crate::i18n::I18n;
use crate::store::outbox::OutboxMessage;
use crate::store::{Store, StoreError};

/// How the worker paces itself.
#[derive(Clone, Copy, Debug)]
pub struct WorkerSettings {
    /// Messages claimed at once.
    pub batch: u32,
    /// How long a claimed message stays hidden from other workers; longer than a send takes.
    pub lease: chrono::Duration,
    /// The pause when nothing is due (or the database is unavailable).
    pub idle: Duration,
}

impl Default for WorkerSettings {
    fn default() -> WorkerSettings {
        WorkerSettings {
            batch: 20,
            lease: chrono::Duration::minutes(5),
            idle: Duration::from_secs(2),
        }
    }
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: usize,
    pub failed: usize,
}

/// Delivers the outbox. Cheap to clone.
#[derive(Clone)]
pub struct Worker {
    store: Store,
    i18n: Arc<I18n>,
    senders: Senders,
    clock: Arc<dyn Clock>,
    settings: WorkerSettings,
    metrics: Option<Arc<crate::metrics::Metrics>>,
}

impl Worker {
    pub fn new(store: Store, i18n: Arc<I18n>, senders: Senders, clock: Arc<dyn Clock>) -> Worker {
        Worker {
            store,
            i18n,
            senders,
            clock,
            settings: WorkerSettings::default(),
            metrics: None,
        }
    }

    pub fn with_settings(mut self, settings: WorkerSettings) -> Worker {
        self.settings = settings;
        self
    }

    /// Counts deliveries and failures in `metrics`.
    pub fn with_metrics(mut self, metrics: Arc<crate::metrics::Metrics>) -> Worker {
        self.metrics = Some(metrics);
        self
    }

    /// Claims one batch of due messages and tries each once.
    pub async fn run_once(&self) -> Result<Pass, StoreError> {
        let now = self.clock.now();
        let due = self
            .store
            .fetch_due(now, self.settings.batch, self.settings.lease)
            .await?;
        let mut pass = Pass::default();
        for message in due {
            if self.deliver(&message).await? {
                pass.delivered += 1;
            } else {
                pass.failed += 1;
            }
        }
        Ok(pass)
    }

    /// One message: true when delivered, false when it failed and waits for a later attempt.
    async fn deliver(&self, message: &OutboxMessage) -> Result<bool, StoreError> {
        let span = tracing::info_span!(
            "outbox",
            outbox_id = message.id,
            channel = %message.channel,
            template = %message.template,
            to = %masked_recipient(message.channel, &message.recipient),
        );
        self.attempt(message).instrument(span).await
    }

    async fn attempt(&self, message: &OutboxMessage) -> Result<bool, StoreError> {
        let rendered = templates::render(&self.i18n, message)
            .and_then(|text| Ok((templates::render_subject(&self.i18n, message)?, text)));
        let sent = match rendered {
            Ok((subject, text)) => {
                let outgoing = Outgoing {
                    id: message.id,
                    channel: message.channel,
                    recipient: message.recipient.clone(),
                    template: message.template.clone(),
                    subject,
                    text,
                };
                let sender = self.senders.of(message.channel);
                sender.send(&outgoing).await.map_err(|e| e.to_string())
            }
            Err(e) => Err(e.to_string()),
        };
        let now = self.clock.now();
        match sent {
            Ok(()) => {
                if templates::carries_secret(&message.template) {
                    self.store
                        .mark_delivered_erasing_payload(message.id, now)
                        .await?;
                } else {
                    self.store.mark_delivered(message.id, now).await?;
                }
                tracing::info!("outbox message delivered");
                if let Some(m) = &self.metrics {
                    m.outbox_delivered();
                }
                Ok(true)
            }
            Err(error) => {
                let next = self.store.mark_failed(message.id, now, &error).await?;
                let attempts = message.attempts + 1;
                tracing::warn!(%error, attempts, %next, "outbox message failed");
                if let Some(m) = &self.metrics {
                    m.error("outbox_send");
                }
                Ok(false)
            }
        }
    }

    /// Runs until stopped: a full batch is followed at once by the next, else a pause.
    pub fn spawn(self) -> WorkerHandle {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            tracing::info!("outbox worker started");
            while !*stopped.borrow() {
                let busy = match self.run_once().await {
                    Ok(pass) => pass.delivered + pass.failed >= self.settings.batch as usize,
                    Err(e) => {
                        tracing::error!(error = %e, "outbox unavailable");
                        false
                    }
                };
                if !busy {
                    tokio::select! {
                        _ = tokio::time::sleep(self.settings.idle) => {}
                        _ = stopped.changed() => {}
                    }
                }
            }
            tracing::info!("outbox worker stopped");
        });
        WorkerHandle { stop, task }
    }
}

/// A running worker.
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    /// Stops after the batch in hand (nothing is dropped mid-send) and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the outbox worker panicked");
        }
    }
}
