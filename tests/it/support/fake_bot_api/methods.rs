//! Plausible results of the Bot API methods the bot uses, with the state they change: sent
//! messages (ids counting up from 1) can be edited, and editing one that is not there, or to
//! the same content, fails as on Telegram. Texts past 4096 characters (captions past 1024),
//! empty texts and callback data past 64 bytes are refused as Telegram refuses them.

use serde_json::{Map, Value, json};

use super::{Inner, UploadedFile, bot_user};

/// A Bot API error answer.
#[derive(Debug)]
pub struct Failure {
    pub code: u16,
    pub description: String,
    /// Sent as `parameters.retry_after` (with 429).
    pub retry_after: Option<u32>,
}

impl Failure {
    pub fn new(code: u16, description: impl Into<String>) -> Failure {
        Failure {
            code,
            description: description.into(),
            retry_after: None,
        }
    }
}

pub type Outcome = Result<Value, Failure>;

const NOT_MODIFIED: &str = "Bad Request: message is not modified: specified new message content \
     and reply markup are exactly the same as a current content and reply markup of the message";

pub fn respond(
    inner: &mut Inner,
    method: &str,
    p: &Map<String, Value>,
    files: &[UploadedFile],
) -> Outcome {
    check_limits(p)?;
    match method {
        "getMe" => {
            let mut me = bot_user();
            me.as_object_mut().unwrap().extend(
                json!({
                    "can_join_groups": false,
                    "can_read_all_group_messages": false,
                    "supports_inline_queries": false,
                    "can_connect_to_business": false,
                    "has_main_web_app": false,
                })
                .as_object()
                .unwrap()
                .clone(),
            );
            Ok(me)
        }
        "getWebhookInfo" => Ok(json!({
            "url": inner.webhook.clone().unwrap_or_default(),
            "has_custom_certificate": false,
            "pending_update_count": inner.updates.len(),
        })),
        "setWebhook" => {
            let url = p.get("url").and_then(Value::as_str).unwrap_or_default();
            inner.webhook = Some(url.to_owned()).filter(|u| !u.is_empty());
            Ok(json!(true))
        }
        "deleteWebhook" => {
            inner.webhook = None;
            if p.get("drop_pending_updates") == Some(&json!(true)) {
                inner.updates.clear();
            }
            Ok(json!(true))
        }
        "sendMessage" => {
            let text = p
                .get("text")
                .cloned()
                .ok_or_else(|| bad("message text is empty"))?;
            send(inner, p, json!({"text": text}))
        }
        "sendDocument" => {
            let file = files.iter().find(|f| f.field == "document");
            let document = json!({
                "file_id": format!("doc{}", inner.next_message_id),
                "file_unique_id": format!("udoc{}", inner.next_message_id),
                "file_name": file.and_then(|f| f.file_name.clone()),
                "file_size": file.map_or(0, |f| f.bytes.len()),
            });
            send(inner, p, with_caption(p, json!({"document": document})))
        }
        "sendPhoto" => {
            let size = files
                .iter()
                .find(|f| f.field == "photo")
                .map_or(0, |f| f.bytes.len());
            let photo = json!([{
                "file_id": format!("photo{}", inner.next_message_id),
                "file_unique_id": format!("uphoto{}", inner.next_message_id),
                "width": 640, "height": 480, "file_size": size,
            }]);
            send(inner, p, with_caption(p, json!({"photo": photo})))
        }
        "editMessageText" => edit(inner, p, p.get("text").cloned()),
        "editMessageReplyMarkup" => edit(inner, p, None),
        "deleteMessage" => {
            let key = (chat_id(p)?, message_id(p)?);
            inner
                .messages
                .remove(&key)
                .map(|_| json!(true))
                .ok_or_else(|| bad("message to delete not found"))
        }
        "sendChatAction"
        | "answerCallbackQuery"
        | "setMyCommands"
        | "deleteMyCommands"
        | "setMyDescription"
        | "setMyShortDescription"
        | "setChatMenuButton" => Ok(json!(true)),
        _ => Err(Failure::new(404, "Not Found")),
    }
}

