//! Settings: the email changes only with the code sent to the new address; a password change
//! bumps the credential epoch so that other chats' password links need renewal.

use crate::support::{Harness, typed};
use chrono::Duration;
use kabinet::conversation::Event;
use kabinet::credentials::{hash_password, verify_password};
use kabinet::store::accounts::{Account, AccountId};
use kabinet::store::chats::{self, Link};

pub const PETROVA: &str = "7701000000024";
pub const PETROVA_DACHA: &str = "7701000000031";
pub const KUZNETSOV: &str = "7701000000062";
pub const KUZNETSOV_PASSWORD: &str = "Kuznetsov-2026";

const NEW_PASSWORD: &str = "Svet-v-Okne-42";

pub async fn account(h: &Harness, number: &str) -> Account {
    let number = kabinet::billing::AccountNumber::parse(number).unwrap();
    h.db.store
        .account_by_number(&number)
        .await
        .unwrap()
        .expect("a demo account")
}

/// Links `number` to `chat` (and makes it current) under the account's epoch, as every way of
/// proving possession does (`_by_password` is kept for the readers of the tests).
pub async fn link(h: &Harness, chat: i64, number: &str, _by_password: bool) {
    let account = account(h, number).await;
    let pool = h.db.store.pool();
    chats::ensure(pool, chat).await.unwrap();
    chats::link(pool, chat, account.id.0, account.credential_epoch)
        .await
        .unwrap();
}

pub async fn link_of(h: &Harness, chat: i64, number: &str) -> Link {
    chats::links(h.db.store.pool(), chat)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.number.as_str() == number)
        .expect("a link")
}

pub fn button(data: &str) -> Event {
    Event::Button(data.to_owned())
}

pub fn said(lines: &[String], start: &str) -> bool {
    lines.iter().any(|l| l.starts_with(start))
}

/// The code in the latest confirmation letter, and how many such letters went to `to`.
async fn letter(h: &Harness, to: &str) -> (String, i64) {
    let code: String = sqlx::query_scalar(
        "SELECT payload->>'code' FROM outbox
         WHERE template = 'email-confirmation' AND channel = 'email' AND recipient = $1
         ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_one(h.db.store.pool())
    .await
    .expect("a confirmation letter");
    let count: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE template = 'email-confirmation' AND recipient = $1",
    )
    .bind(to)
    .fetch_one(h.db.store.pool())
    .await
    .unwrap();
    (code, count)
}

fn other_code(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

/// Settings → email, the step-up passed with the own contact equal to Петрова's phone on file,
/// then the new address twice.
async fn ask_for_new_email(h: &Harness, chat: i64, address: &str) {
    h.say(chat, typed("/settings")).await;
    let step_up = h.say(chat, button("settings:email")).await;
    assert!(
        said(&step_up, "Подтвердите, что лицевой счёт ваш"),
        "{step_up:?}"
    );
    let proved = h
        .say(
            chat,
            Event::Contact {
                phone: "+79267771024".into(),
                owner_is_sender: true,
            },
        )
        .await;
    assert!(said(&proved, "Спасибо, подтверждено"), "{proved:?}");
    h.say(chat, typed(address)).await;
    let sent = h.say(chat, typed(address)).await;
    assert!(said(&sent, "Мы отправили письмо с кодом"), "{sent:?}");
}

#[tokio::test]
async fn an_email_is_saved_only_after_the_right_code() {
    let h = Harness::new().await;
    link(&h, 1, PETROVA, false).await;
    let new = "anna.petrova@mail.example";
    ask_for_new_email(&h, 1, new).await;
    let (code, _) = letter(&h, new).await;
    assert_eq!(
        account(&h, PETROVA).await.email.as_deref(),
        Some("a.petrova@example.com"),
        "not before the code"
    );

    let wrong = h.say(1, typed(&other_code(&code))).await;
    assert!(said(&wrong, "Код неверный"), "{wrong:?}");
    assert_eq!(
        account(&h, PETROVA).await.email.as_deref(),
        Some("a.petrova@example.com")
    );

    let done = h.say(1, typed(&code)).await;
    assert!(said(&done, "Email изменён"), "{done:?}");
    assert_eq!(account(&h, PETROVA).await.email.as_deref(), Some(new));
    let told_old: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE template = 'email-changed'
         AND recipient = 'a.petrova@example.com'",
    )
    .fetch_one(h.db.store.pool())
    .await
    .unwrap();
    assert_eq!(told_old, 1, "the old address hears of the change");
}

