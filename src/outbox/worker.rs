//! The outbox worker: claims one due message at a time for a lease, renders and sends it, and
//! records the outcome under the claim's token. At least once: a message is marked delivered
//! only after its sender succeeded, and a delivered message is never claimed again. A crash
//! between sending and marking sends it once more after the lease; that is the price of never
//! losing one. A worker whose lease ran out cannot mark what another worker took over. After
//! `max_attempts` failures, or at once when it can never be delivered, a message is
//! dead-lettered: its secret erased and, for a password, the chat that asked told to recover
//! access.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument as _;

use super::senders::{Outgoing, SendError, Senders, masked_recipient};
use super::templates;
use crate::clock::Clock;
use crate::i18n::I18n;
use crate::store::outbox::{AfterFailure, OutboxMessage};
use crate::store::{Store, StoreError, chats};

/// How the worker paces itself.
#[derive(Clone, Copy, Debug)]
pub struct WorkerSettings {
    /// Messages tried in one pass (each claimed on its own, just before its send).
    pub batch: u32,
    /// How long a claimed message stays hidden from other workers; longer than a send takes
    /// (a send gives up after 30 s, plus the pacing of the limiter).
    pub lease: chrono::Duration,
    /// Failed attempts after which a message is dead-lettered (`OUTBOX_MAX_ATTEMPTS`).
    pub max_attempts: i32,
    /// The pause when nothing is due (or the database is unavailable).
    pub idle: Duration,
}

impl Default for WorkerSettings {
    fn default() -> WorkerSettings {
        WorkerSettings {
            batch: 20,
            lease: chrono::Duration::minutes(2),
            max_attempts: 10,
            idle: Duration::from_secs(2),
        }
    }
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: usize,
    /// Failed and to be tried again.
    pub failed: usize,
    /// Dead-lettered.
    pub dead: usize,
    /// Sent, but the claim had passed to another worker meanwhile (its lease ran out).
    pub lost: usize,
}

impl Pass {
    fn handled(&self) -> usize {
        self.delivered + self.failed + self.dead + self.lost
    }
}

/// What became of one message.
enum Outcome {
    Delivered,
    Failed,
    Dead,
    Lost,
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

    /// Tries up to `batch` due messages once each, claiming each just before its send (so a
    /// lease covers one send, never a queue of them).
    pub async fn run_once(&self) -> Result<Pass, StoreError> {
        let mut pass = Pass::default();
        for _ in 0..self.settings.batch {
            let now = self.clock.now();
            let Some(message) = self
                .store
                .fetch_due(now, 1, self.settings.lease)
                .await?
                .pop()
            else {
                break;
            };
            match self.deliver(&message).await? {
                Outcome::Delivered => pass.delivered += 1,
                Outcome::Failed => pass.failed += 1,
                Outcome::Dead => pass.dead += 1,
                Outcome::Lost => pass.lost += 1,
            }
        }
        Ok(pass)
    }

    /// One claimed message, sent and recorded.
    async fn deliver(&self, message: &OutboxMessage) -> Result<Outcome, StoreError> {
        let span = tracing::info_span!(
            "outbox",
            outbox_id = message.id,
            channel = %message.channel,
            template = %message.template,
            to = %masked_recipient(message.channel, &message.recipient),
        );
        self.attempt(message).instrument(span).await
    }

    async fn attempt(&self, message: &OutboxMessage) -> Result<Outcome, StoreError> {
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
                    buttons: templates::buttons(&self.i18n, message),
                };
                let sender = self.senders.of(message.channel);
                let sent = sender.send(&outgoing).await;
                if let Err(SendError::Blocked(chat)) = &sent {
                    // Notices skip the chat until it writes again (`chats::unblock`).
                    chats::block(self.store.pool(), *chat).await?;
                }
                sent.map_err(|e| (e.is_permanent(), e.to_string()))
            }
            Err(e) => Err((false, e.to_string())),
        };
        let now = self.clock.now();
        let secret = templates::carries_secret(&message.template);
        let (permanent, error) = match sent {
            Ok(()) => {
                if !self
                    .store
                    .mark_claim_delivered(message, now, secret)
                    .await?
                {
                    tracing::warn!("outbox message sent after its claim passed to another worker");
                    return Ok(Outcome::Lost);
                }
                tracing::info!("outbox message delivered");
                if let Some(m) = &self.metrics {
                    m.outbox_delivered();
                }
                return Ok(Outcome::Delivered);
            }
            Err(failure) => failure,
        };
        if let Some(m) = &self.metrics {
            m.error("outbox_send");
        }
        let notices: Vec<_> = templates::credentials_undelivered(message)
            .into_iter()
            .collect();
        let after = if permanent {
            match self
                .store
                .bury_claim(message, now, &error, secret, &notices)
                .await?
            {
                true => AfterFailure::Dead,
                false => AfterFailure::ClaimLost,
            }
        } else {
            self.store
                .mark_claim_failed(
                    message,
                    now,
                    &error,
                    self.settings.max_attempts,
                    secret,
                    &notices,
                )
                .await?
        };
        let attempts = message.attempts + 1;
        Ok(match after {
            AfterFailure::Retry(next) => {
                tracing::warn!(%error, attempts, %next, "outbox message failed");
                Outcome::Failed
            }
            AfterFailure::Dead => {
                tracing::error!(%error, attempts, told = notices.len(), "outbox message dead-lettered");
                if let Some(m) = &self.metrics {
                    m.error("outbox_dead");
                }
                Outcome::Dead
            }
            AfterFailure::ClaimLost => {
                tracing::warn!(%error, "outbox message failed after its claim passed on");
                Outcome::Lost
            }
        })
    }

    /// Runs until stopped: a full batch is followed at once by the next, else a pause.
    pub fn spawn(self) -> WorkerHandle {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            tracing::info!("outbox worker started");
            while !*stopped.borrow() {
                let busy = match self.run_once().await {
                    Ok(pass) => pass.handled() >= self.settings.batch as usize,
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
