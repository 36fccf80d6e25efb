//! JSON of the updates a test sends the bot, shaped as Telegram sends them. In a private chat
//! the chat id is the user's id. `update_id` is left out: the fake server numbers pushed
//! updates; a test posting to a webhook sets one with [`with_id`].

use serde_json::{Value, json};

/// The user behind a private chat.
pub fn user(chat_id: i64) -> Value {
    json!({"id": chat_id, "is_bot": false, "first_name": "Тест", "language_code": "ru"})
}

fn private_chat(chat_id: i64) -> Value {
    json!({"id": chat_id, "type": "private", "first_name": "Тест"})
}

fn message(chat_id: i64, message_id: i64, fields: Value) -> Value {
    let mut m = json!({
        "message_id": message_id,
        "date": 1_700_000_000,
        "chat": private_chat(chat_id),
        "from": user(chat_id),
    });
    m.as_object_mut()
        .unwrap()
        .extend(fields.as_object().unwrap().clone());
    m
}

/// A text message (commands included: `/start payload`).
pub fn text(chat_id: i64, message_id: i64, text: &str) -> Value {
    let mut fields = json!({"text": text});
    if let Some(command) = text.strip_prefix('/') {
        let len = command.find(char::is_whitespace).unwrap_or(command.len()) + 1;
        fields["entities"] = json!([{"type": "bot_command", "offset": 0, "length": len}]);
    }
    json!({"message": message(chat_id, message_id, fields)})
}

/// A shared contact; `user_id` is whose contact it is (the sender's own when equal to the
/// chat id).
pub fn contact(chat_id: i64, message_id: i64, phone: &str, user_id: Option<i64>) -> Value {
    let mut contact = json!({"phone_number": phone, "first_name": "Тест"});
    if let Some(id) = user_id {
        contact["user_id"] = json!(id);
    }
    json!({"message": message(chat_id, message_id, json!({"contact": contact}))})
}

/// A press of an inline button under the bot's message `message_id`.
pub fn callback(chat_id: i64, message_id: i64, data: &str) -> Value {
    let bot_message = json!({
        "message_id": message_id,
        "date": 1_700_000_000,
        "chat": private_chat(chat_id),
        "from": super::bot_user(),
        "text": "…",
    });
    json!({"callback_query": {
        "id": format!("cb{chat_id}x{message_id}x{}", rand::random::<u32>()),
        "from": user(chat_id),
        "message": bot_message,
        "chat_instance": format!("ci{chat_id}"),
        "data": data,
    }})
}

/// The update with its `update_id` set.
pub fn with_id(mut update: Value, update_id: i64) -> Value {
    update["update_id"] = json!(update_id);
    update
}

/// A text message in a group chat (`chat_id` negative, as Telegram numbers groups) from user
/// `user_id`.
pub fn group_text(chat_id: i64, user_id: i64, message_id: i64, text: &str) -> Value {
    json!({"message": {
        "message_id": message_id,
        "date": 1_700_000_000,
        "chat": {"id": chat_id, "type": "group", "title": "Дом 7"},
        "from": user(user_id),
        "text": text,
    }})
}