/// Telegram's limits on what a message carries. Lengths count UTF-16 units after markup
/// (HTML tags are skipped; MarkdownV2 texts are not measured).
fn check_limits(p: &Map<String, Value>) -> Result<(), Failure> {
    let parse_mode = p.get("parse_mode").and_then(Value::as_str);
    let visible_len = |s: &str| match parse_mode {
        None => Some(s.encode_utf16().count()),
        Some("HTML") => Some(strip_tags(s).encode_utf16().count()),
        Some(_) => None,
    };
    if let Some(text) = p.get("text").and_then(Value::as_str) {
        match visible_len(text) {
            Some(0) => return Err(bad("message text is empty")),
            Some(n) if n > 4096 => return Err(bad("message is too long")),
            _ => {}
        }
    }
    if let Some(caption) = p.get("caption").and_then(Value::as_str)
        && visible_len(caption).is_some_and(|n| n > 1024)
    {
        return Err(bad("message caption is too long"));
    }
    let rows = p
        .get("reply_markup")
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(Value::as_array);
    for button in rows
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
    {
        if let Some(data) = button.get("callback_data").and_then(Value::as_str)
            && (data.is_empty() || data.len() > 64)
        {
            return Err(bad("BUTTON_DATA_INVALID"));
        }
    }
    Ok(())
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn bad(what: &str) -> Failure {
    Failure::new(400, format!("Bad Request: {what}"))
}

fn chat_id(p: &Map<String, Value>) -> Result<i64, Failure> {
    match p.get("chat_id") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| bad("chat not found"))
}

fn message_id(p: &Map<String, Value>) -> Result<i64, Failure> {
    p.get("message_id")
        .and_then(Value::as_i64)
        .ok_or_else(|| bad("message_id is required"))
}

fn with_caption(p: &Map<String, Value>, mut content: Value) -> Value {
    if let Some(caption) = p.get("caption") {
        content["caption"] = caption.clone();
    }
    content
}

/// Only inline keyboards come back in a `Message`; reply keyboards stay on the client.
fn inline_markup(p: &Map<String, Value>) -> Option<Value> {
    p.get("reply_markup")
        .filter(|m| m.get("inline_keyboard").is_some())
        .cloned()
}

fn send(inner: &mut Inner, p: &Map<String, Value>, content: Value) -> Outcome {
    let chat = chat_id(p)?;
    inner.next_message_id += 1;
    let id = inner.next_message_id;
    let mut message = json!({
        "message_id": id,
        "date": 1_700_000_000 + id,
        "chat": {"id": chat, "type": "private", "first_name": "Тест"},
        "from": bot_user(),
    });
    message
        .as_object_mut()
        .unwrap()
        .extend(content.as_object().unwrap().clone());
    if let Some(markup) = inline_markup(p) {
        message["reply_markup"] = markup;
    }
    inner.messages.insert((chat, id), message.clone());
    Ok(message)
}

fn edit(inner: &mut Inner, p: &Map<String, Value>, text: Option<Value>) -> Outcome {
    if p.contains_key("inline_message_id") {
        return Ok(json!(true));
    }
    let key = (chat_id(p)?, message_id(p)?);
    let message = inner
        .messages
        .get_mut(&key)
        .ok_or_else(|| bad("message to edit not found"))?;
    let mut edited = message.clone();
    if let Some(text) = text {
        edited["text"] = text;
    }
    match inline_markup(p) {
        Some(markup) => edited["reply_markup"] = markup,
        None => {
            edited.as_object_mut().unwrap().remove("reply_markup");
        }
    }
    edited.as_object_mut().unwrap().remove("edit_date");
    let unchanged = {
        let mut before = message.clone();
        before.as_object_mut().unwrap().remove("edit_date");
        before == edited
    };
    if unchanged {
        return Err(Failure::new(400, NOT_MODIFIED));
    }
    edited["edit_date"] = json!(1_700_000_000 + inner.next_message_id);
    *message = edited.clone();
    Ok(edited)
}
