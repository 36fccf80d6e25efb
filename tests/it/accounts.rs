//! My accounts: only this chat's own links are acted on, whatever a button says; unlinking
//! the current account picks another; links by password keep their epoch and renew.

use crate::settings::{
    KUZNETSOV, KUZNETSOV_PASSWORD, PETROVA, PETROVA_DACHA, account, button, link, link_of, said,
};
use crate::support::{Harness, typed};
use kabinet::conversation::ChatCtx;
use kabinet::credentials::hash_password;
use kabinet::store::chats;

const IVANOV: &str = "7701000000017";

async fn chat(h: &Harness, chat: i64) -> ChatCtx {
    ChatCtx::load(&h.db.store, chat).await.unwrap()
}

async fn current(h: &Harness, id: i64) -> Option<String> {
    chat(h, id)
        .await
        .current
        .map(|l| l.number.as_str().to_owned())
}

#[tokio::test]
async fn a_forged_switch_button_for_an_unlinked_account_is_refused() {
    let h = Harness::new().await;
    link(&h, 20, PETROVA, false).await;
    h.say(20, typed("/accounts")).await;
    for forged in [
        format!("acc:use:{KUZNETSOV}"),
        format!("acc:renew:{KUZNETSOV}"),
        format!("acc:off:{IVANOV}"),
    ] {
        let refused = h.say(20, button(&forged)).await;
        assert!(
            said(&refused, "Этот лицевой счёт не подключён к чату"),
            "{forged}: {refused:?}"
        );
        h.say(20, typed("/accounts")).await;
    }
    let garbage = h.say(20, button("acc:use:1; DROP TABLE accounts")).await;
    assert!(said(&garbage, "Эта кнопка устарела"), "{garbage:?}");

    let after = chat(&h, 20).await;
    assert_eq!(after.links.len(), 1);
    assert_eq!(current(&h, 20).await.as_deref(), Some(PETROVA));
}

#[tokio::test]
async fn a_forged_unlink_confirmation_for_another_account_is_refused() {
    let h = Harness::new().await;
    link(&h, 21, PETROVA_DACHA, false).await;
    link(&h, 21, PETROVA, false).await;
    h.say(21, typed("/accounts")).await;
    h.say(21, button(&format!("acc:off:{PETROVA}"))).await;
    let forged = h
        .say(21, button(&format!("acc:off-yes:{PETROVA_DACHA}")))
        .await;
    assert!(said(&forged, "Эта кнопка устарела"), "{forged:?}");
    assert_eq!(chat(&h, 21).await.links.len(), 2);
}

#[tokio::test]
async fn unlinking_the_current_account_makes_another_current() {
    let h = Harness::new().await;
    link(&h, 22, PETROVA_DACHA, false).await;
    link(&h, 22, PETROVA, false).await;
    assert_eq!(current(&h, 22).await.as_deref(), Some(PETROVA));
    h.say(22, typed("/accounts")).await;
    h.say(22, button(&format!("acc:off:{PETROVA}"))).await;
    let done = h.say(22, button(&format!("acc:off-yes:{PETROVA}"))).await;
    assert!(
        said(
            &done,
            "Лицевой счёт 7701000000024 отключён от этого чата. Текущий счёт теперь — 7701000000031."
        ),
        "{done:?}"
    );
    let after = chat(&h, 22).await;
    assert_eq!(after.links.len(), 1);
    assert_eq!(current(&h, 22).await.as_deref(), Some(PETROVA_DACHA));
}

#[tokio::test]
async fn unlinking_prefers_an_account_that_needs_no_renewal() {
    let h = Harness::new().await;
    // The oldest link is by password, and that password then changes.
    link(&h, 23, KUZNETSOV, true).await;
    link(&h, 23, PETROVA_DACHA, false).await;
    link(&h, 23, PETROVA, false).await;
    let kuznetsov = account(&h, KUZNETSOV).await.id;
    let hash = hash_password("Changed-on-the-web-1").unwrap();
    h.db.store.set_credential(kuznetsov, &hash).await.unwrap();

    h.say(23, typed("/accounts")).await;
    h.say(23, button(&format!("acc:off:{PETROVA}"))).await;
    h.say(23, button(&format!("acc:off-yes:{PETROVA}"))).await;
    assert_eq!(current(&h, 23).await.as_deref(), Some(PETROVA_DACHA));
}

