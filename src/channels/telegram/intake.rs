//! Updates in: at least once, in order per chat, with an effect exactly once.
//!
//! 1. **Taken in before acknowledged.** An update is written to the inbox (Postgres, keyed by
//!    its update id) before the webhook answers 200 or the polling offset moves past it. When
//!    it cannot be written the webhook answers 503 and the offset stays, so Telegram delivers
//!    it again; the chat is told once that the service is unavailable.
//! 2. **One holder per chat.** The instance that takes an update in then drains its chat: it
//!    claims the chat's lease (a token with an expiry, renewed by a heartbeat while it works)
//!    and handles the chat's open updates one by one in update-id order, whichever instance took
//!    them in. A second instance finds the lease held and leaves the chat to the holder, which
//!    looks again after letting go. A sweeper picks up chats whose holder died.
//! 3. **Handled once, answered once.** A turn's answer is recorded with the mark «handled»,
//!    under the lease's token, before anything is sent; a redelivery or a crash after that
//!    never runs the turn again, it only sends the recorded answer if it was not sent. Replies
//!    go out after the turn's state is saved; the heartbeat keeps the lease while they do.
//!
//! A user who writes while their previous message is still being handled for a while hears
//! «подождите, обрабатываю предыдущее сообщение», once per turn.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use teloxide::types::Update;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tracing::Instrument as _;

mod poll;

use super::adapter::{Adapter, Sorted};
use super::commands::TgText;
use crate::conversation::Answer;
use crate::store::StoreError;
use crate::store::inbox::{InboxUpdate, Lease};

/// Failed turns after which an update is given up (with an apology to the chat).
const MAX_FAILURES: i32 = 3;

/// Timings of the inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntakeSettings {
    /// A lease lives this long past its last heartbeat.
    pub lease: Duration,
    /// The heartbeat's period (a third of the lease).
    pub heartbeat: Duration,
    /// A waiting user is told to wait once the chat's holder has been at it this long.
    pub tell_wait_after: Duration,
    /// The sweeper looks for stalled chats this often…
    pub sweep_every: Duration,
    /// …whose updates have waited this long with no live holder.
    pub stalled_after: Duration,
    /// A chat told the service is unavailable is not told again for this long.
    pub unavailable_quiet: Duration,
}

impl IntakeSettings {
    /// The defaults with a lease of `lease` (a heartbeat every third of it).
    pub fn with_lease(lease: Duration) -> IntakeSettings {
        IntakeSettings {
            lease,
            heartbeat: lease / 3,
            ..IntakeSettings::default()
        }
    }
}

impl Default for IntakeSettings {
    fn default() -> IntakeSettings {
        IntakeSettings {
            lease: Duration::from_secs(30),
            heartbeat: Duration::from_secs(10),
            tell_wait_after: Duration::from_secs(3),
            sweep_every: Duration::from_secs(2),
            stalled_after: Duration::from_secs(2),
            unavailable_quiet: Duration::from_secs(300),
        }
    }
}

