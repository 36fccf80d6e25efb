//! Times `seed_synthetic` on a fresh database of the test server (`TEST_DATABASE_URL`).
//!
//! `cargo run --release --example seed_bench -- 100000 [YYYY-MM-DD]`

use kabinet::store::testing::TestDb;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().unwrap_or_else(|| "10000".into()).parse()?;
    let today = match args.next() {
        Some(day) => day.parse()?,
        None => chrono::Local::now().date_naive(),
    };
    let db = TestDb::new().await?;
    let started = Instant::now();
    let mut last_print = Instant::now();
    let report = kabinet::demo::seed_synthetic(&db.store, n, today, |done| {
        if last_print.elapsed().as_secs() >= 5 || done == n {
            eprintln!("{done} accounts, {:.1} s", started.elapsed().as_secs_f64());
            last_print = Instant::now();
        }
    })
    .await?;
    let elapsed = started.elapsed().as_secs_f64();
    println!("{n} synthetic accounts seeded in {elapsed:.1} s: {report}");
    Ok(())
}
