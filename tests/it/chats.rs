//! Chats and their linked accounts in Postgres.

use crate::support::fixtures::{self, IVANOV};
use kabinet::i18n::Lang;
use kabinet::store::chats;
use kabinet::store::testing::TestDb;

async fn second_account(db: &TestDb) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO accounts (number, holder, address, category)
         VALUES ('7701000000024', 'Петрова Анна Сергеевна', 'с. Луговое, ул. Садовая, д. 3', 'rural')
         RETURNING id",
    )
    .fetch_one(db.store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_chat_is_created_on_first_contact_in_russian() {
    let db = TestDb::new().await.unwrap();
    let user = chats::ensure(db.store.pool(), 5).await.unwrap();
    assert_eq!(user.language, Lang::Ru);
    assert_eq!(user.current_account_id, None);
    chats::set_language(db.store.pool(), 5, Lang::En)
        .await
        .unwrap();
    let again = chats::ensure(db.store.pool(), 5).await.unwrap();
    assert_eq!(again.language, Lang::En);
}

#[tokio::test]
async fn linking_makes_the_account_current_and_unlinking_moves_to_the_next() {
    let db = TestDb::new().await.unwrap();
    fixtures::demo_accounts(&db.store).await;
    let ivanov = fixtures::account_id(&db.store, IVANOV).await.unwrap();
    let petrova = second_account(&db).await;
    let pool = db.store.pool();
    chats::ensure(pool, 5).await.unwrap();

    chats::link(pool, 5, ivanov, 0).await.unwrap();
    chats::link(pool, 5, petrova, 0).await.unwrap();
    let links = chats::links(pool, 5).await.unwrap();
    assert_eq!(links.len(), 2);
    assert_eq!(links[0].number.as_str(), IVANOV);
    assert_eq!(links[0].holder, "Иванов Иван Иванович");
    assert_eq!(
        chats::ensure(pool, 5).await.unwrap().current_account_id,
        Some(petrova)
    );

    assert!(chats::set_current(pool, 5, ivanov).await.unwrap());
    assert!(chats::unlink(pool, 5, ivanov).await.unwrap());
    assert_eq!(
        chats::ensure(pool, 5).await.unwrap().current_account_id,
        Some(petrova)
    );
    assert!(!chats::unlink(pool, 5, ivanov).await.unwrap());
    assert!(chats::unlink(pool, 5, petrova).await.unwrap());
    assert_eq!(
        chats::ensure(pool, 5).await.unwrap().current_account_id,
        None
    );
}

#[tokio::test]
async fn only_a_linked_account_can_become_current() {
    let db = TestDb::new().await.unwrap();
    fixtures::demo_accounts(&db.store).await;
    let ivanov = fixtures::account_id(&db.store, IVANOV).await.unwrap();
    chats::ensure(db.store.pool(), 5).await.unwrap();
    assert!(
        !chats::set_current(db.store.pool(), 5, ivanov)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_password_link_needs_renewal_after_the_password_changes() {
    let db = TestDb::new().await.unwrap();
    fixtures::demo_accounts(&db.store).await;
    let ivanov = fixtures::account_id(&db.store, IVANOV).await.unwrap();
    let pool = db.store.pool();
    chats::ensure(pool, 5).await.unwrap();
    chats::link(pool, 5, ivanov, 0).await.unwrap();
    assert!(!chats::links(pool, 5).await.unwrap()[0].needs_renewal());
    sqlx::query("UPDATE accounts SET credential_epoch = 1 WHERE id = $1")
        .bind(ivanov)
        .execute(pool)
        .await
        .unwrap();
    assert!(chats::links(pool, 5).await.unwrap()[0].needs_renewal());
    // Linking again renews the link.
    chats::link(pool, 5, ivanov, 1).await.unwrap();
    assert!(!chats::links(pool, 5).await.unwrap()[0].needs_renewal());
}
