//! The histories through the real client and the adapter: a step of the same screen edits the
//! pressed message, the chart arrives as a photo and the CSV as a named document.

use kabinet::store::chats;

use super::live::Live;
use crate::support::fake_bot_api::updates;
use crate::support::fixtures;

const CHAT: i64 = 5009;

#[tokio::test]
async fn a_payments_history_edits_the_picker_sends_the_chart_as_a_photo_and_the_csv_as_a_document()
{
    let live = Live::start(1, false).await;
    let store = &live.harness.db.store;
    let id = fixtures::account_id(store, "7701000000017").await.unwrap();
    chats::ensure(store.pool(), CHAT).await.unwrap();
    chats::link(store.pool(), CHAT, id, 0).await.unwrap();

    live.send(updates::text(CHAT, 1, "/history")).await;
    live.press(CHAT, "Платежи").await;
    let (picker, _) = live.button(CHAT, "3 месяца").unwrap();
    live.press(CHAT, "3 месяца").await;

    // The table replaces the picker's message …
    let table = live.fake.message(CHAT, picker).unwrap();
    let text = table["text"].as_str().unwrap();
    assert!(text.starts_with("Платежи с "), "{table}");
    assert!(table["reply_markup"].to_string().contains("Скачать CSV"));
    // … and the chart follows as a photo, with the «upload photo» action first.
    let photos = live.fake.calls_to("sendPhoto");
    assert_eq!(photos.len(), 1, "{photos:#?}");
    let png = &photos[0].files[0];
    assert!(png.bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert_eq!(png.file_name.as_deref(), Some("platezhi-7701000000017.png"));
    let actions: Vec<_> = live
        .fake
        .calls_to("sendChatAction")
        .iter()
        .filter_map(|c| c.str("action").map(str::to_owned))
        .collect();
    assert!(actions.contains(&"upload_photo".to_owned()), "{actions:?}");

    live.press(CHAT, "Скачать CSV").await;
    let documents = live.fake.calls_to("sendDocument");
    assert_eq!(documents.len(), 1, "{documents:#?}");
    let csv = &documents[0].files[0];
    assert_eq!(
        csv.file_name.as_deref(),
        Some("platezhi-7701000000017-2026-09-01-2026-11-20.csv")
    );
    let body = String::from_utf8(csv.bytes.clone()).unwrap();
    assert!(
        body.starts_with("\u{feff}Дата;Услуга;Сумма, ₽;Способ оплаты\r\n"),
        "{body}"
    );
    assert_eq!(live.fake.calls_to("sendPhoto").len(), 1, "no second chart");
    live.stop().await;
}
