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
