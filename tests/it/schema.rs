use kabinet::store::testing::TestDb;

#[tokio::test]
async fn migrations_apply_on_a_fresh_database() {
    let db = TestDb::new().await.expect("test database");
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'accounts'",
    )
    .fetch_one(db.store.pool())
    .await
    .unwrap();
    assert_eq!(tables, 1);
}

#[tokio::test]
async fn an_account_number_must_have_13_digits() {
    let db = TestDb::new().await.expect("test database");
    let err = sqlx::query("INSERT INTO accounts (number, holder, address, category) VALUES ('123', 'A', 'B', 'urban')")
        .execute(db.store.pool())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("check"), "{err}");
}
