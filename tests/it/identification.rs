//! Registration, login and access recovery through the engine, checked in the database:
//! links, credentials, the outbox, and what never reaches the chat.

use crate::support::Harness;
use kabinet::billing::AccountNumber;
use kabinet::channels::console::{parse_line, remember_buttons};
use kabinet::conversation::Press;
use kabinet::credentials::verify_password;
use kabinet::store::accounts::Account;
use kabinet::store::chats::{self, Link};
use kabinet::store::identification::templates;

const IVANOV: &str = "7701000000017";
const PETROVA: &str = "7701000000024";
const KUZNETSOV: &str = "7701000000062";
const KUZNETSOV_PASSWORD: &str = "Kuznetsov-2026";

/// One chat with the bot, pressing buttons by label as a person would.
struct Chat<'h> {
    h: &'h Harness,
    id: i64,
    seen: Vec<(String, Press)>,
    /// Every line the bot said in this chat.
    heard: Vec<String>,
}

impl<'h> Chat<'h> {
    fn new(h: &'h Harness, id: i64) -> Chat<'h> {
        Chat {
            h,
            id,
            seen: Vec::new(),
            heard: Vec::new(),
        }
    }

    /// Sends a line (`[Label]` presses a button, `/contact +7…` shares the own contact) and
    /// returns what the bot said, joined.
    async fn send(&mut self, line: &str) -> String {
        let event = parse_line(line, &self.seen).expect("a line the chat understands");
        let replies = self.h.engine.handle(self.id, event).await.expect("answer");
        remember_buttons(&mut self.seen, &replies);
        let said: Vec<String> = replies.iter().flat_map(|r| r.transcript()).collect();
        self.heard.extend(said.iter().cloned());
        said.join("\n")
    }

    async fn links(&self) -> Vec<Link> {
        chats::links(self.h.db.store.pool(), self.id).await.unwrap()
    }
}

async fn account(h: &Harness, number: &str) -> Account {
    let number = AccountNumber::parse(number).unwrap();
    h.db.store
        .account_by_number(&number)
        .await
        .unwrap()
        .unwrap()
}

/// Queued messages but one-time codes: channel, recipient, template, payload.
async fn outbox(h: &Harness) -> Vec<(String, String, String, serde_json::Value)> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT channel, recipient, template, payload::text FROM outbox
         WHERE template <> 'one-time-code' ORDER BY id",
    )
    .fetch_all(h.db.store.pool())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(c, r, t, p)| (c, r, t, serde_json::from_str(&p).unwrap()))
        .collect()
}

/// The latest one-time code sent by SMS, and where it went.
async fn last_code(h: &Harness) -> (String, String) {
    sqlx::query_as(
        "SELECT payload->>'code', recipient FROM outbox WHERE template = 'one-time-code'
         ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(h.db.store.pool())
    .await
    .expect("a code was sent")
}

fn password_of(payload: &serde_json::Value) -> String {
    payload["password"].as_str().expect("a password").to_owned()
}

/// The phone on file of Иванов.
const IVANOV_PHONE: &str = "+79031234517";

/// Runs registration of Иванов up to the email question: found by name, proved by the code
/// sent to the phone on file.
async fn register_ivanov_up_to_email(chat: &mut Chat<'_>) {
    chat.send("/register").await;
    chat.send(IVANOV).await;
    let said = chat.send("Иванов Иван Иванович").await;
    assert!(said.contains("[Получить код в SMS]"), "{said}");
    chat.send("[Получить код в SMS]").await;
    let (code, to) = last_code(chat.h).await;
    assert_eq!(to, IVANOV_PHONE, "the code goes to the phone on file");
    let said = chat.send(&code).await;
    assert!(said.contains("[Пропустить]"), "{said}");
}

#[tokio::test]
async fn registration_links_the_chat_and_sends_the_password_only_by_sms() {
    let h = Harness::new().await;
    let before = account(&h, IVANOV).await;
    assert!(before.credential_hash.is_none());
    let mut chat = Chat::new(&h, 501);
    register_ivanov_up_to_email(&mut chat).await;
    let said = chat.send("[Пропустить]").await;
    assert!(said.contains("Готово!"), "{said}");

    let after = account(&h, IVANOV).await;
    assert_eq!(after.phone.as_deref(), Some(IVANOV_PHONE));
    assert_eq!(after.email, before.email);
    assert_eq!(after.credential_epoch, before.credential_epoch + 1);
    let links = chat.links().await;
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].number.as_str(), IVANOV);
    assert_eq!(links[0].link_epoch, after.credential_epoch);
    assert!(!links[0].needs_renewal());

    let queued = outbox(&h).await;
    assert_eq!(queued.len(), 1, "{queued:?}");
    let (channel, recipient, template, payload) = &queued[0];
    assert_eq!(
        (channel.as_str(), recipient.as_str(), template.as_str()),
        ("sms", IVANOV_PHONE, templates::WEB_CREDENTIALS)
    );
    assert_eq!(payload["login"], IVANOV);
    let password = password_of(payload);
    assert!(verify_password(
        &password,
        after.credential_hash.as_deref().unwrap()
    ));
    assert!(
        chat.heard.iter().all(|line| !line.contains(&password)),
        "the password reached the chat"
    );
}

