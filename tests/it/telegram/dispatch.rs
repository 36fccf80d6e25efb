//! Round trips through teloxide's own machinery: a polling dispatcher against the fake server,
//! and the webhook route of `axum_no_setup` as `serve` uses it (no secret of teloxide's own:
//! our layer in front checks the header and removes it).

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::StatusCode;
use futures::StreamExt;
use teloxide::prelude::*;
use teloxide::update_listeners::webhooks::{self, Options};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};

use crate::support::fake_bot_api::{FakeBotApi, deliver_to_webhook, updates};

const WAIT: Duration = Duration::from_secs(10);

async fn echo(bot: Bot, msg: Message) -> ResponseResult<()> {
    let text = format!("эхо: {}", msg.text().unwrap_or_default());
    bot.send_message(msg.chat.id, text).await?;
    Ok(())
}

async fn press(bot: Bot, q: CallbackQuery) -> ResponseResult<()> {
    bot.answer_callback_query(q.id.clone()).text("ок").await?;
    Ok(())
}

#[tokio::test]
async fn a_polling_dispatcher_answers_pushed_updates_in_order() {
    let fake = FakeBotApi::start().await;
    fake.push_update(updates::text(77, 1, "первое"));
    fake.push_update(updates::text(77, 2, "второе"));
    fake.push_update(updates::callback(77, 5, "rd:1"));

    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(echo))
        .branch(Update::filter_callback_query().endpoint(press));
    let mut dispatcher = Dispatcher::builder(fake.bot(), handler).build();
    let shutdown = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });

    let sent = fake.wait_for("sendMessage", 2, WAIT).await;
    let texts: Vec<_> = sent.iter().map(|c| c.str("text").unwrap()).collect();
    assert_eq!(texts, ["эхо: первое", "эхо: второе"]);
    assert!(sent.iter().all(|c| c.i64("chat_id") == Some(77)));
    let answered = fake.wait_for("answerCallbackQuery", 1, WAIT).await;
    assert_eq!(answered[0].str("text"), Some("ок"));

    // A late update is still picked up by the running long poll.
    fake.push_update(updates::text(78, 1, "третье"));
    fake.wait_for("sendMessage", 3, WAIT).await;

    shutdown.shutdown().expect("running").await;
    running.await.unwrap();
    assert_eq!(
        fake.pending_updates(),
        0,
        "the offset confirmed every update"
    );
}

/// `axum_no_setup` never calls setWebhook/deleteWebhook: the route is ours to serve. Without a
/// secret of its own it takes requests without the header and refuses any that carry one, so
/// our check in front must remove the header it checked.
#[tokio::test]
async fn the_webhook_route_without_a_secret_takes_only_requests_without_the_header() {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let options = Options::new(addr, "https://bot.example.test/tg/hook".parse().unwrap())
        .path("/tg/hook".to_owned());
    let (mut listener, stop, router) = webhooks::axum_no_setup(options);
    let tcp = tokio::net::TcpListener::bind(addr).await.unwrap();
    let url = format!("http://{}/tg/hook", tcp.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(tcp, router)
            .with_graceful_shutdown(stop)
            .await
            .unwrap()
    });
    let stop_token = listener.stop_token();

    let update = updates::with_id(updates::text(9, 1, "через вебхук"), 501);
    assert_eq!(
        deliver_to_webhook(&url, Some("any-Secret_1"), &update).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        deliver_to_webhook(&url, Some("not allowed!"), &update).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        deliver_to_webhook(&url, None, &update).await,
        StatusCode::OK
    );

    let mut stream = std::pin::pin!(listener.as_stream());
    let got = tokio::time::timeout(WAIT, stream.next())
        .await
        .expect("an update")
        .unwrap()
        .unwrap();
    assert_eq!(got.id.0, 501);
    stop_token.stop();
    tokio::time::timeout(WAIT, server).await.unwrap().unwrap();
}