#[tokio::test]
async fn three_wrong_codes_start_over_and_keep_the_old_email() {
    let h = Harness::new().await;
    link(&h, 2, PETROVA, false).await;
    let new = "anna@mail.example";
    ask_for_new_email(&h, 2, new).await;
    let (code, _) = letter(&h, new).await;
    for _ in 0..3 {
        h.say(2, typed(&other_code(&code))).await;
    }
    // The right code of the used-up attempt no longer counts: it is an address now.
    let after = h.say(2, typed(&code)).await;
    assert!(
        said(&after, "Это не похоже на адрес электронной почты"),
        "{after:?}"
    );
    assert_eq!(
        account(&h, PETROVA).await.email.as_deref(),
        Some("a.petrova@example.com")
    );
}

#[tokio::test]
async fn an_expired_code_does_not_count_and_a_new_letter_does() {
    let h = Harness::new().await;
    link(&h, 3, PETROVA, false).await;
    let new = "anna@mail.example";
    ask_for_new_email(&h, 3, new).await;
    let (old_code, _) = letter(&h, new).await;
    h.clock.advance(Duration::minutes(11));
    let expired = h.say(3, typed(&old_code)).await;
    assert!(
        said(&expired, "Этот код больше не действует"),
        "{expired:?}"
    );
    assert_eq!(
        account(&h, PETROVA).await.email.as_deref(),
        Some("a.petrova@example.com")
    );
    h.say(3, typed(new)).await;
    h.say(3, typed(new)).await;
    let (code, letters) = letter(&h, new).await;
    assert_eq!(letters, 2);
    let done = h.say(3, typed(&code)).await;
    assert!(said(&done, "Email изменён"), "{done:?}");
}

/// Walks chat `chat` through a password change from the demo password to [`NEW_PASSWORD`].
async fn change_password(h: &Harness, chat: i64) -> Vec<String> {
    let mut all = Vec::new();
    for event in [
        typed("/settings"),
        button("settings:password"),
        typed(KUZNETSOV_PASSWORD),
        typed(NEW_PASSWORD),
        typed(NEW_PASSWORD),
    ] {
        all.extend(h.say(chat, event).await);
    }
    all
}

#[tokio::test]
async fn a_password_change_makes_other_chats_password_links_need_renewal() {
    let h = Harness::new().await;
    link(&h, 10, KUZNETSOV, true).await;
    link(&h, 11, KUZNETSOV, true).await;
    link(&h, 12, KUZNETSOV, false).await;

    let lines = change_password(&h, 10).await;
    assert!(said(&lines, "Пароль изменён"), "{lines:?}");

    let stored = account(&h, KUZNETSOV).await;
    assert_eq!(stored.credential_epoch, 1);
    let hash = stored.credential_hash.expect("a password");
    assert!(verify_password(NEW_PASSWORD, &hash));
    assert!(!verify_password(KUZNETSOV_PASSWORD, &hash));

    let own = link_of(&h, 10, KUZNETSOV).await;
    assert_eq!(own.link_epoch, 1);
    assert!(!own.needs_renewal(), "this chat's own link follows");
    assert!(link_of(&h, 11, KUZNETSOV).await.needs_renewal());
    assert!(
        link_of(&h, 12, KUZNETSOV).await.needs_renewal(),
        "every link made before the change, however it was made"
    );

    let sms: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox WHERE template = 'password-changed'
         AND channel = 'sms' AND recipient = '+79857654062'",
    )
    .fetch_one(h.db.store.pool())
    .await
    .unwrap();
    assert_eq!(sms, 1, "the holder is told by SMS");
}

