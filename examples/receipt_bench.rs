//! What a receipt costs (run by hand, release build):
//!
//! ```text
//! cargo run --release --example receipt_bench -- 500
//! ```
//!
//! On a fresh demo database of the test server (`TEST_DATABASE_URL`, dropped at the end):
//! renders the October 2026 receipt of the demo debtor 7701000000048 N times on one core
//! (receipts per second, bytes per receipt), times the first ask of a month (gathered,
//! rendered, kept) and the resend of the kept copy, and compares the QR encoders fast_qr and
//! qrcode on the receipt's payment string.

use kabinet::billing::{AccountNumber, Period};
use kabinet::conversation::EngineSettings;
use kabinet::receipt::{self, ReceiptSettings};
use kabinet::store::testing::TestDb;
use std::time::{Duration, Instant};

fn per(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1000.0 / n as f64
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args().nth(1).map_or(Ok(500), |a| a.parse())?;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("a date");
    let db = TestDb::demo(today).await?;
    let engine = EngineSettings::default();
    let settings = ReceiptSettings {
        company: engine.company.clone(),
        due: engine.due_schedule(),
        zone: engine.utc_offset,
    };
    let october = Period::new(2026, 10)?;
    let number = AccountNumber::parse("7701000000048")?;
    let account = db
        .store
        .account_by_number(&number)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no demo account {number}"))?;

    let started = Instant::now();
    let data = receipt::gather(&db.store, &settings, &account, october)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no charges in {october}"))?;
    let gathered = started.elapsed();

    let mut bytes = 0;
    let started = Instant::now();
    for _ in 0..n {
        bytes = receipt::render(&data)?.len();
    }
    let rendering = started.elapsed();
    println!(
        "render (one core): {n} receipts in {:.2} s: {:.1} ms each, {:.0} receipts/s, {bytes} bytes ({:.1} KB) each",
        rendering.as_secs_f64(),
        per(rendering, n),
        n as f64 / rendering.as_secs_f64(),
        bytes as f64 / 1024.0
    );
    println!("gather (one receipt's queries): {:.2} ms", per(gathered, 1));

    let started = Instant::now();
    let first = receipt::obtain(&db.store, &settings, &account, october).await?;
    let first_ask = started.elapsed();
    anyhow::ensure!(first.is_some_and(|o| !o.kept), "the first ask renders");
    let resends = 200;
    let started = Instant::now();
    for _ in 0..resends {
        let again = receipt::obtain(&db.store, &settings, &account, october).await?;
        anyhow::ensure!(again.is_some_and(|o| o.kept), "later asks resend");
    }
    let resend = started.elapsed();
    println!(
        "first ask (gather + render + keep): {:.1} ms; cached resend: {:.2} ms",
        per(first_ask, 1),
        per(resend, resends)
    );

    let payload = receipt::payment_string(&data);
    let rounds = 2000;
    let started = Instant::now();
    for _ in 0..rounds {
        let code = fast_qr::QRBuilder::new(payload.as_str())
            .ecl(fast_qr::ECL::M)
            .build()
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        std::hint::black_box(code.size);
    }
    let fast = started.elapsed();
    let started = Instant::now();
    for _ in 0..rounds {
        let code =
            qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)?;
        std::hint::black_box(code.width());
    }
    let slow = started.elapsed();
    println!(
        "QR of the {}-byte payment string: fast_qr {:.3} ms, qrcode {:.3} ms",
        payload.len(),
        per(fast, rounds),
        per(slow, rounds)
    );
    Ok(())
}
