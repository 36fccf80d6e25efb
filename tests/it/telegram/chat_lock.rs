use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use kabinet::channels::telegram::chat_lock::{ChatLockError, ChatLocks, LockSettings};
use redis::AsyncCommands;

use super::{prefix, redis};

fn settings(ttl_ms: u64, max_wait_ms: u64) -> LockSettings {
    LockSettings {
        ttl: Duration::from_millis(ttl_ms),
        max_wait: Duration::from_millis(max_wait_ms),
        ..LockSettings::default()
    }
}

#[tokio::test]
async fn a_held_chat_is_refused_and_other_chats_are_free() {
    let locks = ChatLocks::new(redis().await, prefix(), settings(5000, 100));
    let held = locks.try_acquire(42).await.unwrap().expect("free at first");
    assert!(locks.try_acquire(42).await.unwrap().is_none());
    assert!(locks.try_acquire(43).await.unwrap().is_some());
    assert!(matches!(
        locks.acquire(42).await,
        Err(ChatLockError::Timeout { chat_id: 42, .. })
    ));
    assert!(held.release().await.unwrap());
    assert!(locks.try_acquire(42).await.unwrap().is_some());
}

#[tokio::test]
async fn two_processes_never_hold_one_chat_at_once() {
    let prefix = prefix();
    let inside = Arc::new(AtomicBool::new(false));
    let counter_key = format!("{prefix}counter");
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let locks = ChatLocks::new(redis().await, prefix.clone(), settings(5000, 10_000));
        let mut conn = redis().await;
        let (inside, counter_key) = (inside.clone(), counter_key.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..25 {
                let guard = locks.acquire(777).await.unwrap();
                assert!(!inside.swap(true, Ordering::SeqCst), "two holders at once");
                // A read-modify-write that loses increments unless serialised.
                let n: Option<i64> = conn.get(&counter_key).await.unwrap();
                tokio::time::sleep(Duration::from_millis(2)).await;
                let _: () = conn.set(&counter_key, n.unwrap_or(0) + 1).await.unwrap();
                inside.store(false, Ordering::SeqCst);
                assert!(guard.release().await.unwrap());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let n: i64 = redis().await.get(&counter_key).await.unwrap();
    assert_eq!(n, 50);
    let _: () = redis().await.del(&counter_key).await.unwrap();
}

#[tokio::test]
async fn the_lock_of_a_dead_holder_expires() {
    let prefix = prefix();
    let dead = ChatLocks::new(redis().await, prefix.clone(), settings(300, 100));
    // A holder that dies neither releases nor runs its destructor.
    std::mem::forget(dead.try_acquire(5).await.unwrap().unwrap());
    let other = ChatLocks::new(redis().await, prefix, settings(5000, 3000));
    let start = std::time::Instant::now();
    let guard = other.acquire(5).await.expect("taken after the expiry");
    assert!(start.elapsed() >= Duration::from_millis(200));
    guard.release().await.unwrap();
}

#[tokio::test]
async fn an_expired_holder_does_not_release_its_successors_lock() {
    let locks = ChatLocks::new(redis().await, prefix(), settings(100, 2000));
    let late = locks.try_acquire(9).await.unwrap().unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    let successor = locks.acquire(9).await.unwrap();
    assert!(!late.extend(Duration::from_secs(5)).await.unwrap());
    assert!(!late.release().await.unwrap());
    assert!(locks.try_acquire(9).await.unwrap().is_none(), "still held");
    assert!(successor.extend(Duration::from_secs(5)).await.unwrap());
    assert!(successor.release().await.unwrap());
}

#[tokio::test]
async fn a_dropped_guard_releases_in_the_background() {
    let locks = ChatLocks::new(redis().await, prefix(), settings(30_000, 2000));
    drop(locks.try_acquire(11).await.unwrap().unwrap());
    let again = locks
        .acquire(11)
        .await
        .expect("released soon after the drop");
    again.release().await.unwrap();
}
