//! The payments of a period: a table (date, service, amount, source), newest first, and a bar
//! chart of the money paid each month.

use super::csv::{self, Csv};
use super::{HistoryText, Screen, Subject, chart, page_of, pager};
use crate::billing::{Money, Period};
use crate::charts::{Bar, BarChart};
use crate::conversation::EngineError;
use crate::conversation::period::DateRange;
use crate::i18n::{Msg, format_date};
use crate::store::payments::Payment;
use chrono::NaiveDate;

/// Table rows per page: short lines, so a page stays well inside a Telegram message.
const PER_PAGE: usize = 15;

/// A payment as the history shows it: on its local day.
struct Paid {
    date: NaiveDate,
    payment: Payment,
}

async fn load(subject: &Subject<'_>, range: DateRange) -> Result<Vec<Paid>, EngineError> {
    let (from, to) = subject.instants(range);
    let zone = subject.ctx.settings.utc_offset;
    let payments = subject
        .ctx
        .store
        .payments_between(subject.account, from, to)
        .await?;
    Ok(payments
        .into_iter()
        .map(|payment| Paid {
            date: payment.paid_at.with_timezone(&zone).date_naive(),
            payment,
        })
        .collect())
}

fn row(paid: &Paid) -> HistoryText {
    HistoryText::PaymentRow {
        date: paid.date,
        service: service_code(&paid.payment),
        amount: paid.payment.amount,
        source: paid.payment.source.code().to_owned(),
    }
}

/// The service the payment was for, or `all` when it paid for everything owed.
fn service_code(payment: &Payment) -> String {
    payment.service.map_or("all", |s| s.code()).to_owned()
}

pub async fn screen(
    subject: &Subject<'_>,
    range: DateRange,
    page: u16,
    with_chart: bool,
) -> Result<Screen, EngineError> {
    let mut paid = load(subject, range).await?;
    if paid.is_empty() {
        return Ok(Screen::nothing(HistoryText::NoPayments {
            from: range.from,
            to: range.to,
        }));
    }
    let total: Money = paid.iter().map(|p| p.payment.amount).sum();
    let file = if with_chart {
        let bars = bars(subject, range, &paid);
        let name = format!("platezhi-{}.png", subject.number);
        chart(move || bars.png(), name).await
    } else {
        None
    };
    paid.reverse();
    let (shown, page, pages) = page_of(&paid, page, PER_PAGE);
    let table: Vec<String> = shown.iter().map(|p| subject.text(row(p))).collect();
    let mut lines: Vec<Msg> = vec![
        HistoryText::PaymentsTitle {
            from: range.from,
            to: range.to,
            count: paid.len(),
            total,
        }
        .into(),
        HistoryText::Table {
            rows: table.join("\n"),
        }
        .into(),
    ];
    let (page_line, nav) = pager(page, pages);
    lines.extend(page_line);
    Ok(Screen {
        lines,
        rows: vec![nav].into_iter().filter(|r| !r.is_empty()).collect(),
        file,
        empty: false,
    })
}

/// The money paid in each month of the period (months without payments at zero).
fn bars(subject: &Subject<'_>, range: DateRange, paid: &[Paid]) -> BarChart {
    let bars = range
        .months()
        .into_iter()
        .map(|month| Bar {
            label: subject.short_month(month),
            value: paid
                .iter()
                .filter(|p| Period::of(p.date) == month)
                .map(|p| p.payment.amount)
                .sum::<Money>()
                .amount(),
        })
        .collect();
    BarChart {
        title: subject.text(HistoryText::ChartPayments),
        unit: "₽".into(),
        bars,
    }
}

/// Every payment of the period, oldest first.
pub async fn csv(
    subject: &Subject<'_>,
    range: DateRange,
) -> Result<(Vec<u8>, &'static str), EngineError> {
    let paid = load(subject, range).await?;
    let mut doc = Csv::new(&subject.text(HistoryText::CsvPayments));
    for p in &paid {
        doc.row([
            format_date(p.date),
            subject.text(HistoryText::Service {
                service: service_code(&p.payment),
            }),
            csv::money(p.payment.amount),
            subject.text(HistoryText::Source {
                source: p.payment.source.code().to_owned(),
            }),
        ]);
    }
    Ok((doc.into_bytes(), "platezhi"))
}
