//! The bot end to end: the real teloxide client and dispatcher, the adapter and the engine on
//! the demo data, against the fake Bot API.

use chrono::Duration as Days;
use kabinet::channels::telegram::deeplink::{self, LinkAction};
use kabinet::store::chats;

use super::live::{Live, key};
use crate::support::fake_bot_api::updates;
use crate::support::{fixed_now, fixtures};

const CHAT: i64 = 5001;

async fn link_ivanov(live: &Live) {
    let store = &live.harness.db.store;
    let id = fixtures::account_id(store, "7701000000017").await.unwrap();
    chats::ensure(store.pool(), CHAT).await.unwrap();
    chats::link(store.pool(), CHAT, id, 0).await.unwrap();
}

#[tokio::test]
async fn a_registration_through_contact_sharing_links_the_account() {
    let live = Live::start(1, false).await;
    live.send(updates::text(CHAT, 1, "/start")).await;
    assert!(live.sent_texts(CHAT)[0].starts_with("Здравствуйте!"));
    let (menu, _) = live.button(CHAT, "Регистрация").unwrap();
    live.press(CHAT, "Регистрация").await;
    // A step through choices edits the pressed message in place.
    let edit = &live.fake.calls_to("editMessageText")[0];
    assert_eq!(edit.i64("message_id"), Some(menu));
    let now = live.fake.message(CHAT, menu).unwrap();
    assert!(
        now["text"]
            .as_str()
            .unwrap()
            .starts_with("Регистрация в боте")
    );
    live.send(updates::text(CHAT, 2, "7701000000017")).await;
    live.send(updates::text(CHAT, 3, "Иванов Иван Иванович"))
        .await;

    let asked = live.fake.calls_to("sendMessage").pop().unwrap();
    let button = &asked.params["reply_markup"]["keyboard"][0][0];
    assert_eq!(button["text"], "Поделиться номером");
    assert_eq!(button["request_contact"], true);

    live.send(updates::contact(CHAT, 4, "+79031234517", Some(CHAT)))
        .await;
    live.press(CHAT, "Пропустить").await;

    let links = chats::links(live.harness.db.store.pool(), CHAT)
        .await
        .unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].number.as_str(), "7701000000017");
    let texts = live.fake.calls();
    assert!(
        texts.iter().any(|c| c
            .str("text")
            .is_some_and(|t| t.contains("7701000000017 подключён к чату"))),
        "{texts:#?}"
    );
    assert_eq!(live.fake.calls_to("answerCallbackQuery").len(), 2);
    live.stop().await;
}

#[tokio::test]
async fn someone_elses_contact_does_not_register_a_phone() {
    let live = Live::start(1, false).await;
    live.send(updates::text(CHAT, 1, "/register 7701000000017"))
        .await;
    live.send(updates::text(CHAT, 2, "Иванов Иван Иванович"))
        .await;
    let before = live.sent_texts(CHAT).len();
    live.send(updates::contact(CHAT, 3, "+79031234517", Some(777)))
        .await;
    let after = live.sent_texts(CHAT);
    assert!(after.len() > before);
    assert!(
        !after.iter().any(|t| t.contains("Номер для SMS")),
        "{after:#?}"
    );
    live.stop().await;
}

#[tokio::test]
async fn a_reading_is_submitted_through_inline_buttons() {
    let live = Live::start(1, false).await;
    link_ivanov(&live).await;
    live.send(updates::text(CHAT, 1, "/readings")).await;
    live.send(updates::text(CHAT, 2, "5952")).await;
    let (message_id, _) = live.button(CHAT, "Внести показания").unwrap();
    let sent_before = live.sent_texts(CHAT).len();
    live.press(CHAT, "Внести показания").await;

    // One turn, one message: the question is edited into the answer, whose keyboard is the
    // menu; nothing new is sent.
    let edited = live.fake.calls_to("editMessageText");
    assert_eq!(edited.len(), 1, "{edited:#?}");
    assert_eq!(edited[0].i64("message_id"), Some(message_id));
    let answer = live.fake.message(CHAT, message_id).unwrap();
    let text = answer["text"].as_str().unwrap();
    assert!(
        text.starts_with("Спасибо. Ваши показания занесены"),
        "{answer}"
    );
    assert!(
        answer["reply_markup"]
            .to_string()
            .contains("Передать показания"),
        "the menu is the answer's keyboard: {answer}"
    );
    assert_eq!(live.sent_texts(CHAT).len(), sent_before);
    assert_eq!(live.fake.calls_to("answerCallbackQuery").len(), 1);
    live.stop().await;
}

#[tokio::test]
async fn a_stale_button_is_answered_politely() {
    let live = Live::start(1, false).await;
    live.send(updates::callback(CHAT, 999, "rd:confirm")).await;
    assert_eq!(live.fake.calls_to("answerCallbackQuery").len(), 1);
    assert!(live.sent_texts(CHAT)[0].starts_with("Эта кнопка устарела"));
    live.stop().await;
}

