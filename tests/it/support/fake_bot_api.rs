//! A fake Telegram Bot API server for tests that drive the real teloxide client.
//!
//! It listens on 127.0.0.1 (a free port), answers `/bot<token>/<method>` (JSON or multipart),
//! records every call with its parsed parameters and uploaded files, serves the updates a test
//! pushes through `getUpdates` (offset semantics, long polls cut to half a second), and can
//! answer the next calls with 429 and a `retry_after`. Methods: getMe, getUpdates,
//! getWebhookInfo, setWebhook, deleteWebhook, sendMessage, sendDocument, sendPhoto,
//! editMessageText, editMessageReplyMarkup, deleteMessage, sendChatAction,
//! answerCallbackQuery, setMyCommands, deleteMyCommands, setMyDescription,
//! setMyShortDescription, setChatMenuButton; anything else gets 404.

mod methods;
mod multipart;
pub mod updates;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value, json};
use teloxide::Bot;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use methods::{Failure, Outcome};

/// The token of [`FakeBotApi::bot`]; the server accepts any.
pub const TOKEN: &str = "123:abc";
/// The bot's username in getMe and in messages it sends.
pub const BOT_USERNAME: &str = "kabinet_test_bot";
const LONG_POLL_CAP: Duration = Duration::from_millis(500);

/// One request the bot made.
#[derive(Clone, Debug)]
pub struct Call {
    pub method: String,
    /// JSON body, or multipart text fields (see `multipart::field_value`).
    pub params: Map<String, Value>,
    pub files: Vec<UploadedFile>,
    /// 200, or the error code answered (429 when rate limited).
    pub status: u16,
    /// When the call arrived.
    pub at: std::time::Instant,
}

impl Call {
    pub fn str(&self, param: &str) -> Option<&str> {
        self.params.get(param).and_then(Value::as_str)
    }

    pub fn i64(&self, param: &str) -> Option<i64> {
        match self.params.get(param)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }
}

/// A file part of a multipart call, under the parameter it was attached to (`document`).
#[derive(Clone, Debug)]
pub struct UploadedFile {
    pub field: String,
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

struct RateLimit {
    method: Option<String>,
    remaining: u32,
    retry_after: u32,
}

#[derive(Default)]
struct Inner {
    calls: Vec<Call>,
    updates: VecDeque<Value>,
    next_update_id: i64,
    next_message_id: i64,
    /// Messages the bot sent, by (chat id, message id), as they are after edits.
    messages: HashMap<(i64, i64), Value>,
    rate_limits: VecDeque<RateLimit>,
    webhook: Option<String>,
    /// Chats that blocked the bot: every send to them gets 403.
    blocked: std::collections::HashSet<i64>,
}

#[derive(Default)]
struct Shared {
    inner: Mutex<Inner>,
    pushed: Notify,
    called: Notify,
}

/// A running fake server; it stops when dropped.
pub struct FakeBotApi {
    shared: Arc<Shared>,
    url: reqwest::Url,
    server: JoinHandle<()>,
}

impl Drop for FakeBotApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The bot as a `User` (getMe adds the bot-only fields).
fn bot_user() -> Value {
    json!({"id": 123, "is_bot": true, "first_name": "Kabinet", "username": BOT_USERNAME})
}

impl FakeBotApi {
    pub async fn start() -> FakeBotApi {
        let shared = Arc::new(Shared::default());
        shared.inner.lock().unwrap().next_update_id = 100;
        let app = Router::new()
            .route("/{bot}/{method}", post(handle).get(handle))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeBotApi {
            shared,
            url: url.parse().unwrap(),
            server,
        }
    }

    /// The base URL for `Bot::set_api_url`.
    pub fn url(&self) -> reqwest::Url {
        self.url.clone()
    }

    /// A real teloxide client pointed at this server.
    pub fn bot(&self) -> Bot {
        Bot::new(TOKEN).set_api_url(self.url())
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap()
    }

    /// Queues an update for getUpdates, numbering it unless it has an `update_id`.
    pub fn push_update(&self, mut update: Value) -> i64 {
        let id = {
            let mut inner = self.lock();
            let id = match update.get("update_id").and_then(Value::as_i64) {
                Some(id) => id,
                None => {
                    inner.next_update_id += 1;
                    update["update_id"] = json!(inner.next_update_id);
                    inner.next_update_id
                }
            };
            inner.updates.push_back(update);
            id
        };
        self.shared.pushed.notify_waiters();
        id
    }

    /// Updates pushed and not yet confirmed by a later getUpdates offset.
    pub fn pending_updates(&self) -> usize {
        self.lock().updates.len()
    }

    /// Answers the next `times` calls of `method` (of every method but getUpdates when `None`)
    /// with 429 and `retry_after` seconds.
    pub fn rate_limit(&self, method: Option<&str>, times: u32, retry_after: u32) {
        self.lock().rate_limits.push_back(RateLimit {
            method: method.map(str::to_owned),
            remaining: times,
            retry_after,
        });
    }

    /// From now on, answers every send to `chat_id` with 403 "bot was blocked by the user".
    pub fn block(&self, chat_id: i64) {
        self.lock().blocked.insert(chat_id);
    }

    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    pub fn calls_to(&self, method: &str) -> Vec<Call> {
        self.lock()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .cloned()
            .collect()
    }

