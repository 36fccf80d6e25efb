//! Receipts on the demo data: the PDF's text as pdftotext reads it, its QR code as a real
//! decoder reads it, the kept copy, and the document in Telegram.

use crate::support::fixed_now;
use kabinet::billing::{AccountNumber, Period};
use kabinet::conversation::EngineSettings;
use kabinet::receipt::{self, Receipt, ReceiptSettings};
use kabinet::store::Store;
use kabinet::store::accounts::Account;
use kabinet::store::testing::TestDb;
use std::path::{Path, PathBuf};
use std::process::Command;

fn settings() -> ReceiptSettings {
    let engine = EngineSettings::default();
    ReceiptSettings {
        company: engine.company.clone(),
        due: engine.due_schedule(),
        zone: engine.utc_offset,
    }
}

fn october() -> Period {
    "2026-10".parse().unwrap()
}

async fn demo() -> TestDb {
    TestDb::demo(fixed_now().date_naive())
        .await
        .expect("demo database")
}

async fn account(store: &Store, number: &str) -> Account {
    let number = AccountNumber::parse(number).unwrap();
    store.account_by_number(&number).await.unwrap().unwrap()
}

/// A fresh directory under the system's temp dir.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kabinet-receipt-{:x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (poppler-utils, zbar-tools)"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The PDF's text, whitespace runs (spaces, no-break spaces, line breaks) made one space.
fn pdf_text(pdf: &Path) -> String {
    let out = run(Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-"));
    one_space(&String::from_utf8(out).unwrap())
}

fn one_space(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The page rasterised at 200 dpi in grey.
fn raster(pdf: &Path) -> PathBuf {
    let base = pdf.with_extension("");
    run(Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&base));
    base.with_extension("png")
}

/// The QR code on the page as zbarimg reads it (raw bytes, no charset guessing). rqrr finds
/// no code on a whole page of text, so the real decoder here is zbar.
fn zbar(png: &Path) -> String {
    let out = run(Command::new("zbarimg")
        .args(["--raw", "-q", "-Sbinary"])
        .arg(png));
    String::from_utf8(out)
        .unwrap()
        .trim_end_matches('\n')
        .to_owned()
}

async fn rendered(store: &Store, number: &str) -> (Receipt, PathBuf) {
    let account = account(store, number).await;
    let receipt = receipt::gather(store, &settings(), &account, october())
        .await
        .unwrap()
        .expect("October 2026 has charges");
    let pdf = receipt::render(&receipt).unwrap();
    let path = scratch().join(Receipt::file_name(&receipt.account, october()));
    std::fs::write(&path, pdf).unwrap();
    (receipt, path)
}

#[tokio::test]
async fn the_debtors_october_receipt_shows_every_line_the_penalty_the_total_and_the_due_date() {
    let db = demo().await;
    let (receipt, pdf) = rendered(&db.store, "7701000000048").await;
    assert!(
        receipt.penalty.is_positive(),
        "the demo debtor owes a penalty"
    );
    assert!(
        receipt.opening.is_positive(),
        "and a debt from earlier months"
    );
    let text = pdf_text(&pdf);
    let amount =
        |m: kabinet::billing::Money| one_space(&m.to_string().replace('₽', "")).trim().to_owned();
    for expected in [
        "Сидоров Пётр Алексеевич".to_owned(),
        "7701000000048".to_owned(),
        "ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ за октябрь 2026".to_owned(),
        format!("Пени (ч. 14 ст. 155 ЖК РФ) {}", amount(receipt.penalty)),
        format!("ИТОГО К ОПЛАТЕ {} ₽", amount(receipt.total_due())),
        format!("Оплатить до {}", receipt.due_date.format("%d.%m.%Y")),
        "15.11.2026".to_owned(),
        receipt.supplier.name.clone(),
        format!("БИК {}", receipt.supplier.bic),
    ] {
        assert!(text.contains(&expected), "«{expected}» not in:\n{text}");
    }
    for line in &receipt.lines {
        let word = match line.service {
            kabinet::billing::Service::Odn => "Электроэнергия на ОДН",
            _ => "Электроэнергия (инд. потребление)",
        };
        assert!(text.contains(word), "«{word}» not in:\n{text}");
        assert!(
            text.contains(&amount(line.amount)),
            "{line:?} not in:\n{text}"
        );
    }
    for meter in &receipt.meters {
        assert!(text.contains(&meter.serial), "{meter:?} not in:\n{text}");
    }
}

#[tokio::test]
async fn the_qr_code_on_the_page_is_exactly_the_gost_payment_string_with_the_penalty() {
    let db = demo().await;
    let (receipt, pdf) = rendered(&db.store, "7701000000048").await;
    let expected = receipt::payment_string(&receipt);
    assert!(expected.contains(&format!("|AddAmount={}|", receipt.penalty.kopecks())));
    assert!(expected.contains(&format!("|Sum={}|", receipt.total_due().kopecks())));
    let png = raster(&pdf);
    assert_eq!(zbar(&png), expected);
}

#[tokio::test]
async fn a_receipt_is_under_100_kb_and_its_text_extracts_for_every_demo_account() {
    let db = demo().await;
    for number in [
        "7701000000017",
        "7701000000024",
        "7701000000031",
        "7701000000055",
    ] {
        let (receipt, pdf) = rendered(&db.store, number).await;
        let size = std::fs::metadata(&pdf).unwrap().len();
        assert!(size < 100 * 1024, "{number}: {size} bytes");
        let text = pdf_text(&pdf);
        assert!(text.contains(&receipt.holder), "{number}:\n{text}");
        assert_eq!(
            zbar(&raster(&pdf)),
            receipt::payment_string(&receipt),
            "{number}"
        );
    }
}

#[tokio::test]
async fn the_kept_copy_is_resent_byte_for_byte() {
    let db = demo().await;
    let account = account(&db.store, "7701000000048").await;
    let first = receipt::obtain(&db.store, &settings(), &account, october())
        .await
        .unwrap()
        .unwrap();
    assert!(!first.kept, "the first ask renders");
    let again = receipt::obtain(&db.store, &settings(), &account, october())
        .await
        .unwrap()
        .unwrap();
    assert!(again.kept, "the second ask resends the kept copy");
    assert_eq!(again.pdf, first.pdf);
    assert_eq!(again.total_due, first.total_due);
    assert_eq!(again.file_name, "kvitanciya-7701000000048-2026-10.pdf");
    let fresh = receipt::gather(&db.store, &settings(), &account, october())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        receipt::render(&fresh).unwrap(),
        first.pdf,
        "rendering is deterministic"
    );
}

#[tokio::test]
async fn a_month_without_charges_has_no_receipt_and_is_not_kept() {
    let db = demo().await;
    let account = account(&db.store, "7701000000048").await;
    let long_ago: Period = "2020-01".parse().unwrap();
    let got = receipt::obtain(&db.store, &settings(), &account, long_ago)
        .await
        .unwrap();
    assert_eq!(got, None);
    assert_eq!(
        db.store.kept_receipt(account.id, long_ago).await.unwrap(),
        None
    );
}

#[tokio::test]
async fn the_receipts_command_writes_every_account_of_the_month() {
    let db = demo().await;
    let dir = scratch();
    let report = receipt::write_month(&db.store, &settings(), october(), &dir, 2, |_, _| {})
        .await
        .unwrap();
    let charged = db.store.accounts_charged_in(october()).await.unwrap();
    assert_eq!(report.written, charged.len());
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(files, charged.len());
    assert!(dir.join("kvitanciya-7701000000048-2026-10.pdf").exists());
}
