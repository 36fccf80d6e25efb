//! The histories on the demo data: what the statement and the CSV files say against what the
//! store and the accounting say by other roads.

use crate::support::{Harness, fixtures};
use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use kabinet::accounting::account_balance;
use kabinet::billing::{DueDay, DueSchedule, Money, Period};
use kabinet::conversation::{AttachmentKind, Event, Press, Reply};
use kabinet::store::accounts::AccountId;
use kabinet::store::chats;

const CHAT: i64 = 7_100_001;

/// A chat linked to a demo account, at the history's kinds.
async fn linked(number: &str) -> (Harness, AccountId) {
    let h = Harness::new().await;
    let store = &h.db.store;
    let id = fixtures::account_id(store, number).await.unwrap();
    chats::ensure(store.pool(), CHAT).await.unwrap();
    chats::link(store.pool(), CHAT, id, 0).await.unwrap();
    (h, AccountId(id))
}

async fn send(h: &Harness, event: Event) -> Vec<Reply> {
    h.engine
        .handle(CHAT, event)
        .await
        .expect("the engine answers")
}

/// Presses the button `label` of `replies`.
async fn press(h: &Harness, replies: &[Reply], label: &str) -> Vec<Reply> {
    let data = replies
        .iter()
        .flat_map(Reply::buttons)
        .find_map(|(l, p)| match p {
            Press::Data(data) if l == label => Some(data),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no button [{label}] in {replies:#?}"));
    send(h, Event::Button(data)).await
}

/// The CSV file of the replies as rows of fields, header first, without the BOM.
fn csv_rows(replies: &[Reply]) -> Vec<Vec<String>> {
    let file = replies
        .iter()
        .find_map(|r| r.attachment.as_ref())
        .expect("a file");
    assert_eq!(file.kind, AttachmentKind::Csv);
    let text = String::from_utf8(file.bytes.clone()).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').map(str::to_owned).collect())
        .collect()
}

fn rubles(field: &str) -> Money {
    Money::from_decimal(field.replace(',', ".").parse().expect("a decimal"))
}

#[tokio::test]
async fn the_statement_csv_chains_its_balances_and_ends_at_the_accounts_balance() {
    let (h, account) = linked("7701000000048").await;
    let kinds = send(&h, Event::from_line("/history")).await;
    let picker = press(&h, &kinds, "Начисления и оплаты").await;
    let screen = press(&h, &picker, "Всё время").await;
    let rows = csv_rows(&press(&h, &screen, "Скачать CSV").await);
    assert_eq!(rows[0][0], "Месяц");
    let months = &rows[1..];
    assert!(months.len() >= 24, "two years of months: {}", months.len());
    for pair in months.windows(2) {
        assert_eq!(
            pair[0][4], pair[1][1],
            "a month opens with the closing before it"
        );
    }
    for m in months {
        let closing = rubles(&m[1]) + rubles(&m[2]) - rubles(&m[3]);
        assert_eq!(closing, rubles(&m[4]), "{m:?}");
    }
    // Every charge and payment is in the period: it ends where the ledger ends.
    assert_eq!(
        rubles(&months[0][1]),
        Money::ZERO,
        "nothing before the history"
    );
    let store = &h.db.store;
    let today = h.engine.ctx().today();
    let due = DueSchedule::new(DueDay::new(15).unwrap());
    let moscow = FixedOffset::east_opt(3 * 3600).unwrap();
    let balance = account_balance(store, account, today, &due, moscow)
        .await
        .unwrap();
    let last = months.last().unwrap();
    assert_eq!(rubles(&last[4]), balance.balances.total());
    let charged: Money = months.iter().map(|m| rubles(&m[2])).sum();
    let all = store
        .charges_between(account, Period::new(2000, 1).unwrap(), Period::of(today))
        .await
        .unwrap();
    assert_eq!(charged, all.iter().map(|c| c.amount).sum::<Money>());
}

#[tokio::test]
async fn the_payments_csv_lists_every_payment_of_the_period() {
    let (h, account) = linked("7701000000079").await;
    let kinds = send(&h, Event::from_line("/history")).await;
    let picker = press(&h, &kinds, "Платежи").await;
    let screen = press(&h, &picker, "12 месяцев").await;
    // A chart comes with the first page.
    assert!(screen.iter().any(|r| {
        r.attachment
            .as_ref()
            .is_some_and(|a| a.kind == AttachmentKind::Png)
    }));
    let rows = csv_rows(&press(&h, &screen, "Скачать CSV").await);
    let from = Utc.with_ymd_and_hms(2025, 11, 30, 21, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 11, 20, 21, 0, 0).unwrap();
    let stored =
        h.db.store
            .payments_between(account, from, to)
            .await
            .unwrap();
    assert_eq!(rows.len() - 1, stored.len());
    let total: Money = rows[1..].iter().map(|r| rubles(&r[2])).sum();
    assert_eq!(total, stored.iter().map(|p| p.amount).sum::<Money>());
    let first = NaiveDate::parse_from_str(&rows[1][0], "%d.%m.%Y").unwrap();
    assert!(first >= NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
}

#[tokio::test]
async fn history_starts_at_the_first_thing_stored_for_the_account() {
    let (h, account) = linked("7701000000017").await;
    let store = &h.db.store;
    let start = store
        .history_start(account)
        .await
        .unwrap()
        .expect("history");
    let meters = store.meters_of(account).await.unwrap();
    let day_before = start.pred_opt().unwrap();
    for meter in &meters {
        let earlier = store
            .readings_between(
                meter.id,
                NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(),
                day_before,
            )
            .await
            .unwrap();
        assert!(earlier.is_empty(), "no reading before the start");
    }
    let charges = store
        .charges_between(
            account,
            Period::new(1900, 1).unwrap(),
            Period::of(start).prev(),
        )
        .await
        .unwrap();
    assert!(charges.is_empty(), "no charge before the start");
    let readings_at_start = store
        .readings_between(meters[0].id, start, start)
        .await
        .unwrap();
    assert!(
        !readings_at_start.is_empty(),
        "the baseline reading is the start"
    );
    // Nothing is charged or paid before the start.
    let (charged, paid) = store
        .totals_before(account, Period::of(start), Utc.timestamp_opt(0, 0).unwrap())
        .await
        .unwrap();
    assert_eq!((charged, paid), (Money::ZERO, Money::ZERO));
}