#[tokio::test]
async fn an_email_given_at_registration_gets_the_same_credentials() {
    let h = Harness::new().await;
    let mut chat = Chat::new(&h, 502);
    register_ivanov_up_to_email(&mut chat).await;
    chat.send("ivanov@example.com").await;

    assert_eq!(
        account(&h, IVANOV).await.email.as_deref(),
        Some("ivanov@example.com")
    );
    let queued = outbox(&h).await;
    let routes: Vec<(&str, &str)> = queued
        .iter()
        .map(|(c, r, _, _)| (c.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        routes,
        [("sms", "+79031234517"), ("email", "ivanov@example.com")]
    );
    assert_eq!(password_of(&queued[0].3), password_of(&queued[1].3));
}

#[tokio::test]
async fn a_failed_or_abandoned_registration_writes_nothing() {
    let h = Harness::new().await;
    let before = account(&h, IVANOV).await;
    let mut chat = Chat::new(&h, 503);
    chat.send("/register").await;
    chat.send(IVANOV).await;
    chat.send("Петров Пётр Петрович").await;
    let said = chat.send("999999999").await;
    assert!(said.contains("в офис обслуживания с паспортом"), "{said}");

    let mut other = Chat::new(&h, 504);
    register_ivanov_up_to_email(&mut other).await;
    other.send("/cancel").await;

    assert_eq!(account(&h, IVANOV).await, before);
    assert!(chat.links().await.is_empty() && other.links().await.is_empty());
    assert!(outbox(&h).await.is_empty());
    let failures: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM attempts WHERE kind = 'ident' AND scope = 'account' AND subject = $1",
    )
    .bind(IVANOV)
    .fetch_one(h.db.store.pool())
    .await
    .unwrap();
    assert_eq!(failures, 2, "the wrong name and the wrong serial");
}

#[tokio::test]
async fn the_lock_on_an_account_holds_in_every_chat() {
    let h = Harness::new().await;
    // Ten wrong names and serials from throwaway chats (two each) reach the account's ceiling.
    for i in 0..5 {
        let mut throwaway = Chat::new(&h, 520 + i);
        throwaway.send(&format!("/register {IVANOV}")).await;
        throwaway.send("Сидоров Пётр").await;
        throwaway.send("000000001").await;
    }
    let mut second = Chat::new(&h, 506);
    let said = second.send(&format!("/register {IVANOV}")).await;
    assert!(
        said.contains("Слишком много попыток. Попробуйте после 11:00."),
        "{said}"
    );
    let said = second.send(&format!("/login {IVANOV}")).await;
    assert!(said.contains("Слишком много попыток"), "{said}");
    // The lock is on that account, not on everyone.
    let said = second.send(&format!("/register {PETROVA}")).await;
    assert!(said.contains("Введите фамилию"), "{said}");

    h.clock.advance(chrono::Duration::hours(1));
    let said = second.send(&format!("/register {IVANOV}")).await;
    assert!(said.contains("Введите фамилию"), "{said}");
}