/// Why an update could not be taken in (the caller must not acknowledge it).
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("the inbox: {0}")]
    Store(#[from] StoreError),
    #[error("the update does not serialize: {0}")]
    Json(#[from] serde_json::Error),
}

/// Takes updates in and drains chats. Cheap to clone.
#[derive(Clone)]
pub struct Intake {
    adapter: Adapter,
    settings: IntakeSettings,
    tasks: Arc<Mutex<JoinSet<()>>>,
    stop: watch::Sender<bool>,
    /// When each chat was last told the service is unavailable.
    told_down: Arc<Mutex<HashMap<i64, Instant>>>,
}

impl Intake {
    pub fn new(adapter: Adapter, settings: IntakeSettings) -> Intake {
        Intake {
            adapter,
            settings,
            tasks: Arc::new(Mutex::new(JoinSet::new())),
            stop: watch::channel(false).0,
            told_down: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// True once [`Intake::shutdown`] was asked.
    pub fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    /// Resolves when [`Intake::shutdown`] is asked.
    pub async fn stopped(&self) {
        let mut rx = self.stop.subscribe();
        let _ = rx.wait_for(|stop| *stop).await;
    }

    /// Takes one update in (its JSON as Telegram sent it) and starts draining its chat. Ok:
    /// the update may be acknowledged. The JSON is kept as it came: teloxide's types do not
    /// serialize back into it.
    pub async fn accept(&self, payload: Value) -> Result<(), IntakeError> {
        let update = parse(&payload)?;
        let chat_id = match self.adapter.sort(&update).await {
            Sorted::Done => return Ok(()),
            Sorted::Chat(chat_id) => chat_id,
        };
        let update_id = i64::from(update.id.0);
        match self
            .adapter
            .store()
            .inbox_take(update_id, chat_id, &payload)
            .await
        {
            Ok(fresh) => {
                if !fresh {
                    tracing::debug!(update_id, "a duplicate update is not taken in again");
                }
                self.spawn_drain(chat_id);
                Ok(())
            }
            Err(e) => {
                self.adapter.error("inbox");
                self.tell_down(chat_id).await;
                Err(e.into())
            }
        }
    }

    /// Tells the chat, at most once per [`IntakeSettings::unavailable_quiet`], that the
    /// service is down: its message waits in Telegram and is handled once it is back.
    async fn tell_down(&self, chat_id: i64) {
        let due = {
            let mut told = self.told_down.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            told.retain(|_, at| now.duration_since(*at) < self.settings.unavailable_quiet);
            match told.contains_key(&chat_id) {
                true => false,
                false => {
                    told.insert(chat_id, now);
                    true
                }
            }
        };
        if due {
            self.adapter.say_unavailable(chat_id).await;
        }
    }

    fn spawn_drain(&self, chat_id: i64) {
        let me = self.clone();
        let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        // Reap what has finished, so the set holds only live drains.
        while tasks.try_join_next().is_some() {}
        let span = tracing::info_span!("chat", chat_id);
        tasks.spawn(async move { me.drain(chat_id).await }.instrument(span));
    }

    /// Handles the chat's open updates in order while holding its lease; returns when none is
    /// left, when another instance holds the chat, or on a failure (the sweeper comes back).
    pub async fn drain(&self, chat_id: i64) {
        let store = self.adapter.store().clone();
        loop {
            let lease = match store.inbox_claim(chat_id, self.settings.lease).await {
                Ok(Some(lease)) => lease,
                Ok(None) => {
                    // The holder takes this update after its turn; say so if it is slow.
                    if let Ok(true) = store
                        .inbox_should_tell_wait(chat_id, self.settings.tell_wait_after)
                        .await
                    {
                        self.adapter.say(chat_id, TgText::Wait).await;
                    }
                    return;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the chat's lease was not claimed");
                    return;
                }
            };
            tracing::debug!(fence = lease.fence, "the chat is ours");
            let heartbeat = self.heartbeat(lease.clone());
            let worked = self.work(&lease).await;
            heartbeat.abort();
            // An update taken in by another instance while we held the chat found it held:
            // look once more now that it is free.
            let open = match store.inbox_release(&lease).await {
                Ok(open) => open,
                Err(e) => {
                    tracing::warn!(error = %e, "the chat's lease was not released; it will expire");
                    false
                }
            };
            if !worked || !open {
                return;
            }
        }
    }

    /// Renews the lease every heartbeat until aborted.
    fn heartbeat(&self, lease: Lease) -> tokio::task::JoinHandle<()> {
        let store = self.adapter.store().clone();
        let (every, ttl) = (self.settings.heartbeat, self.settings.lease);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                match store.inbox_renew(&lease, ttl).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(fence = lease.fence, "the chat's lease was lost");
                        return;
                    }
                    Err(e) => tracing::warn!(error = %e, "the chat's lease was not renewed"),
                }
            }
        })
    }

    /// The open updates one by one. False: stopped by a failure or a lost lease.
    async fn work(&self, lease: &Lease) -> bool {
        let store = self.adapter.store();
        loop {
            let next = match store.inbox_next(lease.chat_id).await {
                Ok(Some(next)) => next,
                Ok(None) => return true,
                Err(e) => {
                    tracing::warn!(error = %e, "the inbox was not read");
                    return false;
                }
            };
            let started = Instant::now();
            let span = tracing::info_span!("update", update_id = next.update_id);
            match self.one(lease, next).instrument(span).await {
                Ok(()) => self.adapter.handled(started.elapsed()),
                Err(why) => {
                    tracing::warn!(%why, "the chat's updates stop here for now");
                    return false;
                }
            }
        }
    }

    /// One update: its turn unless it was handled before, then its replies.
    async fn one(&self, lease: &Lease, next: InboxUpdate) -> Result<(), String> {
        let store = self.adapter.store();
        let update = parse(&next.payload).ok();
        let Some(inbound) = update.as_ref().and_then(|u| self.adapter.inbound(u)) else {
            // Taken in, yet nothing to handle (it cannot happen unless the code changed).
            tracing::error!("an update in the inbox has no event; it is dropped");
            return mark_sent(store, lease, next.update_id).await;
        };
        let answer = match next.answer.map(serde_json::from_value::<Answer>) {
            Some(Ok(answer)) => {
                tracing::info!("the update was handled before; its answer is sent now");
                answer
            }
            recorded => {
                if let Some(Err(e)) = recorded {
                    tracing::error!(error = %e, "a recorded answer does not read; handled anew");
                }
                let answer = match self.adapter.turn(&inbound).await {
                    Ok(answer) => answer,
                    Err(e) => {
                        let failures = store.inbox_failed(next.update_id).await.unwrap_or(0);
                        if failures < MAX_FAILURES {
                            return Err(format!("the engine could not run ({failures}): {e}"));
                        }
                        tracing::error!(error = %e, "the update is given up after {failures} failed turns");
                        self.adapter.apologize(&inbound).await;
                        return mark_sent(store, lease, next.update_id).await;
                    }
                };
                let json = serde_json::to_value(&answer).map_err(|e| e.to_string())?;
                match store.inbox_handled(lease, next.update_id, &json).await {
                    Ok(true) => {}
                    Ok(false) => return Err("the lease was lost during the turn".into()),
                    Err(e) => return Err(format!("the turn's answer was not recorded: {e}")),
                }
                answer
            }
        };
        self.adapter.deliver(&inbound, &answer).await;
        mark_sent(store, lease, next.update_id).await
    }

    /// Every [`IntakeSettings::sweep_every`], drains chats whose updates wait with no live
    /// holder (an instance died holding them, or Postgres was briefly down). Stops with the
    /// intake.
    pub fn spawn_sweeper(&self) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            let store = me.adapter.store().clone();
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(me.settings.sweep_every) => {}
                    _ = me.stopped() => return,
                }
                match store
                    .inbox_stalled_chats(me.settings.stalled_after, 100)
                    .await
                {
                    Ok(chats) => {
                        for chat_id in chats {
                            me.spawn_drain(chat_id);
                        }
                    }
                    Err(e) => tracing::debug!(error = %e, "the sweeper cannot read the inbox"),
                }
            }
        })
    }

    /// Asks the intake to stop taking updates in (a signal came).
    pub fn request_stop(&self) {
        self.stop.send_replace(true);
    }

    /// Stops taking updates in and waits up to `grace` for the drains in flight.
    pub async fn shutdown(&self, grace: Duration) {
        self.request_stop();
        let mut tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|e| e.into_inner()));
        let all = async { while tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(grace, all).await.is_err() {
            tracing::warn!(
                ?grace,
                "drains still running at shutdown; their chats are left to the sweeper"
            );
        }
    }
}

async fn mark_sent(
    store: &crate::store::Store,
    lease: &Lease,
    update_id: i64,
) -> Result<(), String> {
    match store.inbox_sent(lease, update_id).await {
        Ok(true) => Ok(()),
        Ok(false) => Err("the lease was lost before the update was marked answered".into()),
        Err(e) => Err(format!("the update was not marked answered: {e}")),
    }
}

/// The update in `json`. Through text: teloxide's types read some fields (a message's kind)
/// only from text, and come out as `UpdateKind::Error` from a `Value`.
pub(crate) fn parse(json: &Value) -> Result<Update, serde_json::Error> {
    serde_json::from_str(&json.to_string())
}