#[tokio::test]
async fn unlinking_the_last_account_leaves_the_chat_unlinked() {
    let h = Harness::new().await;
    link(&h, 24, PETROVA, false).await;
    h.say(24, typed("/accounts")).await;
    h.say(24, button(&format!("acc:off:{PETROVA}"))).await;
    let done = h.say(24, button(&format!("acc:off-yes:{PETROVA}"))).await;
    assert!(said(&done, "[Регистрация]"), "{done:?}");
    let after = chat(&h, 24).await;
    assert!(after.links.is_empty());
    assert!(!after.is_linked());
}

#[tokio::test]
async fn linking_by_password_keeps_the_credential_epoch_and_makes_it_current() {
    let h = Harness::new().await;
    link(&h, 25, IVANOV, false).await;
    h.say(25, typed("/accounts")).await;
    // «Подключить другой счёт» is registration: the number and the name find the account, the
    // password proves it.
    h.say(25, button("acc:add")).await;
    h.say(25, typed(KUZNETSOV)).await;
    let asked = h.say(25, typed("Кузнецов Олег Николаевич")).await;
    assert!(
        said(&asked, "Подтвердите, что лицевой счёт ваш"),
        "{asked:?}"
    );
    let linked = h.say(25, typed(KUZNETSOV_PASSWORD)).await;
    assert!(
        said(&linked, "Спасибо, подтверждено")
            && linked
                .iter()
                .any(|l| l.contains("Теперь он подключён и к чату")),
        "{linked:?}"
    );
    let new = link_of(&h, 25, KUZNETSOV).await;
    assert_eq!(new.link_epoch, 0);
    assert_eq!(current(&h, 25).await.as_deref(), Some(KUZNETSOV));
    assert_eq!(chat(&h, 25).await.links.len(), 2);
}

#[tokio::test]
async fn a_renewed_link_follows_the_new_password() {
    let h = Harness::new().await;
    link(&h, 26, IVANOV, false).await;
    link(&h, 26, KUZNETSOV, true).await;
    let id = account(&h, KUZNETSOV).await.id;
    let hash = hash_password("Changed-on-the-web-1").unwrap();
    h.db.store.set_credential(id, &hash).await.unwrap();
    assert!(link_of(&h, 26, KUZNETSOV).await.needs_renewal());

    h.say(26, typed("/accounts")).await;
    // Even the plain switch button asks for possession first.
    let asked = h.say(26, button(&format!("acc:use:{KUZNETSOV}"))).await;
    assert!(
        said(&asked, "Подтвердите, что лицевой счёт ваш"),
        "{asked:?}"
    );
    let old = h.say(26, typed(KUZNETSOV_PASSWORD)).await;
    assert!(said(&old, "Пароль не подходит"), "{old:?}");
    let renewed = h.say(26, typed("Changed-on-the-web-1")).await;
    assert!(
        said(
            &renewed,
            "Подключение лицевого счёта 7701000000062 обновлено"
        ),
        "{renewed:?}"
    );
    let link = link_of(&h, 26, KUZNETSOV).await;
    assert_eq!(link.link_epoch, 1);
    assert!(!link.needs_renewal());
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_for_other_chats_too() {
    let h = Harness::new().await;
    link(&h, 27, IVANOV, false).await;
    link(&h, 28, PETROVA, false).await;
    // Ten wrong passwords from one chat: five, then that chat is locked out of the account;
    // five more from another chat reach the account's ceiling.
    for chat in [27, 29] {
        h.say(chat, typed(&format!("/login {KUZNETSOV}"))).await;
        for _ in 0..5 {
            h.say(chat, typed("Kuznetsov-2025")).await;
        }
    }
    let locked = h.say(28, typed(&format!("/login {KUZNETSOV}"))).await;
    assert!(said(&locked, "Слишком много попыток"), "{locked:?}");
    assert!(
        chats::links(h.db.store.pool(), 28)
            .await
            .unwrap()
            .iter()
            .all(|l| l.number.as_str() != KUZNETSOV)
    );
}