#[tokio::test]
async fn forged_and_expired_deep_links_start_normally_with_a_note() {
    let live = Live::start(1, false).await;
    let expired = deeplink::encode(
        LinkAction::Readings,
        None,
        fixed_now() - Days::minutes(1),
        &key(),
    );
    let valid = deeplink::encode(LinkAction::Help, None, fixed_now() + Days::days(7), &key());
    let mut forged = valid.clone().into_bytes();
    forged[0] = if forged[0] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();

    for (i, payload) in [expired, forged].iter().enumerate() {
        let before = live.sent_texts(CHAT).len();
        live.send(updates::text(CHAT, i as i64, &format!("/start {payload}")))
            .await;
        let said = &live.sent_texts(CHAT)[before..];
        assert_eq!(said.len(), 1, "one turn, one message: {said:#?}");
        assert!(said[0].starts_with("Здравствуйте!"), "{said:#?}");
        assert!(
            said[0].contains("Ссылка, по которой вы пришли"),
            "{said:#?}"
        );
    }

    let before = live.sent_texts(CHAT).len();
    live.send(updates::text(CHAT, 9, &format!("/start {valid}")))
        .await;
    let said = &live.sent_texts(CHAT)[before..];
    assert!(said[0].contains("Помощь"), "{said:#?}");
    live.stop().await;
}

#[tokio::test]
async fn a_429_on_send_message_is_waited_out_and_nothing_is_lost() {
    let live = Live::start(1, false).await;
    live.fake.rate_limit(Some("sendMessage"), 3, 1);
    live.send(updates::text(CHAT, 1, "/start")).await;
    let statuses: Vec<u16> = live
        .fake
        .calls_to("sendMessage")
        .iter()
        .map(|c| c.status)
        .collect();
    assert_eq!(statuses.iter().filter(|&&s| s == 429).count(), 3);
    let texts = live.sent_texts(CHAT);
    assert_eq!(texts.len(), 1, "one turn, one message: {texts:#?}");
    assert!(texts[0].starts_with("Здравствуйте!"));
    live.stop().await;
}

#[tokio::test]
async fn a_group_chat_is_told_once_that_the_bot_works_in_private() {
    let live = Live::start(1, false).await;
    let group = -100_200_300;
    live.send(updates::group_text(group, 11, 1, "/start")).await;
    live.send(updates::group_text(group, 12, 2, "/register 7701000000017"))
        .await;
    live.send(updates::group_text(group, 11, 3, "Иванов Иван Иванович"))
        .await;
    let said = live.sent_texts(group);
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(
        said[0].starts_with("Я работаю только в личных сообщениях"),
        "{said:#?}"
    );
    let linked = chats::links(live.harness.db.store.pool(), group)
        .await
        .unwrap();
    assert!(linked.is_empty());
    live.stop().await;
}

#[tokio::test]
async fn a_password_typed_at_login_is_deleted_from_the_chat() {
    let live = Live::start(1, false).await;
    live.send(updates::text(CHAT, 1, "/login 7701000000062"))
        .await;
    live.send(updates::text(CHAT, 2, "Kuznetsov-2025")).await;
    live.send(updates::text(CHAT, 3, "Kuznetsov-2026")).await;
    let deleted: Vec<i64> = live
        .fake
        .calls_to("deleteMessage")
        .iter()
        .filter(|c| c.i64("chat_id") == Some(CHAT))
        .filter_map(|c| c.i64("message_id"))
        .collect();
    assert_eq!(deleted, [2, 3], "both passwords, not the command");
    live.stop().await;
}

#[tokio::test]
async fn a_receipt_arrives_as_a_named_pdf_document_and_a_page_turn_edits_the_list() {
    let live = Live::start(1, false).await;
    let store = &live.harness.db.store;
    let id = fixtures::account_id(store, "7701000000048").await.unwrap();
    chats::ensure(store.pool(), CHAT).await.unwrap();
    chats::link(store.pool(), CHAT, id, 0).await.unwrap();
    live.send(updates::text(CHAT, 1, "/receipt")).await;
    let (list, _) = live.button(CHAT, "Раньше »").unwrap();
    live.press(CHAT, "Раньше »").await;
    let edit = &live.fake.calls_to("editMessageText")[0];
    assert_eq!(
        edit.i64("message_id"),
        Some(list),
        "a page turn edits the list"
    );
    live.press(CHAT, "« Позже").await;
    live.press(CHAT, "Октябрь 2026").await;
    let sent = live.fake.calls_to("sendDocument");
    assert_eq!(sent.len(), 1, "{:#?}", live.fake.calls());
    let file = &sent[0].files[0];
    assert_eq!(file.field, "document");
    assert_eq!(
        file.file_name.as_deref(),
        Some("kvitanciya-7701000000048-2026-10.pdf")
    );
    assert!(file.bytes.starts_with(b"%PDF-"));
    let caption = sent[0].str("caption").unwrap();
    assert!(
        caption.starts_with("Квитанция за октябрь 2026 г., лицевой счёт 7701000000048: к оплате"),
        "{caption}"
    );
    assert!(
        live.fake
            .calls_to("sendChatAction")
            .iter()
            .any(|c| c.str("action") == Some("upload_document"))
    );
    live.stop().await;
}