#[tokio::test]
async fn login_links_the_chat_under_the_current_epoch() {
    let h = Harness::new().await;
    let mut chat = Chat::new(&h, 508);
    chat.send(&format!("/login {KUZNETSOV}")).await;
    let said = chat.send("wrong-password-1").await;
    assert!(
        said.contains("Номер счёта или пароль не подходят"),
        "{said}"
    );
    assert!(chat.links().await.is_empty());
    let said = chat.send(KUZNETSOV_PASSWORD).await;
    assert!(said.contains("подключён к чату"), "{said}");

    let stored = account(&h, KUZNETSOV).await;
    let links = chat.links().await;
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].link_epoch, stored.credential_epoch);
    assert!(outbox(&h).await.is_empty());
}

#[tokio::test]
async fn recovery_bumps_the_epoch_and_sends_a_new_password_to_the_contacts_on_file() {
    let h = Harness::new().await;
    let mut logged_in = Chat::new(&h, 509);
    logged_in.send(&format!("/login {KUZNETSOV}")).await;
    logged_in.send(KUZNETSOV_PASSWORD).await;
    let before = account(&h, KUZNETSOV).await;

    let mut chat = Chat::new(&h, 510);
    chat.send("/recover").await;
    chat.send(KUZNETSOV).await;
    chat.send("Кузнецов Олег Николаевич").await;
    chat.send("[Получить код в SMS]").await;
    assert_eq!(
        account(&h, KUZNETSOV).await,
        before,
        "nothing changes before the code is back"
    );
    let (code, to) = last_code(&h).await;
    assert_eq!(to, "+79857654062");
    let said = chat.send(&code).await;
    assert!(
        said.contains("+7 985 ***-**-62") && said.contains("o***v@example.com"),
        "{said}"
    );

    let after = account(&h, KUZNETSOV).await;
    assert_eq!(after.credential_epoch, before.credential_epoch + 1);
    let hash = after.credential_hash.as_deref().unwrap();
    assert!(!verify_password(KUZNETSOV_PASSWORD, hash));
    let queued = outbox(&h).await;
    let routes: Vec<(&str, &str, &str)> = queued
        .iter()
        .map(|(c, r, t, _)| (c.as_str(), r.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        routes,
        [
            ("sms", "+79857654062", templates::TEMPORARY_PASSWORD),
            (
                "email",
                "o.kuznetsov@example.com",
                templates::TEMPORARY_PASSWORD
            ),
        ]
    );
    let password = password_of(&queued[0].3);
    assert_eq!(password_of(&queued[1].3), password);
    assert!(verify_password(&password, hash));
    assert!(chat.heard.iter().all(|line| !line.contains(&password)));
    let links = chat.links().await;
    assert_eq!(links.len(), 1, "the chat that proved possession is linked");
    assert_eq!(links[0].link_epoch, after.credential_epoch);
    assert!(logged_in.links().await[0].needs_renewal());
}

#[tokio::test]
async fn registering_an_account_with_a_web_password_links_it_and_keeps_the_password() {
    let h = Harness::new().await;
    let before = account(&h, KUZNETSOV).await;
    let mut chat = Chat::new(&h, 511);
    chat.send(&format!("/register {KUZNETSOV}")).await;
    let said = chat.send("кузнецов олег николаевич").await;
    assert!(said.contains("Подтвердите, что лицевой счёт ваш"), "{said}");
    assert!(
        chat.links().await.is_empty(),
        "the name alone links nothing"
    );
    let said = chat.send(KUZNETSOV_PASSWORD).await;
    assert!(said.contains("уже зарегистрирован"), "{said}");

    assert_eq!(account(&h, KUZNETSOV).await, before);
    assert!(outbox(&h).await.is_empty());
    let links = chat.links().await;
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].link_epoch, before.credential_epoch);
}

#[tokio::test]
async fn an_account_linked_in_another_chat_can_be_linked_by_its_holder() {
    let h = Harness::new().await;
    let mut first = Chat::new(&h, 512);
    register_ivanov_up_to_email(&mut first).await;
    first.send("[Пропустить]").await;

    let mut second = Chat::new(&h, 513);
    second.send(&format!("/register {IVANOV}")).await;
    second.send("Иванов Иван Иванович").await;
    let said = second.send(&format!("/contact {IVANOV_PHONE}")).await;
    assert!(said.contains("уже зарегистрирован"), "{said}");

    let epoch = account(&h, IVANOV).await.credential_epoch;
    for chat in [&first, &second] {
        let links = chat.links().await;
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].link_epoch, epoch);
    }
    assert_eq!(outbox(&h).await.len(), 1, "no second set of credentials");
}
