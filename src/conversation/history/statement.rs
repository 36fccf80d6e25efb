//! Charges and payments month by month: opening balance, charged, paid, closing balance (a
//! positive balance is a debt, a negative one an advance). A month opens its breakdown by
//! service — volume × rate = amount, ОДН, пени with its days, estimates marked — with a pie
//! chart of each service's share.

use super::csv::{self, Csv};
use super::{DATA, HistoryText, Screen, Subject, chart, page_of, pager, penalty};
use crate::billing::{Money, Period, Service};
use crate::charts::{PieChart, Slice};
use crate::conversation::period::DateRange;
use crate::conversation::{Btn, EngineError};
use crate::i18n::Msg;
use crate::store::charges::Charge;

/// Months per page: each takes two lines and a button.
const PER_PAGE: usize = 6;

/// One month of the statement.
#[derive(Clone, Copy, Debug, PartialEq)]
struct MonthRow {
    month: Period,
    opening: Money,
    charged: Money,
    paid: Money,
    closing: Money,
}

/// The months of the period with charges or payments, oldest first, the balance carried from
/// everything before the period.
async fn rows(subject: &Subject<'_>, range: DateRange) -> Result<Vec<MonthRow>, EngineError> {
    let store = &subject.ctx.store;
    let months = range.months();
    let (Some(&first), Some(&last)) = (months.first(), months.last()) else {
        return Ok(Vec::new());
    };
    let whole = DateRange {
        from: first.first_day(),
        to: last.last_day(),
    };
    let (since, until) = subject.instants(whole);
    let (charged_before, paid_before) = store.totals_before(subject.account, first, since).await?;
    let charges = store.charges_between(subject.account, first, last).await?;
    let zone = subject.ctx.settings.utc_offset;
    let payments = store
        .payments_between(subject.account, since, until)
        .await?;
    let mut balance = charged_before - paid_before;
    let mut rows = Vec::new();
    for month in months {
        let charged: Money = charges
            .iter()
            .filter(|c| c.period == month)
            .map(|c| c.amount)
            .sum();
        let in_month: Vec<Money> = payments
            .iter()
            .filter(|p| Period::of(p.paid_at.with_timezone(&zone).date_naive()) == month)
            .map(|p| p.amount)
            .collect();
        let has_charges = charges.iter().any(|c| c.period == month);
        let paid: Money = in_month.iter().sum();
        let opening = balance;
        balance = balance + charged - paid;
        if has_charges || !in_month.is_empty() {
            rows.push(MonthRow {
                month,
                opening,
                charged,
                paid,
                closing: balance,
            });
        }
    }
    Ok(rows)
}

pub async fn screen(
    subject: &Subject<'_>,
    range: DateRange,
    page: u16,
) -> Result<Screen, EngineError> {
    let mut months = rows(subject, range).await?;
    if months.is_empty() {
        return Ok(Screen::nothing(HistoryText::NoCharges {
            from: range.from,
            to: range.to,
        }));
    }
    months.reverse();
    let (shown, page, pages) = page_of(&months, page, PER_PAGE);
    let table: Vec<String> = shown
        .iter()
        .map(|m| {
            subject.text(HistoryText::StatementRow {
                month: m.month,
                opening: m.opening,
                charged: m.charged,
                paid: m.paid,
                closing: m.closing,
            })
        })
        .collect();
    let mut lines: Vec<Msg> = vec![
        HistoryText::StatementTitle {
            from: range.from,
            to: range.to,
        }
        .into(),
        HistoryText::Table {
            rows: table.join("\n\n"),
        }
        .into(),
    ];
    let (page_line, nav) = pager(page, pages);
    lines.extend(page_line);
    lines.push(HistoryText::OpenMonth.into());
    let mut buttons: Vec<Vec<Btn>> = shown
        .chunks(2)
        .map(|pair| {
            pair.iter()
                .map(|m| {
                    Btn::new(
                        HistoryText::MonthButton { month: m.month },
                        format!("{DATA}m:{}", m.month),
                    )
                })
                .collect()
        })
        .collect();
    if !nav.is_empty() {
        buttons.push(nav);
    }
    Ok(Screen {
        lines,
        rows: buttons,
        file: None,
        empty: false,
    })
}

/// One line of a month's breakdown.
fn charge_line(charge: &Charge, penalty_days: i64) -> HistoryText {
    let service = charge.service.code().to_owned();
    let estimated = if charge.estimated { "yes" } else { "no" }.to_owned();
    match (charge.service, charge.volume, charge.rate) {
        (Service::Penalty, _, _) => HistoryText::PenaltyLine {
            amount: charge.amount,
            days: penalty_days,
        },
        (_, Some(volume), Some(rate)) => HistoryText::VolumeLine {
            service,
            zone: charge.zone.map_or("none", |z| z.code()).to_owned(),
            volume,
            rate,
            amount: charge.amount,
            estimated,
        },
        _ => HistoryText::AmountLine {
            service,
            amount: charge.amount,
        },
    }
}

/// A month by service, with its pie chart when `with_chart`.
pub async fn month(
    subject: &Subject<'_>,
    month: Period,
    with_chart: bool,
) -> Result<Screen, EngineError> {
    let charges = subject.ctx.store.charges_of(subject.account, month).await?;
    if charges.is_empty() {
        return Ok(Screen {
            lines: vec![HistoryText::NoChargesInMonth { month }.into()],
            rows: Vec::new(),
            file: None,
            empty: true,
        });
    }
    let days = if charges.iter().any(|c| c.service == Service::Penalty) {
        penalty::days(subject, month).await?
    } else {
        0
    };
    let total: Money = charges.iter().map(|c| c.amount).sum();
    let table: Vec<String> = charges
        .iter()
        .map(|c| subject.text(charge_line(c, days)))
        .collect();
    let lines: Vec<Msg> = vec![
        HistoryText::MonthTitle { month, total }.into(),
        HistoryText::Table {
            rows: table.join("\n"),
        }
        .into(),
    ];
    let file = if with_chart {
        let pie = pie(subject, month, total, &charges);
        let name = format!("nachisleniya-{}-{month}.png", subject.number);
        chart(move || pie.png(), name).await
    } else {
        None
    };
    Ok(Screen {
        lines,
        rows: Vec::new(),
        file,
        empty: false,
    })
}

/// Each service's total in the month, a slice each.
fn pie(subject: &Subject<'_>, month: Period, total: Money, charges: &[Charge]) -> PieChart {
    let slices = Service::ALL
        .into_iter()
        .filter_map(|service| {
            let of: Vec<&Charge> = charges.iter().filter(|c| c.service == service).collect();
            if of.is_empty() {
                return None;
            }
            let amount: Money = of.iter().map(|c| c.amount).sum();
            let legend = subject.text(HistoryText::Legend {
                service: service.code().to_owned(),
                amount,
            });
            Some(Slice {
                legend,
                value: amount.amount(),
            })
        })
        .collect();
    PieChart {
        title: subject.text(HistoryText::ChartMonth { month, total }),
        slices,
    }
}

/// The statement of the period, oldest month first.
pub async fn csv(
    subject: &Subject<'_>,
    range: DateRange,
) -> Result<(Vec<u8>, &'static str), EngineError> {
    let months = rows(subject, range).await?;
    let mut doc = Csv::new(&subject.text(HistoryText::CsvStatement));
    for m in &months {
        doc.row([
            format!("{:02}.{}", m.month.month(), m.month.year()),
            csv::money(m.opening),
            csv::money(m.charged),
            csv::money(m.paid),
            csv::money(m.closing),
        ]);
    }
    Ok((doc.into_bytes(), "nachisleniya"))
}
