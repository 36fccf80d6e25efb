//! The fake Bot API answers the real teloxide client as Telegram would.

use std::time::{Duration, Instant};

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId, Seconds, Update, UpdateKind,
};
use teloxide::{ApiError, types::ChatAction};

use crate::support::fake_bot_api::{BOT_USERNAME, FakeBotApi, updates};

const CHAT: ChatId = ChatId(4242);

fn keyboard(data: &str) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Да", data)]])
}

#[tokio::test]
async fn a_message_sent_by_the_real_client_is_recorded() {
    let fake = FakeBotApi::start().await;
    let bot = fake.bot();
    assert_eq!(bot.get_me().await.unwrap().username(), BOT_USERNAME);

    let sent = bot
        .send_message(CHAT, "Привет, <b>мир</b>")
        .parse_mode(teloxide::types::ParseMode::Html)
        .reply_markup(keyboard("yes"))
        .await
        .unwrap();
    let second = bot.send_message(CHAT, "ещё").await.unwrap();
    assert_eq!((sent.id, second.id), (MessageId(1), MessageId(2)));
    assert_eq!(sent.text(), Some("Привет, <b>мир</b>"));
    assert!(sent.reply_markup().is_some());

    let call = &fake.calls_to("sendMessage")[0];
    assert_eq!(call.i64("chat_id"), Some(CHAT.0));
    assert_eq!(call.str("parse_mode"), Some("HTML"));
    assert_eq!(
        call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "yes"
    );
}

#[tokio::test]
async fn a_document_from_memory_keeps_its_file_name() {
    let fake = FakeBotApi::start().await;
    let pdf = b"%PDF-1.4 receipt".to_vec();
    let sent = fake
        .bot()
        .send_document(
            CHAT,
            InputFile::memory(pdf.clone()).file_name("Квитанция 2025-01.pdf"),
        )
        .caption("Ваш счёт")
        .await
        .unwrap();
    assert_eq!(
        sent.document().unwrap().file_name.as_deref(),
        Some("Квитанция 2025-01.pdf")
    );

    let call = &fake.calls_to("sendDocument")[0];
    assert_eq!(call.i64("chat_id"), Some(CHAT.0));
    assert_eq!(call.str("caption"), Some("Ваш счёт"));
    let file = &call.files[0];
    assert_eq!(file.field, "document");
    assert_eq!(file.file_name.as_deref(), Some("Квитанция 2025-01.pdf"));
    assert_eq!(file.bytes, pdf);
}

#[tokio::test]
async fn a_document_without_a_file_name_arrives_nameless() {
    let fake = FakeBotApi::start().await;
    fake.bot()
        .send_document(CHAT, InputFile::memory(b"x".to_vec()))
        .await
        .unwrap();
    assert_eq!(fake.calls_to("sendDocument")[0].files[0].file_name, None);
}

#[tokio::test]
async fn photos_and_chat_actions_are_recorded() {
    let fake = FakeBotApi::start().await;
    let bot = fake.bot();
    bot.send_chat_action(CHAT, ChatAction::UploadDocument)
        .await
        .unwrap();
    let png = vec![0x89, b'P', b'N', b'G'];
    let sent = bot
        .send_photo(CHAT, InputFile::memory(png.clone()).file_name("chart.png"))
        .await
        .unwrap();
    assert!(sent.photo().is_some());
    assert_eq!(
        fake.calls_to("sendChatAction")[0].str("action"),
        Some("upload_document")
    );
    assert_eq!(fake.calls_to("sendPhoto")[0].files[0].bytes, png);
}

#[tokio::test]
async fn edits_change_the_message_in_place_and_repeated_edits_fail_as_on_telegram() {
    let fake = FakeBotApi::start().await;
    let bot = fake.bot();
    let sent = bot
        .send_message(CHAT, "Выберите счётчик")
        .reply_markup(keyboard("m1"))
        .await
        .unwrap();
    bot.edit_message_text(CHAT, sent.id, "Счётчик 1: введите показание")
        .await
        .unwrap();
    let now = fake.message(CHAT.0, sent.id.0.into()).unwrap();
    assert_eq!(now["text"], "Счётчик 1: введите показание");
    assert!(
        now.get("reply_markup").is_none(),
        "an edit without markup drops it"
    );

    let again = bot
        .edit_message_text(CHAT, sent.id, "Счётчик 1: введите показание")
        .await;
    assert!(matches!(
        again,
        Err(RequestError::Api(ApiError::MessageNotModified))
    ));
    let missing = bot
        .edit_message_reply_markup(CHAT, MessageId(999))
        .reply_markup(keyboard("x"))
        .await;
    assert!(matches!(
        missing,
        Err(RequestError::Api(ApiError::MessageToEditNotFound))
    ));
}

