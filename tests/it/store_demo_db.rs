use crate::store_fixtures::account;
use kabinet::store::demo_db::{BootstrapError, LocalServer, open_demo};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Executor};
use std::str::FromStr;

fn test_server() -> PgConnectOptions {
    let url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    PgConnectOptions::from_str(&url).unwrap()
}

/// Drops the database when the test ends, however it ends.
struct DropDatabase(String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let name = self.0.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(mut conn) = test_server().connect().await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = conn.execute(sqlx::AssertSqlSafe(sql)).await;
                }
            })
        })
        .join();
    }
}

#[tokio::test]
async fn the_demo_database_is_created_migrated_and_then_kept() {
    let name = format!("kabinet_t_demo_{:012x}", rand::random::<u64>() >> 16);
    let _cleanup = DropDatabase(name.clone());
    let unreachable = LocalServer {
        label: "nobody on port 1".into(),
        options: test_server().port(1),
    };
    let reachable = LocalServer {
        label: "the test server".into(),
        options: test_server(),
    };
    let servers = [unreachable, reachable];
    let first = open_demo(&servers, &name).await.unwrap();
    assert_eq!(first.server, "the test server");
    assert!(first.empty, "a new demo database is empty");
    account(&first.store, "7701000000017").await;
    let second = open_demo(&servers, &name).await.unwrap();
    assert!(!second.empty, "opening it again keeps what is there");
    first.store.pool().close().await;
    second.store.pool().close().await;
}

#[tokio::test]
async fn with_no_local_server_the_error_says_what_to_do() {
    let nobody = LocalServer {
        label: "127.0.0.1:1".into(),
        options: test_server().port(1),
    };
    let err = open_demo(&[nobody], "kabinet_never_created")
        .await
        .unwrap_err();
    assert!(
        matches!(err, BootstrapError::NoLocalServer { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    for expected in ["127.0.0.1:1", "Start Postgres", "DATABASE_URL"] {
        assert!(
            message.contains(expected),
            "{expected:?} missing in: {message}"
        );
    }
}
