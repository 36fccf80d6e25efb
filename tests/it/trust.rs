//! Identity and trust: every attack of issue 7, tried with only what a paper receipt prints
//! (account number, holder's name, meter serial), now fails to get in. Real engine, real
//! Postgres (and the store's atomic limits).

use crate::support::{Harness, typed};
use kabinet::billing::AccountNumber;
use kabinet::conversation::Event;
use kabinet::store::accounts::Account;
use kabinet::store::chats;
use std::sync::Arc;

const IVANOV: &str = "7701000000017";
const IVANOV_PHONE: &str = "+79031234517";
const PETROVA: &str = "7701000000024";
const KUZNETSOV: &str = "7701000000062";
const KUZNETSOV_PASSWORD: &str = "Kuznetsov-2026";

async fn account(h: &Harness, number: &str) -> Account {
    let number = AccountNumber::parse(number).unwrap();
    h.db.store
        .account_by_number(&number)
        .await
        .unwrap()
        .unwrap()
}

async fn links(h: &Harness, chat: i64) -> Vec<chats::Link> {
    chats::links(h.db.store.pool(), chat).await.unwrap()
}

fn contact(phone: &str) -> Event {
    Event::Contact {
        phone: phone.into(),
        owner_is_sender: true,
    }
}

fn says(lines: &[String], text: &str) -> bool {
    lines.iter().any(|l| l.contains(text))
}

async fn sms_codes(h: &Harness) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE template = 'one-time-code'")
        .fetch_one(h.db.store.pool())
        .await
        .unwrap()
}