#[tokio::test]
async fn no_password_is_ever_said_back() {
    let h = Harness::new().await;
    link(&h, 13, KUZNETSOV, true).await;
    let lines = change_password(&h, 13).await;
    assert!(said(&lines, "Пароль изменён"), "{lines:?}");
    for line in &lines {
        assert!(!line.contains(KUZNETSOV_PASSWORD), "{line}");
        assert!(!line.contains(NEW_PASSWORD), "{line}");
    }
}

#[tokio::test]
async fn five_wrong_current_passwords_lock_the_change() {
    let h = Harness::new().await;
    link(&h, 14, KUZNETSOV, true).await;
    h.say(14, typed("/settings")).await;
    h.say(14, button("settings:password")).await;
    for _ in 0..5 {
        let wrong = h.say(14, typed("Kuznetsov-2025")).await;
        assert!(said(&wrong, "Пароль неверный"), "{wrong:?}");
    }
    let locked = h.say(14, typed("Kuznetsov-2025")).await;
    assert!(
        said(&locked, "Слишком много попыток. Попробуйте после 10:15."),
        "{locked:?}"
    );
    h.say(14, typed("/settings")).await;
    let again = h.say(14, button("settings:password")).await;
    assert!(said(&again, "Слишком много попыток"), "{again:?}");
    assert_eq!(account(&h, KUZNETSOV).await.credential_epoch, 0);
}

#[tokio::test]
async fn a_chat_whose_link_needs_renewal_cannot_change_the_email() {
    let h = Harness::new().await;
    link(&h, 15, KUZNETSOV, true).await;
    link(&h, 16, KUZNETSOV, true).await;
    // Chat 16 is half-way through an email change when chat 15 changes the password.
    h.say(16, typed("/settings")).await;
    h.say(16, button("settings:email")).await;
    change_password(&h, 15).await;

    let refused = h.say(16, typed("thief@mail.example")).await;
    assert!(
        said(
            &refused,
            "Данные для входа в лицевой счёт 7701000000062 изменились"
        ),
        "{refused:?}"
    );
    let again = h.say(16, typed("/settings")).await;
    assert!(
        said(&again, "Для этого раздела нужен подключённый лицевой счёт"),
        "a stale link opens no settings: {again:?}"
    );
    assert_eq!(
        account(&h, KUZNETSOV).await.email.as_deref(),
        Some("o.kuznetsov@example.com")
    );
}

#[tokio::test]
async fn a_password_changed_meanwhile_is_not_overwritten() {
    let h = Harness::new().await;
    link(&h, 17, KUZNETSOV, true).await;
    h.say(17, typed("/settings")).await;
    h.say(17, button("settings:password")).await;
    h.say(17, typed(KUZNETSOV_PASSWORD)).await;
    h.say(17, typed(NEW_PASSWORD)).await;
    let elsewhere = hash_password("Changed-on-the-web-1").unwrap();
    let id = account(&h, KUZNETSOV).await.id;
    h.db.store.set_credential(id, &elsewhere).await.unwrap();

    // The change elsewhere made this chat's link stale: nothing is stored.
    let raced = h.say(17, typed(NEW_PASSWORD)).await;
    assert!(
        said(
            &raced,
            "Данные для входа в лицевой счёт 7701000000062 изменились"
        ),
        "{raced:?}"
    );
    let stored = h.db.store.account(AccountId(id.0)).await.unwrap().unwrap();
    assert_eq!(stored.credential_hash.as_deref(), Some(elsewhere.as_str()));
    assert_eq!(stored.credential_epoch, 1);
}
