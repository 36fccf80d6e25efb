//! One Telegram update through the engine and back: the event, the engine's turn, and its
//! replies sent (or the pressed message edited in place). No flow logic; taking updates in,
//! their order and their dedup are [`super::intake`]'s.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::{ChatAction, InputFile, MessageId, ParseMode, Update};

/// What an update needs, once sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sorted {
    /// Answered already (nothing for the engine).
    Done,
    /// A turn of this private chat.
    Chat(i64),
}
use teloxide::{ApiError, RequestError};

mod aside;

use super::deeplink::LinkKey;
use super::inbound::{self, Inbound};
use super::limiter::Limiter;
use super::render::{self, Text};
use crate::conversation::{Answer, AttachmentKind, Engine, Reply};
use crate::metrics::Metrics;

/// The client the adapter talks through; the pace is the [`Limiter`]'s, 429s are waited out
/// by [`retrying`].
pub type TgBot = Bot;

/// A turn slower than this gets a «typing…» indicator.
const TYPING_AFTER: Duration = Duration::from_millis(400);
/// How many 429 answers a request waits out before giving up.
const MAX_RETRIES: u32 = 5;

/// The client for `token`, on `api_url` (a Bot API server's base URL) when given.
pub fn bot(token: &str, api_url: Option<reqwest::Url>) -> TgBot {
    let bot = Bot::new(token);
    match api_url {
        Some(url) => bot.set_api_url(url),
        None => bot,
    }
}

/// 429 answers waited out since the start, for `/metrics`.
pub static RETRY_AFTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The state several instances share through Redis.
#[derive(Clone)]
pub struct Shared {
    /// Telegram's rate limits, counted for every instance together.
    pub limiter: Arc<Limiter>,
}

impl Shared {
    /// The limiter under `prefix` (one per bot) on `conn`.
    pub fn new(conn: redis::aio::ConnectionManager, prefix: &str) -> Shared {
        Shared {
            limiter: Arc::new(Limiter::redis(conn, prefix)),
        }
    }
}

/// Hands updates to the engine and renders its replies. Cheap to clone.
#[derive(Clone)]
pub struct Adapter {
    bot: TgBot,
    engine: Arc<Engine>,
    link_key: Option<LinkKey>,
    limiter: Arc<Limiter>,
    metrics: Option<Arc<Metrics>>,
}

impl Adapter {
    /// Without `shared` the adapter keeps Telegram's limits for this process alone.
    pub fn new(
        bot: TgBot,
        engine: Arc<Engine>,
        link_key: Option<LinkKey>,
        shared: Option<Shared>,
    ) -> Adapter {
        let limiter = shared
            .as_ref()
            .map_or_else(|| Arc::new(Limiter::local()), |s| s.limiter.clone());
        Adapter {
            bot,
            engine,
            link_key,
            limiter,
            metrics: None,
        }
    }

    /// Sends under `limiter` instead of the default one.
    pub fn with_limiter(mut self, limiter: Arc<Limiter>) -> Adapter {
        self.limiter = limiter;
        self
    }

    /// The limiter this adapter sends under (the outbox's Telegram sender shares it).
    pub fn limiter(&self) -> Arc<Limiter> {
        self.limiter.clone()
    }