#[tokio::test]
async fn telegrams_limits_on_texts_and_callback_data_are_enforced() {
    let fake = FakeBotApi::start().await;
    let bot = fake.bot();
    let too_long = bot.send_message(CHAT, "я".repeat(4097)).await;
    assert!(matches!(
        too_long,
        Err(RequestError::Api(ApiError::MessageIsTooLong))
    ));
    // Markup does not count towards the limit.
    bot.send_message(CHAT, format!("<b>{}</b>", "я".repeat(4096)))
        .parse_mode(teloxide::types::ParseMode::Html)
        .await
        .unwrap();
    let fat_button = bot
        .send_message(CHAT, "x")
        .reply_markup(keyboard(&"d".repeat(65)))
        .await;
    assert!(matches!(
        fat_button,
        Err(RequestError::Api(ApiError::ButtonDataInvalid))
    ));
    bot.send_message(CHAT, "x")
        .reply_markup(keyboard(&"d".repeat(64)))
        .await
        .unwrap();
}

#[tokio::test]
async fn commands_descriptions_and_webhooks_are_recorded() {
    let fake = FakeBotApi::start().await;
    let bot = fake.bot();
    let commands = [teloxide::types::BotCommand::new(
        "readings",
        "Передать показания",
    )];
    bot.set_my_commands(commands)
        .language_code("ru")
        .await
        .unwrap();
    bot.set_my_description()
        .description("Личный кабинет")
        .await
        .unwrap();
    bot.set_webhook("https://example.test/tg".parse().unwrap())
        .secret_token("s3cret-0123456789abcdef0123456789".to_owned())
        .await
        .unwrap();
    assert_eq!(fake.webhook().as_deref(), Some("https://example.test/tg"));
    bot.delete_webhook().await.unwrap();
    assert_eq!(fake.webhook(), None);

    let set = &fake.calls_to("setMyCommands")[0];
    assert_eq!(set.str("language_code"), Some("ru"));
    assert_eq!(set.params["commands"][0]["command"], "readings");
    assert_eq!(
        fake.calls_to("setWebhook")[0].str("secret_token"),
        Some("s3cret-0123456789abcdef0123456789")
    );
}

#[tokio::test]
async fn without_throttle_a_429_surfaces_as_retry_after() {
    let fake = FakeBotApi::start().await;
    fake.rate_limit(None, 1, 3);
    let result = fake.bot().send_message(CHAT, "x").await;
    assert!(matches!(
        result,
        Err(RequestError::RetryAfter(s)) if s == Seconds::from_seconds(3)
    ));
    assert_eq!(fake.calls_to("sendMessage")[0].status, 429);
}

#[tokio::test]
async fn retrying_waits_out_429s_on_sends_and_edits_alike() {
    use kabinet::channels::telegram::adapter::retrying;
    let fake = FakeBotApi::start().await;
    let bot = fake.bot();
    fake.rate_limit(Some("sendMessage"), 2, 1);
    let start = Instant::now();
    let sent = retrying(|| bot.send_message(CHAT, "дошло").send())
        .await
        .unwrap();
    assert_eq!(sent.text(), Some("дошло"));
    assert!(
        start.elapsed() >= Duration::from_secs(2),
        "retry_after honoured"
    );
    let statuses: Vec<u16> = fake
        .calls_to("sendMessage")
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses, [429, 429, 200]);

    fake.rate_limit(Some("editMessageText"), 1, 1);
    retrying(|| bot.edit_message_text(CHAT, sent.id, "b").send())
        .await
        .unwrap();
    assert_eq!(fake.calls_to("editMessageText").len(), 2);
}

#[test]
fn the_update_builders_parse_as_teloxide_updates() {
    // As the client does: from text (teloxide's `Update` does not deserialise from a `Value`).
    let parse = |json| {
        let text = serde_json::to_string(&updates::with_id(json, 7)).unwrap();
        serde_json::from_str::<Update>(&text).unwrap()
    };
    let text = parse(updates::text(CHAT.0, 1, "/start abc"));
    let UpdateKind::Message(m) = text.kind else {
        panic!("a message: {:?}", text.kind)
    };
    assert_eq!((m.chat.id, m.text()), (CHAT, Some("/start abc")));

    let contact = parse(updates::contact(CHAT.0, 2, "+79001234567", Some(CHAT.0)));
    let UpdateKind::Message(m) = contact.kind else {
        panic!("a message")
    };
    let c = m.contact().unwrap();
    assert_eq!(c.phone_number, "+79001234567");
    assert_eq!(c.user_id, Some(UserId(CHAT.0 as u64)));

    let callback = parse(updates::callback(CHAT.0, 3, "rd:1"));
    let UpdateKind::CallbackQuery(q) = callback.kind else {
        panic!("a callback query")
    };
    assert_eq!(q.data.as_deref(), Some("rd:1"));
    assert_eq!(q.message.unwrap().id(), MessageId(3));
}