    /// The successful calls of `method` once there are `count`, or a panic after `timeout`.
    pub async fn wait_for(&self, method: &str, count: usize, timeout: Duration) -> Vec<Call> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let called = self.shared.called.notified();
            let done: Vec<Call> = self
                .calls_to(method)
                .into_iter()
                .filter(|c| c.status == 200)
                .collect();
            if done.len() >= count {
                return done;
            }
            if tokio::time::timeout_at(deadline, called).await.is_err() {
                panic!(
                    "{count} × {method} expected within {timeout:?}; calls: {:#?}",
                    self.calls()
                );
            }
        }
    }

    /// A message the bot sent, as it stands after edits.
    pub fn message(&self, chat_id: i64, message_id: i64) -> Option<Value> {
        self.lock().messages.get(&(chat_id, message_id)).cloned()
    }

    /// The URL of the last setWebhook not undone by deleteWebhook.
    pub fn webhook(&self) -> Option<String> {
        self.lock().webhook.clone()
    }
}

/// Posts an update to a webhook endpoint as Telegram does, with the secret header if given.
pub async fn deliver_to_webhook(url: &str, secret: Option<&str>, update: &Value) -> StatusCode {
    let mut request = reqwest::Client::new().post(url).json(update);
    if let Some(secret) = secret {
        request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
    }
    let status = request.send().await.expect("the webhook answers").status();
    StatusCode::from_u16(status.as_u16()).unwrap()
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    Path((bot, method)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // teloxide names methods as its payload types ("SendMessage"); Telegram ignores case.
    let mut method = method;
    if let Some(first) = method.get(..1) {
        method = first.to_ascii_lowercase() + &method[1..];
    }
    if !bot.starts_with("bot") {
        return reply(Err(Failure::new(404, "Not Found")));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let parsed = if content_type.starts_with("multipart/form-data") {
        multipart::parse(content_type, &body)
    } else if body.is_empty() {
        Ok((Map::new(), Vec::new()))
    } else {
        serde_json::from_slice(&body)
            .map(|params| (params, Vec::new()))
            .map_err(|e| e.to_string())
    };
    let (params, files) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => return reply(Err(Failure::new(400, format!("Bad Request: {e}")))),
    };
    let outcome = if method == "getUpdates" {
        match take_rate_limit(&shared, &method) {
            Some(limited) => limited,
            None => get_updates(&shared, &params).await,
        }
    } else {
        take_rate_limit(&shared, &method).unwrap_or_else(|| {
            let mut inner = shared.inner.lock().unwrap();
            let chat = params.get("chat_id").and_then(|v| match v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.parse().ok(),
                _ => None,
            });
            match chat {
                Some(chat) if method.starts_with("send") && inner.blocked.contains(&chat) => {
                    Err(Failure::new(403, "Forbidden: bot was blocked by the user"))
                }
                _ => methods::respond(&mut inner, &method, &params, &files),
            }
        })
    };
    let status = outcome.as_ref().map_or_else(|f| f.code, |_| 200);
    shared.inner.lock().unwrap().calls.push(Call {
        method,
        params,
        files,
        status,
        at: std::time::Instant::now(),
    });
    shared.called.notify_waiters();
    reply(outcome)
}

fn take_rate_limit(shared: &Shared, method: &str) -> Option<Outcome> {
    let mut inner = shared.inner.lock().unwrap();
    let applies = |l: &RateLimit| match &l.method {
        Some(m) => m == method,
        None => method != "getUpdates",
    };
    let i = inner.rate_limits.iter().position(applies)?;
    let limit = &mut inner.rate_limits[i];
    limit.remaining -= 1;
    let retry_after = limit.retry_after;
    if limit.remaining == 0 {
        inner.rate_limits.remove(i);
    }
    Some(Err(Failure {
        code: 429,
        description: format!("Too Many Requests: retry after {retry_after}"),
        retry_after: Some(retry_after),
    }))
}

/// Confirms the updates below `offset` (a negative offset keeps only the last `-offset`),
/// then returns those left, waiting up to the (capped) timeout for one to arrive.
async fn get_updates(shared: &Shared, p: &Map<String, Value>) -> Outcome {
    let offset = p.get("offset").and_then(Value::as_i64).unwrap_or(0);
    let limit = p
        .get("limit")
        .and_then(Value::as_u64)
        .unwrap_or(100)
        .clamp(1, 100) as usize;
    let timeout = Duration::from_secs(p.get("timeout").and_then(Value::as_u64).unwrap_or(0));
    let deadline = tokio::time::Instant::now() + timeout.min(LONG_POLL_CAP);
    loop {
        let pushed = shared.pushed.notified();
        {
            let mut inner = shared.inner.lock().unwrap();
            let updates = &mut inner.updates;
            let id = |u: &Value| u["update_id"].as_i64().unwrap_or(0);
            if offset < 0 {
                let keep = updates.len().min(offset.unsigned_abs() as usize);
                updates.drain(..updates.len() - keep);
            } else {
                updates.retain(|u| id(u) >= offset);
            }
            if !updates.is_empty() || timeout.is_zero() {
                return Ok(Value::Array(updates.iter().take(limit).cloned().collect()));
            }
        }
        if tokio::time::timeout_at(deadline, pushed).await.is_err() {
            return Ok(json!([]));
        }
    }
}

fn reply(outcome: Outcome) -> Response {
    match outcome {
        Ok(result) => axum::Json(json!({"ok": true, "result": result})).into_response(),
        Err(failure) => {
            let mut body = json!({
                "ok": false,
                "error_code": failure.code,
                "description": failure.description,
            });
            if let Some(seconds) = failure.retry_after {
                body["parameters"] = json!({"retry_after": seconds});
            }
            let status = StatusCode::from_u16(failure.code).unwrap_or(StatusCode::BAD_REQUEST);
            (status, axum::Json(body)).into_response()
        }
    }
}
