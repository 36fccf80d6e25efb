//! Fixture accounts for engine tests and dialogue scripts.
// TODO(lead): replace with demo::seed_demo once the seed lands on main.

use kabinet::store::Store;

/// The demo consumer of the dialogue scripts.
pub const IVANOV: &str = "7701000000017";

/// Inserts the demo accounts the scripts use (idempotent).
pub async fn demo_accounts(store: &Store) {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (number, holder, address, category, phone)
         VALUES ($1, 'Иванов Иван Иванович', 'г. Энск, ул. Ленина, д. 1, кв. 17', 'urban', '+79991234567')
         ON CONFLICT (number) DO UPDATE SET holder = EXCLUDED.holder
         RETURNING id",
    )
    .bind(IVANOV)
    .fetch_one(store.pool())
    .await
    .expect("fixture account");
    sqlx::query(
        "INSERT INTO meters (account_id, serial, tariff_kind, digits, installed_on)
         VALUES ($1, '353425345', 'single', 5, DATE '2020-01-15')
         ON CONFLICT (serial) DO NOTHING",
    )
    .bind(id)
    .execute(store.pool())
    .await
    .expect("fixture meter");
}

/// The id of an account by its number.
pub async fn account_id(store: &Store, number: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT id FROM accounts WHERE number = $1")
        .bind(number)
        .fetch_optional(store.pool())
        .await
        .expect("account lookup")
}
