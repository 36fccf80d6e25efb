//! The readings of a period, per meter and zone: date, value, the volume since the reading
//! before, and where it came from; ordered by date, meter or value, paged.

use super::csv::{self, Csv};
use super::{DATA, HistoryText, Screen, Sort, Subject, page_of, pager};
use crate::billing::{ReadingSource, Zone};
use crate::conversation::period::DateRange;
use crate::conversation::{Btn, EngineError};
use crate::i18n::{Msg, format_date};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Table rows per page.
const PER_PAGE: usize = 12;

/// One reading with its volume.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    serial: String,
    /// Position of the zone in the meter's order, for sorting by meter.
    zone_order: usize,
    zone: Zone,
    date: NaiveDate,
    value: Decimal,
    /// Since the reading before of the same meter and zone; `None` for the first one.
    volume: Option<Decimal>,
    source: ReadingSource,
}

/// The readings taken in the period; volumes count from the reading before, even when that
/// one is older than the period. A value below the one before is a rollover of the display.
async fn load(subject: &Subject<'_>, range: DateRange) -> Result<Vec<Row>, EngineError> {
    let store = &subject.ctx.store;
    let mut rows = Vec::new();
    for meter in store.meters_of(subject.account).await? {
        let zones = meter.zones();
        let all = store
            .readings_between(meter.id, since_ever(), range.to)
            .await?;
        let wrap = Decimal::from(10u64.pow(u32::from(meter.digits.min(18))));
        for (zone_order, &zone) in zones.iter().enumerate() {
            let mut before: Option<Decimal> = None;
            for reading in all.iter().filter(|r| r.zone == zone) {
                let volume = before.map(|b| {
                    if reading.value >= b {
                        reading.value - b
                    } else {
                        reading.value + wrap - b
                    }
                });
                before = Some(reading.value);
                if reading.taken_on >= range.from {
                    rows.push(Row {
                        serial: meter.serial.clone(),
                        zone_order,
                        zone,
                        date: reading.taken_on,
                        value: reading.value,
                        volume,
                        source: reading.source,
                    });
                }
            }
        }
    }
    Ok(rows)
}

/// Before any reading: the volume of the first one in the period needs the one before it.
fn since_ever() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()
}

fn sort(rows: &mut [Row], by: Sort) {
    match by {
        Sort::Date => rows.sort_by(|a, b| {
            (b.date, &a.serial, a.zone_order).cmp(&(a.date, &b.serial, b.zone_order))
        }),
        Sort::Meter => rows.sort_by(|a, b| {
            (&a.serial, a.zone_order, b.date).cmp(&(&b.serial, b.zone_order, a.date))
        }),
        Sort::Value => rows.sort_by_key(|r| std::cmp::Reverse((r.value, r.date))),
    }
}

fn line(row: &Row) -> HistoryText {
    let (serial, zone, date, value, source) = (
        row.serial.clone(),
        row.zone.code().to_owned(),
        row.date,
        row.value,
        row.source.code().to_owned(),
    );
    match row.volume {
        Some(volume) => HistoryText::ReadingRow {
            serial,
            zone,
            date,
            value,
            volume,
            source,
        },
        None => HistoryText::ReadingRowFirst {
            serial,
            zone,
            date,
            value,
            source,
        },
    }
}

pub async fn screen(
    subject: &Subject<'_>,
    range: DateRange,
    by: Sort,
    page: u16,
) -> Result<Screen, EngineError> {
    let mut rows = load(subject, range).await?;
    if rows.is_empty() {
        return Ok(Screen::nothing(HistoryText::NoReadings {
            from: range.from,
            to: range.to,
        }));
    }
    sort(&mut rows, by);
    let (shown, page, pages) = page_of(&rows, page, PER_PAGE);
    let table: Vec<String> = shown.iter().map(|r| subject.text(line(r))).collect();
    let mut lines: Vec<Msg> = vec![
        HistoryText::ReadingsTitle {
            from: range.from,
            to: range.to,
            count: rows.len(),
        }
        .into(),
        HistoryText::Table {
            rows: table.join("\n"),
        }
        .into(),
    ];
    let (page_line, nav) = pager(page, pages);
    lines.extend(page_line);
    let sorts = Sort::ALL
        .into_iter()
        .map(|s| {
            let code = s.code().to_owned();
            let label = if s == by {
                HistoryText::SortChosen { by: code }
            } else {
                HistoryText::SortBy { by: code }
            };
            Btn::new(label, format!("{DATA}s:{}", s.code()))
        })
        .collect();
    let mut buttons = vec![sorts];
    if !nav.is_empty() {
        buttons.insert(0, nav);
    }
    Ok(Screen {
        lines,
        rows: buttons,
        file: None,
        empty: false,
    })
}

/// Every reading of the period, by meter, zone and date.
pub async fn csv(
    subject: &Subject<'_>,
    range: DateRange,
) -> Result<(Vec<u8>, &'static str), EngineError> {
    let mut rows = load(subject, range).await?;
    rows.sort_by(|a, b| (&a.serial, a.zone_order, a.date).cmp(&(&b.serial, b.zone_order, b.date)));
    let mut doc = Csv::new(&subject.text(HistoryText::CsvReadings));
    for r in &rows {
        doc.row([
            r.serial.clone(),
            subject.text(HistoryText::Zone {
                zone: r.zone.code().to_owned(),
            }),
            format_date(r.date),
            csv::number(r.value),
            r.volume.map(csv::number).unwrap_or_default(),
            subject.text(HistoryText::ReadingSource {
                source: r.source.code().to_owned(),
            }),
        ]);
    }
    Ok((doc.into_bytes(), "pokazaniya"))
}
