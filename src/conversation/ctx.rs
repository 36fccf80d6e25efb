//! What every flow gets: the shared context of the process and the context of one chat.

use crate::billing::ReadingWindow;
use crate::clock::Clock;
use crate::i18n::{I18n, Lang};
use crate::sessions::SessionStore;
use crate::store::chats::{self, Link};
use crate::store::{Store, StoreError};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::sync::Arc;

/// Everything a flow may use. One per process, shared by all chats.
#[derive(Clone)]
pub struct Ctx {
    pub store: Store,
    pub settings: EngineSettings,
    pub sessions: Arc<dyn SessionStore>,
    pub i18n: Arc<I18n>,
    pub clock: Arc<dyn Clock>,
    /// Card payments; `None` where the process runs no payment endpoint («Оплатить» then
    /// says payments are unavailable).
    pub payments: Option<crate::payments::Payments>,
}

impl Ctx {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Whether `text` is `label` in any language: a reply-keyboard button sends its label.
    pub fn is_label(&self, text: &str, label: impl Into<crate::i18n::Msg>) -> bool {
        let label = label.into();
        let text = text.trim().to_lowercase();
        Lang::ALL
            .into_iter()
            .any(|lang| self.i18n.render(lang, &label).to_lowercase() == text)
    }

    /// Today in the company's time zone: billing dates are local dates.
    pub fn today(&self) -> NaiveDate {
        self.now()
            .with_timezone(&self.settings.utc_offset)
            .date_naive()
    }
}

/// The settings the dialogues depend on. The lead fills it from `config`.
#[derive(Clone, Debug)]
pub struct EngineSettings {
    /// Days of the month when readings count for the current month (Decree 354: by the 25th).
    pub reading_window: ReadingWindow,
    /// Day of the following month by which a bill is due (15 since March 2026).
    pub due_day: u32,
    /// The company's time zone, as an offset from UTC (Moscow, +03:00, by default).
    pub utc_offset: FixedOffset,
    pub links: HelpLinks,
    /// Whether an SMS (a one-time code) can reach a user: false when `serve` runs without an
    /// SMS gateway, so the bot says so instead of waiting for a code that never comes.
    pub sms_delivers: bool,
    /// How long one turn may take before it is abandoned (rolled back) and the user told the
    /// service is temporarily unavailable: a Postgres or Redis that stops answering.
    pub turn_timeout: std::time::Duration,
    /// The company (settings, never the translations): what help says of its offices, phone
    /// and payment details, and the supplier printed on receipts and in their QR code.
    pub company: crate::config::Company,
}

/// Web pages that the help flow points to.
#[derive(Clone, Debug)]
pub struct HelpLinks {
    pub guide_pdf: String,
    pub guide_video: String,
    pub privacy_policy: String,
    /// The user agreement a payer consents to.
    pub user_agreement: String,
}

impl EngineSettings {
    /// The dated due-date rule with the configured current day (see [`crate::billing::DueSchedule`]).
    pub fn due_schedule(&self) -> crate::billing::DueSchedule {
        let day = crate::billing::DueDay::new(self.due_day).unwrap_or_default();
        crate::billing::DueSchedule::new(day)
    }
}

impl Default for EngineSettings {
    fn default() -> EngineSettings {
        EngineSettings {
            reading_window: ReadingWindow::default(),
            due_day: 15,
            utc_offset: FixedOffset::east_opt(3 * 3600).expect("+03:00 is a valid offset"),
            links: HelpLinks {
                guide_pdf: "https://kabinet.example/guide.pdf".into(),
                guide_video: "https://kabinet.example/guide-video".into(),
                privacy_policy: "https://kabinet.example/privacy".into(),
                user_agreement: "https://kabinet.example/agreement".into(),
            },
            sms_delivers: true,
            turn_timeout: std::time::Duration::from_secs(20),
            company: crate::config::Company::default(),
        }
    }
}

/// The chat being served: its language and the accounts it may act for, loaded once per event.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatCtx {
    pub chat_id: i64,
    pub lang: Lang,
    /// Linked accounts, oldest link first, including links that must be renewed.
    pub links: Vec<Link>,
    /// The account the chat acts for now: one of `links` whose link is valid (made under the
    /// account's current credential epoch). A link that needs renewal is never acted on.
    pub current: Option<Link>,
    /// Set by a flow that changed the chat (its language, links or current account): the engine
    /// then loads it again before rendering; other turns skip that round trip.
    pub changed: Changed,
}

/// Whether a turn changed the chat. Shared by reference with the flows, hence atomic.
#[derive(Debug, Default)]
pub struct Changed(std::sync::atomic::AtomicBool);

impl Changed {
    pub fn get(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Clone for Changed {
    fn clone(&self) -> Changed {
        Changed(std::sync::atomic::AtomicBool::new(self.get()))
    }
}

/// Two views of a chat are equal whatever the flag says.
impl PartialEq for Changed {
    fn eq(&self, _: &Changed) -> bool {
        true
    }
}

impl ChatCtx {
    /// Loads the chat, creating its row on first contact (one query).
    pub async fn load(store: &Store, chat_id: i64) -> Result<ChatCtx, StoreError> {
        let (user, links) = chats::context(store.pool(), chat_id).await?;
        let valid = |l: &&Link| !l.needs_renewal();
        let current = user
            .current_account_id
            .and_then(|id| links.iter().filter(valid).find(|l| l.account_id == id))
            .or(links.iter().find(valid))
            .cloned();
        Ok(ChatCtx {
            chat_id,
            lang: user.language,
            links,
            current,
            changed: Changed::default(),
        })
    }

    /// Links `account` to the chat under its current credential epoch (possession was just
    /// proved) and makes it the current one.
    pub async fn link(
        &self,
        store: &Store,
        account: &crate::store::accounts::Account,
    ) -> Result<(), StoreError> {
        self.touch();
        chats::link(
            store.pool(),
            self.chat_id,
            account.id.0,
            account.credential_epoch,
        )
        .await
    }

    /// Records that the turn changed the chat (see [`ChatCtx::changed`]).
    pub fn touch(&self) {
        self.changed
            .0
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn is_linked(&self) -> bool {
        self.current.is_some()
    }

    /// Whether the chat holds a valid link to `account`.
    pub fn holds_valid_link(&self, account: &crate::billing::AccountNumber) -> bool {
        self.links
            .iter()
            .any(|l| &l.number == account && !l.needs_renewal())
    }

    /// The chat's valid link to the account with this id.
    pub fn valid_link(&self, account_id: i64) -> Option<&Link> {
        self.links
            .iter()
            .find(|l| l.account_id == account_id && !l.needs_renewal())
    }
}
