use std::time::Duration;

use kabinet::channels::telegram::dedup::UpdateDedup;

use super::{prefix, redis};

#[tokio::test]
async fn an_update_is_claimed_once() {
    let dedup = UpdateDedup::new(redis().await, prefix(), Duration::from_secs(60));
    assert!(dedup.claim(1001).await.unwrap());
    assert!(!dedup.claim(1001).await.unwrap());
    assert!(dedup.claim(1002).await.unwrap());
}

#[tokio::test]
async fn racing_processes_claim_each_update_once() {
    let prefix = prefix();
    let a = UpdateDedup::new(redis().await, prefix.clone(), Duration::from_secs(60));
    let b = UpdateDedup::new(redis().await, prefix, Duration::from_secs(60));
    for id in 0..50u32 {
        let (x, y) = tokio::join!(a.claim(id), b.claim(id));
        assert!(
            x.unwrap() ^ y.unwrap(),
            "update {id} must be claimed by exactly one"
        );
    }
}

#[tokio::test]
async fn a_forgotten_claim_lets_a_redelivery_through() {
    let dedup = UpdateDedup::new(redis().await, prefix(), Duration::from_secs(60));
    assert!(dedup.claim(7).await.unwrap());
    dedup.forget(7).await.unwrap();
    assert!(dedup.claim(7).await.unwrap());
}

#[tokio::test]
async fn claims_expire_after_their_ttl() {
    let dedup = UpdateDedup::new(redis().await, prefix(), Duration::from_millis(200));
    assert!(dedup.claim(9).await.unwrap());
    // Rounded up to one second.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(dedup.claim(9).await.unwrap());
}
