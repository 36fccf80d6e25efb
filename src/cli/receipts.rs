//! `kabinet receipt NUMBER YYYY-MM -o FILE` and `kabinet receipts YYYY-MM --out DIR`.

use anyhow::Context;
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use kabinet::billing::{AccountNumber, Period};
use kabinet::config::Settings;
use kabinet::receipt::{self, MonthCheck, Receipt, ReceiptSettings};
use kabinet::store::Store;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn receipt_settings(settings: &Settings) -> ReceiptSettings {
    ReceiptSettings {
        company: settings.company.clone(),
        due: super::due_schedule(settings),
        zone: chrono::FixedOffset::east_opt(3 * 3600).expect("+03:00"),
    }
}

/// One account's receipt into a file (the kept copy when there is one).
pub async fn one(
    store: &Store,
    settings: &Settings,
    number: &str,
    period: Period,
    output: Option<PathBuf>,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let number = match AccountNumber::parse(number) {
        Ok(number) => number,
        Err(e) => {
            eprintln!("kabinet: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let Some(account) = store.account_by_number(&number).await? else {
        eprintln!("kabinet: no account {number}");
        return Ok(ExitCode::FAILURE);
    };
    let months = receipt::months_with_receipts(store, &account).await?;
    match receipt::check_month(&months, period, today) {
        MonthCheck::Ready => {}
        MonthCheck::NotClosed => {
            eprintln!("kabinet: {period} is not closed yet: no receipt");
            return Ok(ExitCode::FAILURE);
        }
        MonthCheck::BeforeAccount { first } => {
            eprintln!("kabinet: {number} is billed since {first}: no receipt for {period}");
            return Ok(ExitCode::FAILURE);
        }
        MonthCheck::NoCharges => {
            eprintln!("kabinet: no charges for {number} in {period}: no receipt");
            return Ok(ExitCode::FAILURE);
        }
    }
    let got = receipt::obtain(store, &receipt_settings(settings), &account, period)
        .await
        .with_context(|| format!("the receipt of {number} for {period}"))?
        .context("the month has no charges")?;
    let path = output.unwrap_or_else(|| PathBuf::from(Receipt::file_name(&number, period)));
    std::fs::write(&path, &got.pdf).with_context(|| format!("writing {}", path.display()))?;
    println!(
        "{}: {} bytes, {} due by {}",
        path.display(),
        got.pdf.len(),
        got.total_due,
        got.due_date.format("%d.%m.%Y")
    );
    Ok(ExitCode::SUCCESS)
}

/// Every receipt of a closed month into `dir`, with a progress bar, on every core.
pub async fn month(
    store: &Store,
    settings: &Settings,
    period: Period,
    dir: &Path,
    threads: Option<usize>,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    if period >= Period::of(today) {
        eprintln!("kabinet: {period} is not closed yet: no receipts");
        return Ok(ExitCode::FAILURE);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let threads = threads
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1);
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{pos}/{len} receipts [{bar:40}] {per_sec}, {eta} left")
            .context("the progress bar's template")?
            .progress_chars("=> "),
    );
    let shown = bar.clone();
    let report = receipt::write_month(
        store,
        &receipt_settings(settings),
        period,
        dir,
        threads,
        move |done, total| {
            shown.set_length(total as u64);
            shown.set_position(done as u64);
        },
    )
    .await
    .with_context(|| format!("writing the receipts of {period}"))?;
    bar.finish();
    let secs = report.elapsed.as_secs_f64();
    println!(
        "{period}: {} receipts in {} ({:.1} s, {:.0} a second, {} KB each on average, {threads} threads)",
        report.written,
        dir.display(),
        secs,
        report.written as f64 / secs.max(1e-9),
        report.bytes / 1024 / (report.written.max(1) as u64),
    );
    Ok(ExitCode::SUCCESS)
}