    /// Counts updates, their latency and errors in `metrics`.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Adapter {
        self.metrics = Some(metrics);
        self
    }

    /// Counts an error of `kind` in the metrics.
    pub fn error(&self, kind: &'static str) {
        if let Some(metrics) = &self.metrics {
            metrics.error(kind);
        }
    }

    /// What an update needs: most go to their chat's turn (taken in durably first, see
    /// [`super::intake`]); a button press without data and group chats are answered at once.
    pub async fn sort(&self, update: &Update) -> Sorted {
        let now = self.engine.ctx().clock.now();
        let Some(inbound) = inbound::inbound(update, now, self.link_key.as_ref()) else {
            if let Some(query) = inbound::callback_to_answer(update) {
                self.answer(query).await;
            }
            return Sorted::Done;
        };
        if !inbound.private {
            self.in_group(&inbound).await;
            return Sorted::Done;
        }
        Sorted::Chat(inbound.chat_id)
    }

    /// The update as the engine's event, now (a deep link's expiry is checked now).
    pub fn inbound(&self, update: &Update) -> Option<Inbound> {
        let now = self.engine.ctx().clock.now();
        inbound::inbound(update, now, self.link_key.as_ref())
    }

    /// One turn of the engine; the pressed button's spinner stops meanwhile. Err: the engine
    /// could not run and the update had no effect.
    pub async fn turn(
        &self,
        inbound: &Inbound,
    ) -> Result<Answer, crate::conversation::EngineError> {
        let chat = ChatId(inbound.chat_id);
        // The button's spinner stops at once, while the turn runs: the answer to the query
        // and the turn go side by side, neither waits for the other.
        let spinner = async {
            if let Some(pressed) = &inbound.pressed {
                self.answer(pressed.query.clone()).await;
            }
        };
        let turn = async {
            let engine = self.engine.answer(inbound.chat_id, inbound.event.clone());
            tokio::pin!(engine);
            tokio::select! {
                done = &mut engine => done,
                _ = tokio::time::sleep(TYPING_AFTER) => {
                    self.action(chat, ChatAction::Typing).await;
                    engine.await
                }
            }
        };
        let ((), answer) = tokio::join!(spinner, turn);
        if answer.is_err() {
            self.error("engine");
        }
        answer
    }

    /// Shows a turn's answer: the user's secret deleted, the pressed message edited in place
    /// (or its buttons dropped), the other replies sent.
    pub async fn deliver(&self, inbound: &Inbound, answer: &Answer) {
        let chat = ChatId(inbound.chat_id);
        if answer.forget_input
            && let Some(message) = inbound.message
        {
            self.delete(chat, message).await;
        }
        let mut replies = answer.replies.iter();
        if let Some(first) = replies.next() {
            let pressed_message = inbound
                .pressed
                .as_ref()
                .and_then(|p| p.message)
                .filter(|_| !answer.keep_pressed);
            let edited = match (pressed_message, render::editable(first)) {
                (Some(message), Some(text)) => self.edit(chat, message, &text).await,
                // The answer is a new message; the pressed one keeps its text for the
                // history but loses its buttons, so they cannot be pressed again.
                (Some(message), None) => {
                    self.drop_buttons(chat, message).await;
                    false
                }
                _ => false,
            };
            if !edited {
                self.send(chat, first).await;
            }
        }
        for reply in replies {
            self.send(chat, reply).await;
        }
    }

    /// The engine's store (the inbox lives there).
    pub fn store(&self) -> &crate::store::Store {
        &self.engine.ctx().store
    }

    /// Counts one update handled in `took`.
    pub fn handled(&self, took: Duration) {
        if let Some(metrics) = &self.metrics {
            metrics.update_handled(took);
        }
    }

    /// Replaces the pressed message. False: it could not be edited (too old, gone), so the
    /// reply is sent as a new message instead.
    async fn edit(&self, chat: ChatId, message: MessageId, text: &Text) -> bool {
        self.limiter.wait(chat.0).await;
        let result = retrying(|| {
            let mut request = self
                .bot
                .edit_message_text(chat, message, text.html.clone())
                .parse_mode(ParseMode::Html);
            if let Some(teloxide::types::ReplyMarkup::InlineKeyboard(kb)) = &text.markup {
                request = request.reply_markup(kb.clone());
            }
            request.send()
        })
        .await;
        match result {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => true,
            Err(e) => {
                tracing::info!(error = %e, "the pressed message was not edited; sending anew");
                false
            }
        }
    }

    async fn drop_buttons(&self, chat: ChatId, message: MessageId) {
        self.limiter.wait(chat.0).await;
        let result = retrying(|| self.bot.edit_message_reply_markup(chat, message).send()).await;
        match result {
            Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {}
            Err(e) => tracing::debug!(error = %e, "the pressed message keeps its buttons"),
        }
    }

    async fn send(&self, chat: ChatId, reply: &Reply) {
        let out = render::render(reply);
        for text in &out.texts {
            self.limiter.wait(chat.0).await;
            let result = retrying(|| {
                let mut request = self
                    .bot
                    .send_message(chat, text.html.clone())
                    .parse_mode(ParseMode::Html);
                if let Some(markup) = &text.markup {
                    request = request.reply_markup(markup.clone());
                }
                request.send()
            })
            .await;
            if let Err(e) = result {
                tracing::error!(error = %e, "a message was not sent");
                self.error("send");
            }
        }
        let Some(file) = out.file else { return };
        self.limiter.wait(chat.0).await;
        let name = file.attachment.file_name.clone();
        let input = || InputFile::memory(file.attachment.bytes.clone()).file_name(name.clone());
        let result = match file.attachment.kind {
            AttachmentKind::Pdf | AttachmentKind::Csv => {
                self.action(chat, ChatAction::UploadDocument).await;
                retrying(|| {
                    let mut request = self.bot.send_document(chat, input());
                    if let Some(caption) = &file.caption {
                        request = request.caption(caption.clone()).parse_mode(ParseMode::Html);
                    }
                    if let Some(markup) = &file.markup {
                        request = request.reply_markup(markup.clone());
                    }
                    request.send()
                })
                .await
            }
            AttachmentKind::Png => {
                self.action(chat, ChatAction::UploadPhoto).await;
                retrying(|| {
                    let mut request = self.bot.send_photo(chat, input());
                    if let Some(caption) = &file.caption {
                        request = request.caption(caption.clone()).parse_mode(ParseMode::Html);
                    }
                    if let Some(markup) = &file.markup {
                        request = request.reply_markup(markup.clone());
                    }
                    request.send()
                })
                .await
            }
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "a file was not sent");
            self.error("send_file");
        }
    }

    /// A group, supergroup or channel: told once (in both languages) that the bot works in
    /// private chats only, then ignored.
    async fn in_group(&self, inbound: &Inbound) {
        if let Some(pressed) = &inbound.pressed {
            self.answer(pressed.query.clone()).await;
        }
        let store = &self.engine.ctx().store;
        match crate::store::chats::first_time_in_group(store.pool(), inbound.chat_id).await {
            Ok(true) => {
                let text = self.engine.ctx().i18n.render(
                    crate::i18n::Lang::Ru,
                    &super::commands::TgText::PrivateOnly.into(),
                );
                let chat = ChatId(inbound.chat_id);
                self.limiter.wait(chat.0).await;
                if let Err(e) = retrying(|| self.bot.send_message(chat, text.clone()).send()).await
                {
                    tracing::warn!(error = %e, "the group was not told the bot works in private");
                }
            }
            Ok(false) => tracing::debug!("a group chat's update is ignored"),
            Err(e) => tracing::warn!(error = %e, "a group chat's update is ignored"),
        }
    }

    /// Deletes the user's message that held a secret. Telegram lets a bot delete messages of
    /// a private chat for 48 hours; failing that, the reply has told the user to delete it.
    async fn delete(&self, chat: ChatId, message: MessageId) {
        self.limiter.wait(chat.0).await;
        if let Err(e) = retrying(|| self.bot.delete_message(chat, message).send()).await {
            tracing::warn!(error = %e, "a message with a password was not deleted");
            self.error("delete");
        }
    }

    async fn answer(&self, query: teloxide::types::CallbackQueryId) {
        if let Err(e) = retrying(|| self.bot.answer_callback_query(query.clone()).send()).await {
            tracing::warn!(error = %e, "a callback query was not answered");
        }
    }

    async fn action(&self, chat: ChatId, action: ChatAction) {
        if let Err(e) = retrying(|| self.bot.send_chat_action(chat, action).send()).await {
            tracing::debug!(error = %e, "a chat action was not sent");
        }
    }
}

/// Sends a request again after each 429, as long as Telegram asks (`retry_after`), for every
/// method; each 429 is counted in [`RETRY_AFTER`].
pub async fn retrying<T, F, Fut>(mut request: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        match request().await {
            Err(RequestError::RetryAfter(after)) if attempt < MAX_RETRIES => {
                attempt += 1;
                RETRY_AFTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tracing::info!(seconds = after.seconds(), "rate limited; retrying");
                tokio::time::sleep(after.duration()).await;
            }
            result => return result,
        }
    }
}
