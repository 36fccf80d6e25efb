use crate::store_fixtures::{account, db, new_account};
use kabinet::billing::{AccountNumber, Category};
use kabinet::store::StoreError;
use kabinet::store::accounts::AccountId;

#[tokio::test]
async fn an_inserted_account_reads_back_by_number_and_by_id() {
    let db = db().await;
    let inserted = account(&db.store, "7701000000017").await;
    let number = AccountNumber::parse("7701000000017").unwrap();
    let by_number = db.store.account_by_number(&number).await.unwrap().unwrap();
    let by_id = db.store.account(inserted.id).await.unwrap().unwrap();
    assert_eq!(by_number, inserted);
    assert_eq!(by_id, inserted);
    assert_eq!(by_id.category, Category::Urban);
    assert_eq!(by_id.odn_kwh.to_string(), "12.500");
    assert_eq!(by_id.credential_hash, None);
    assert_eq!(by_id.credential_epoch, 0);
    assert_eq!(db.store.account_ids().await.unwrap(), vec![inserted.id]);
}

#[tokio::test]
async fn an_unknown_account_is_none() {
    let db = db().await;
    let number = AccountNumber::parse("7701000000024").unwrap();
    assert!(db.store.account_by_number(&number).await.unwrap().is_none());
    assert!(db.store.account(AccountId(42)).await.unwrap().is_none());
}

#[tokio::test]
async fn an_account_number_of_12_or_14_digits_is_rejected_by_the_database() {
    let db = db().await;
    for number in ["770100000001", "77010000000170"] {
        let err: StoreError = sqlx::query(
            "INSERT INTO accounts (number, holder, address, category) VALUES ($1, 'A', 'B', 'urban')",
        )
        .bind(number)
        .execute(db.store.pool())
        .await
        .unwrap_err()
        .into();
        assert!(
            matches!(&err, StoreError::Rejected { constraint } if constraint == "accounts_number_check"),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn a_second_account_with_the_same_number_is_a_conflict() {
    let db = db().await;
    account(&db.store, "7701000000017").await;
    let err = db
        .store
        .insert_account(&new_account("7701000000017"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Conflict { constraint } if constraint == "accounts_number_key"),
        "{err:?}"
    );
}

#[tokio::test]
async fn setting_a_credential_bumps_the_epoch_each_time() {
    let db = db().await;
    let a = account(&db.store, "7701000000062").await;
    assert_eq!(
        db.store
            .set_credential(a.id, "$argon2id$one")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        db.store
            .set_credential(a.id, "$argon2id$two")
            .await
            .unwrap(),
        2
    );
    let stored = db.store.account(a.id).await.unwrap().unwrap();
    assert_eq!(stored.credential_hash.as_deref(), Some("$argon2id$two"));
    assert_eq!(stored.credential_epoch, 2);
    assert!(
        !format!("{stored:?}").contains("argon2"),
        "the hash must not be logged"
    );
}

#[tokio::test]
async fn phone_and_email_can_be_changed_and_cleared() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    db.store
        .set_phone(a.id, Some("+79031112233"))
        .await
        .unwrap();
    db.store.set_email(a.id, None).await.unwrap();
    let stored = db.store.account(a.id).await.unwrap().unwrap();
    assert_eq!(stored.phone.as_deref(), Some("+79031112233"));
    assert_eq!(stored.email, None);
}

#[tokio::test]
async fn malformed_phone_and_email_are_rejected() {
    let db = db().await;
    let a = account(&db.store, "7701000000017").await;
    let phone = db
        .store
        .set_phone(a.id, Some("89031112233"))
        .await
        .unwrap_err();
    assert!(matches!(phone, StoreError::Rejected { .. }), "{phone:?}");
    let email = db
        .store
        .set_email(a.id, Some("no-at-sign"))
        .await
        .unwrap_err();
    assert!(matches!(email, StoreError::Rejected { .. }), "{email:?}");
}

#[tokio::test]
async fn changing_a_missing_account_is_not_found() {
    let db = db().await;
    let missing = AccountId(999);
    for err in [
        db.store.set_credential(missing, "h").await.unwrap_err(),
        db.store.set_phone(missing, None).await.unwrap_err(),
        db.store.set_email(missing, None).await.unwrap_err(),
    ] {
        assert!(
            matches!(err, StoreError::NotFound { what: "account" }),
            "{err:?}"
        );
    }
}
