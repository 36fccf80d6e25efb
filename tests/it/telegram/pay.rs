//! Paying through the Telegram adapter: the payment link arrives as a URL button.

use super::live::Live;
use crate::support::fixtures;
use kabinet::store::chats;

const CHAT: i64 = 5080;

#[tokio::test]
async fn the_pay_link_arrives_as_a_url_button() {
    let live = Live::start(1, false).await;
    let store = &live.harness.db.store;
    let id = fixtures::account_id(store, "7701000000048").await.unwrap();
    chats::ensure(store.pool(), CHAT).await.unwrap();
    chats::link(store.pool(), CHAT, id, 0).await.unwrap();
    live.send(crate::support::fake_bot_api::updates::text(CHAT, 1, "/pay"))
        .await;
    live.press(CHAT, "Пени: 58,89\u{a0}₽").await;
    live.press(CHAT, "Оплатить 58,89\u{a0}₽").await;
    let (message_id, _) = live.button(CHAT, "Согласен, перейти к оплате").unwrap();
    live.press(CHAT, "Согласен, перейти к оплате").await;
    let answer = live.fake.message(CHAT, message_id).unwrap();
    assert!(
        answer["text"].as_str().unwrap().starts_with("Оплата 58,89"),
        "{answer}"
    );
    let buttons: Vec<&serde_json::Value> = answer["reply_markup"]["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap())
        .collect();
    let card = buttons
        .iter()
        .find(|b| b["text"] == "Оплатить картой")
        .unwrap_or_else(|| panic!("no card button: {answer}"));
    let url = card["url"].as_str().unwrap();
    assert!(url.contains("/sandbox/pay/sbx-"), "{url}");
    assert!(
        card.get("callback_data").is_none(),
        "a URL button, not a callback: {card}"
    );
    live.stop().await;
}

/// A declined payment's notice carries «Попробовать снова», which opens the pay flow for the
/// account it is about, making it current even when the chat was on another account.
#[tokio::test]
async fn a_declined_notice_offers_to_pay_again_for_its_own_account() {
    use kabinet::outbox::{Senders, TelegramSender, Worker};
    use kabinet::store::outbox::{Channel, NewMessage};
    const OTHER: i64 = 5081;
    let live = Live::start(1, false).await;
    let store = &live.harness.db.store;
    let debtor = fixtures::account_id(store, "7701000000048").await.unwrap();
    let other = fixtures::account_id(store, fixtures::IVANOV).await.unwrap();
    chats::ensure(store.pool(), OTHER).await.unwrap();
    chats::link(store.pool(), OTHER, debtor, 0).await.unwrap();
    chats::link(store.pool(), OTHER, other, 0).await.unwrap();
    chats::set_current(store.pool(), OTHER, other)
        .await
        .unwrap();
    store
        .enqueue(&NewMessage {
            channel: Channel::Telegram,
            recipient: OTHER.to_string(),
            template: kabinet::payments::templates::DECLINED.into(),
            payload: serde_json::json!({
                "lang": "ru", "amount": "58,89 ₽", "account": "7701000000048"
            }),
        })
        .await
        .unwrap();
    let bot = kabinet::channels::telegram::adapter::bot(
        crate::support::fake_bot_api::TOKEN,
        Some(live.fake.url()),
    );
    let senders = Senders {
        telegram: std::sync::Arc::new(TelegramSender::new(bot)),
        ..Senders::default()
    };
    let pass = Worker::new(
        store.clone(),
        std::sync::Arc::new(kabinet::i18n::I18n::new().unwrap()),
        senders,
        // The message is due by the database's own clock, not the harness's fixed day.
        std::sync::Arc::new(kabinet::clock::SystemClock),
    )
    .run_once()
    .await
    .unwrap();
    assert_eq!(pass.delivered, 1);
    let notice = live.sent_texts(OTHER);
    assert!(notice[0].contains("не прошла"), "{notice:?}");
    live.press(OTHER, "Попробовать снова").await;
    let texts = live.sent_texts(OTHER);
    let debt = texts.last().unwrap();
    assert!(
        debt.contains("7701000000048") && debt.contains("Что оплатить?"),
        "the pay flow of the notice's account: {texts:?}"
    );
    let ctx = kabinet::conversation::ChatCtx::load(store, OTHER)
        .await
        .unwrap();
    assert_eq!(ctx.current.unwrap().account_id, debtor, "made current");
    live.stop().await;
}