async fn last_code(h: &Harness) -> String {
    sqlx::query_scalar(
        "SELECT payload->>'code' FROM outbox WHERE template = 'one-time-code'
         ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(h.db.store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn the_name_from_a_receipt_does_not_link_an_account_with_a_web_password() {
    let h = Harness::new().await;
    h.say(1, typed(&format!("/register {KUZNETSOV}"))).await;
    let asked = h.say(1, typed("Кузнецов Олег Николаевич")).await;
    assert!(
        says(&asked, "Подтвердите, что лицевой счёт ваш"),
        "{asked:?}"
    );
    let wrong = h.say(1, typed("Kuznetsov-2025")).await;
    assert!(says(&wrong, "Пароль не подходит"), "{wrong:?}");
    // Settings and recovery are out of reach too: the chat holds no link.
    assert!(links(&h, 1).await.is_empty());
    let settings = h.say(1, typed("/settings")).await;
    assert!(
        says(&settings, "нужен подключённый лицевой счёт"),
        "{settings:?}"
    );
}

#[tokio::test]
async fn a_typed_or_foreign_phone_neither_links_nor_replaces_the_phone_on_file() {
    let h = Harness::new().await;
    let before = account(&h, IVANOV).await;
    h.say(2, typed(&format!("/register {IVANOV}"))).await;
    h.say(2, typed("Иванов Иван Иванович")).await;
    let typed_phone = h.say(2, typed("+7 999 123-45-67")).await;
    assert!(says(&typed_phone, "Подтвердите"), "{typed_phone:?}");
    let own_other = h.say(2, contact("+79991234567")).await;
    assert!(
        says(&own_other, "не совпадает с номером в договоре"),
        "{own_other:?}"
    );
    let someone_elses = h
        .say(
            2,
            Event::Contact {
                phone: IVANOV_PHONE.into(),
                owner_is_sender: false,
            },
        )
        .await;
    assert!(
        says(&someone_elses, "контакт другого человека"),
        "{someone_elses:?}"
    );
    assert!(links(&h, 2).await.is_empty());
    assert_eq!(account(&h, IVANOV).await, before, "nothing on file changed");
    assert_eq!(sms_codes(&h).await, 0, "no code was even asked for");
}

#[tokio::test]
async fn recovery_changes_nothing_before_the_code_and_resets_once_in_fifteen_minutes() {
    let h = Harness::new().await;
    let before = account(&h, KUZNETSOV).await;
    h.say(3, typed(&format!("/recover {KUZNETSOV}"))).await;
    h.say(3, typed("Кузнецов Олег Николаевич")).await;
    h.say(3, typed("[Получить код в SMS]")).await;
    let sent = h.say(3, typed("Получить код в SMS")).await;
    assert!(says(&sent, "Код отправлен в SMS"), "{sent:?}");
    assert_eq!(account(&h, KUZNETSOV).await, before, "not before the code");
    let done = h.say(3, typed(&last_code(&h).await)).await;
    assert!(says(&done, "Новый временный пароль отправлен"), "{done:?}");
    let after = account(&h, KUZNETSOV).await;
    assert_eq!(after.credential_epoch, before.credential_epoch + 1);

    // A second recovery a minute later (another chat) is refused before any code is sent.
    h.clock.advance(chrono::Duration::minutes(1));
    let codes = sms_codes(&h).await;
    h.say(4, typed(&format!("/recover {KUZNETSOV}"))).await;
    let again = h.say(4, typed("Кузнецов Олег Николаевич")).await;
    assert!(says(&again, "только что сбрасывали"), "{again:?}");
    assert_eq!(sms_codes(&h).await, codes);
    assert_eq!(account(&h, KUZNETSOV).await, after);
}

#[tokio::test]
async fn a_stale_link_neither_sends_readings_nor_shows_the_holder() {
    let h = Harness::new().await;
    let kuznetsov = account(&h, KUZNETSOV).await;
    chats::ensure(h.db.store.pool(), 5).await.unwrap();
    chats::link(
        h.db.store.pool(),
        5,
        kuznetsov.id.0,
        kuznetsov.credential_epoch,
    )
    .await
    .unwrap();
    let hash = kabinet::credentials::hash_password("Changed-on-the-web-1").unwrap();
    h.db.store
        .set_credential(kuznetsov.id, &hash)
        .await
        .unwrap();

    let readings = h.say(5, typed("/readings")).await;
    assert!(
        says(&readings, "нужен подключённый лицевой счёт"),
        "{readings:?}"
    );
    let menu = h.say(5, typed("/menu")).await;
    assert!(!says(&menu, "Кузнецов"), "{menu:?}");
    let list = h.say(5, typed("/accounts")).await;
    assert!(
        !says(&list, "Набережная") && !says(&list, "Кузнецов"),
        "{list:?}"
    );
    let readings_rows: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM readings r JOIN meters m ON m.id = r.meter_id
         WHERE m.account_id = $1 AND r.source = 'chat'",
    )
    .bind(kuznetsov.id)
    .fetch_one(h.db.store.pool())
    .await
    .unwrap();
    assert_eq!(readings_rows, 0);
}

#[tokio::test]
async fn twenty_parallel_wrong_passwords_get_exactly_the_allowed_tries_and_the_holder_keeps_in() {
    let h = Arc::new(Harness::new().await);
    let holder = 99;
    let kuznetsov = account(&h, KUZNETSOV).await;
    chats::ensure(h.db.store.pool(), holder).await.unwrap();
    chats::link(
        h.db.store.pool(),
        holder,
        kuznetsov.id.0,
        kuznetsov.credential_epoch,
    )
    .await
    .unwrap();
    for chat in 100..120 {
        h.say(chat, typed(&format!("/login {KUZNETSOV}"))).await;
    }
    let tries = (100..120).map(|chat| {
        let h = h.clone();
        tokio::spawn(async move { h.say(chat, typed("Kuznetsov-2025")).await })
    });
    let answers = futures::future::join_all(tries).await;
    let locked = answers
        .iter()
        .filter(|a| says(a.as_ref().unwrap(), "Слишком много попыток"))
        .count();
    let tried: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM attempts WHERE kind = 'ident' AND scope = 'account' AND subject = $1",
    )
    .bind(KUZNETSOV)
    .fetch_one(h.db.store.pool())
    .await
    .unwrap();
    assert_eq!(tried, 10, "exactly the account's ceiling was checked");
    assert_eq!(locked, 10, "{answers:?}");
    for chat in 100..120 {
        assert!(links(&h, chat).await.is_empty());
    }

    // The holder's own chat is not locked out: it changes the password (password step-up).
    h.say(holder, typed("/settings")).await;
    h.say(holder, Event::Button("settings:password".into()))
        .await;
    let next = h.say(holder, typed(KUZNETSOV_PASSWORD)).await;
    assert!(says(&next, "Придумайте новый пароль"), "{next:?}");
}

#[tokio::test]
async fn an_unknown_number_and_a_wrong_name_get_the_same_answers() {
    let h = Harness::new().await;
    let mut transcripts = Vec::new();
    for (chat, number) in [(6, "7701000000000"), (7, IVANOV)] {
        let mut heard = Vec::new();
        h.say(chat, typed("/register")).await;
        let asked = h.say(chat, typed(number)).await;
        heard.extend(asked.iter().map(|l| l.replace(number, "N")));
        heard.extend(h.say(chat, typed("Петров Пётр Петрович")).await);
        heard.extend(h.say(chat, typed("999999999")).await);
        transcripts.push(heard);
    }
    assert_eq!(transcripts[0], transcripts[1]);
}

#[tokio::test]
async fn codes_are_limited_and_wrong_codes_count() {
    let h = Harness::new().await;
    let petrova = account(&h, PETROVA).await;
    chats::ensure(h.db.store.pool(), 8).await.unwrap();
    chats::link(h.db.store.pool(), 8, petrova.id.0, petrova.credential_epoch)
        .await
        .unwrap();
    h.say(8, typed("/settings")).await;
    h.say(8, Event::Button("settings:email".into())).await;
    for _ in 0..3 {
        let sent = h.say(8, typed("Получить код в SMS")).await;
        assert!(says(&sent, "Код отправлен"), "{sent:?}");
    }
    let refused = h.say(8, typed("Получить код в SMS")).await;
    assert!(
        says(&refused, "Коды уже отправлялись несколько раз"),
        "{refused:?}"
    );
    assert_eq!(sms_codes(&h).await, 3);

    // Three wrong guesses use the code up, and each counts as a failure.
    let code = last_code(&h).await;
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    for _ in 0..2 {
        let again = h.say(8, typed(&wrong)).await;
        assert!(says(&again, "Код неверный"), "{again:?}");
    }
    let gone = h.say(8, typed(&wrong)).await;
    assert!(says(&gone, "Этот код больше не действует"), "{gone:?}");
    // The right code is worth nothing now: the proof starts over.
    let late = h.say(8, typed(&code)).await;
    assert!(says(&late, "Подтвердите, что лицевой счёт ваш"), "{late:?}");
    let failures: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM attempts WHERE kind = 'ident' AND scope = 'chat_account'",
    )
    .fetch_one(h.db.store.pool())
    .await
    .unwrap();
    assert_eq!(failures, 3);
    assert_eq!(
        account(&h, PETROVA).await.email.as_deref(),
        Some("a.petrova@example.com")
    );
}

#[tokio::test]
async fn a_typed_password_is_marked_for_deletion() {
    let h = Harness::new().await;
    let ask = h
        .engine
        .answer(9, typed(&format!("/login {KUZNETSOV}")))
        .await
        .unwrap();
    assert!(!ask.forget_input);
    let wrong = h.engine.answer(9, typed("Kuznetsov-2025")).await.unwrap();
    assert!(wrong.forget_input);
    let right = h.engine.answer(9, typed(KUZNETSOV_PASSWORD)).await.unwrap();
    assert!(right.forget_input);
    assert_eq!(links(&h, 9).await.len(), 1);
}
