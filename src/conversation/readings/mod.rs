//! Meter readings of the current account: each meter and zone, validated, charged, stored.
//!
//! ```text
//! > /readings
//! < Электроснабжение · 353425345 · 19.10.2026 · 5910 · тариф 6,54 ₽ за кВт·ч
//! < Введите текущее показание счётчика 353425345 (не больше 5 цифр).
//! > 5952
//! < Расход 42 кВт·ч × 6,54 ₽ = 274,68 ₽
//! < Итого: 274,68 ₽. Внести показания?
//! < [Внести показания] [Исправить] [Отмена]
//! > [Внести показания]
//! < Спасибо. Ваши показания занесены без ошибок.
//! ```
//!
//! A multi-zone meter is asked zone by zone, several meters one after another; each meter's
//! zones are stored together once confirmed. A rollover or an unusual jump asks
//! [Да, верно] / [Исправить] first. Outside the reading window the review says which period
//! the readings count for.

mod check;
mod review;
mod sheet;
mod text;

pub use text::{Price, ReadingsText, ZoneArg};

use super::texts::CommonText;
use super::{Btn, ChatCtx, Ctx, Event, Out, State, Turn, say, stale_button, to_menu};
use crate::billing::{Period, ReadingSource};
use crate::store::meters::MeterId;
use check::{Verdict, check};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sheet::{MeterSheet, Sheet};

/// What the readings flow waits for. `values` are the readings typed so far for `meter`'s
/// zones, in receipt order; the zone asked is the next one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The reading of the next zone.
    AskValue {
        meter: MeterId,
        values: Vec<Decimal>,
    },
    /// `value` for the next zone is a rollover or an unusual jump: [Да, верно] or [Исправить]
    /// (or the value typed again).
    ConfirmValue {
        meter: MeterId,
        values: Vec<Decimal>,
        value: Decimal,
    },
    /// Every zone read and the charge shown: [Внести показания], [Исправить] or [Отмена].
    Review {
        meter: MeterId,
        values: Vec<Decimal>,
    },
}

impl Step {
    fn meter(&self) -> MeterId {
        match self {
            Step::AskValue { meter, .. }
            | Step::ConfirmValue { meter, .. }
            | Step::Review { meter, .. } => *meter,
        }
    }
}

const YES: &str = "readings:yes";
const FIX: &str = "readings:fix";
const SUBMIT: &str = "readings:submit";

/// Lists the meters with their previous readings and asks for the first one.
pub async fn start(ctx: &Ctx, chat: &ChatCtx, _args: &str) -> Turn {
    let Some(sheet) = Sheet::load(ctx, chat).await? else {
        return to_menu(CommonText::NeedAccount);
    };
    let Some(first) = sheet.meters.first() else {
        return to_menu(ReadingsText::NoMeters);
    };
    let mut outs: Vec<Out> = rows(&sheet).into_iter().map(|t| say(t).into()).collect();
    let (state, ask) = ask(first, Vec::new());
    outs.extend(ask);
    Ok((state, outs))
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    let Some(sheet) = Sheet::load(ctx, chat).await? else {
        return to_menu(CommonText::NeedAccount);
    };
    let Some(meter) = sheet.meter(state.meter()) else {
        return to_menu(ReadingsText::MetersChanged);
    };
    match (state, event) {
        (Step::AskValue { values, .. } | Step::ConfirmValue { values, .. }, Event::Text(typed)) => {
            typed_value(ctx, &sheet, meter, values, &typed).await
        }
        (
            Step::ConfirmValue {
                mut values, value, ..
            },
            Event::Button(data),
        ) if data == YES => {
            values.push(value);
            next_zone(&sheet, meter, values)
        }
        (Step::ConfirmValue { values, .. }, Event::Button(data)) if data == FIX => {
            Ok(ask(meter, values))
        }
        (Step::Review { values, .. }, Event::Button(data)) if data == SUBMIT => {
            submit(ctx, &sheet, meter, values).await
        }
        (Step::Review { .. }, Event::Button(data)) if data == FIX => Ok(ask(meter, Vec::new())),
        (_, Event::Button(_)) => stale_button(),
        (Step::AskValue { values, .. }, _) => Ok(ask(meter, values)),
        (state @ Step::ConfirmValue { .. }, _) => press_button(state, confirm_buttons()),
        (state @ Step::Review { .. }, _) => press_button(state, review_buttons()),
    }
}

/// The web form's table: one row per meter zone.
fn rows(sheet: &Sheet) -> Vec<ReadingsText> {
    let mut rows = Vec::new();
    for meter in &sheet.meters {
        for zone in &meter.zones {
            let (name, serial, rate) = (ZoneArg(zone.zone), meter.serial.clone(), Price(zone.rate));
            rows.push(match &zone.previous {
                Some(previous) => ReadingsText::Row {
                    zone: name,
                    serial,
                    date: previous.taken_on,
                    value: previous.value,
                    rate,
                },
                None => ReadingsText::RowUnread {
                    zone: name,
                    serial,
                    rate,
                },
            });
        }
    }
    rows
}

/// Asks for the zone after `values`; with every zone read, shows the review instead.
fn ask(meter: &MeterSheet, values: Vec<Decimal>) -> (State, Vec<Out>) {
    let Some(zone) = meter.zones.get(values.len()) else {
        return (
            State::Readings(Step::Review {
                meter: meter.id,
                values,
            }),
            Vec::new(),
        );
    };
    let text = ReadingsText::Ask {
        zone: ZoneArg(zone.zone),
        serial: meter.serial.clone(),
        digits: meter.spec.digits().into(),
    };
    let state = State::Readings(Step::AskValue {
        meter: meter.id,
        values,
    });
    (
        state,
        vec![say(text).buttons(vec![vec![Btn::cancel()]]).into()],
    )
}

async fn typed_value(
    ctx: &Ctx,
    sheet: &Sheet,
    meter: &MeterSheet,
    mut values: Vec<Decimal>,
    typed: &str,
) -> Turn {
    let Some(zone) = meter.zones.get(values.len()) else {
        return review_turn(sheet, meter, values);
    };
    match check(ctx, sheet, meter, zone, typed).await? {
        Verdict::Accept(value) => {
            values.push(value);
            next_zone(sheet, meter, values)
        }
        Verdict::Confirm(value, question) => {
            let buttons = confirm_buttons();
            let state = State::Readings(Step::ConfirmValue {
                meter: meter.id,
                values,
                value,
            });
            Ok((state, vec![say(question).buttons(buttons).into()]))
        }
        Verdict::Refuse(why) => {
            let (state, mut outs) = ask(meter, values);
            outs.insert(0, say(why).into());
            Ok((state, outs))
        }
    }
}

/// The next zone's question, or the review once every zone is read.
fn next_zone(sheet: &Sheet, meter: &MeterSheet, values: Vec<Decimal>) -> Turn {
    if values.len() < meter.zones.len() {
        Ok(ask(meter, values))
    } else {
        review_turn(sheet, meter, values)
    }
}

fn review_turn(sheet: &Sheet, meter: &MeterSheet, values: Vec<Decimal>) -> Turn {
    let (lines, total) = review::review(sheet, meter, &values);
    let mut outs: Vec<Out> = lines.into_iter().map(|t| say(t).into()).collect();
    let placement = sheet.placement;
    let window = sheet.window;
    if !placement.in_window {
        let note = if placement.period > Period::of(sheet.today) {
            ReadingsText::NextPeriod {
                day: window.end_day(),
                period: placement.period,
            }
        } else {
            ReadingsText::EarlyPeriod {
                day: window.start_day(),
                period: placement.period,
            }
        };
        outs.push(say(note).into());
    }
    let question = match total {
        Some(total) => ReadingsText::Review { total },
        None => ReadingsText::ReviewNoAmount,
    };
    outs.push(say(question).buttons(review_buttons()).into());
    let state = State::Readings(Step::Review {
        meter: meter.id,
        values,
    });
    Ok((state, outs))
}

/// Something other than an answer while buttons are waiting: point at them again.
fn press_button(state: Step, buttons: Vec<Vec<Btn>>) -> Turn {
    let outs = vec![say(ReadingsText::PressButton).buttons(buttons).into()];
    Ok((State::Readings(state), outs))
}

fn confirm_buttons() -> Vec<Vec<Btn>> {
    vec![vec![
        Btn::new(ReadingsText::YesButton, YES),
        Btn::new(ReadingsText::FixButton, FIX),
    ]]
}

fn review_buttons() -> Vec<Vec<Btn>> {
    vec![
        vec![
            Btn::new(ReadingsText::SubmitButton, SUBMIT),
            Btn::new(ReadingsText::FixButton, FIX),
        ],
        vec![Btn::cancel()],
    ]
}

/// Stores the meter's readings, all zones in one transaction (a reading of the same day is
/// replaced), then asks for the next meter or goes back to the menu.
async fn submit(ctx: &Ctx, sheet: &Sheet, meter: &MeterSheet, values: Vec<Decimal>) -> Turn {
    if values.len() != meter.zones.len() {
        return to_menu(ReadingsText::MetersChanged);
    }
    let readings: Vec<_> = meter.zones.iter().map(|z| z.zone).zip(values).collect();
    ctx.store
        .record_readings(
            meter.id,
            sheet.today,
            sheet.placement.period,
            ReadingSource::Chat,
            &readings,
        )
        .await?;
    match sheet.meter_after(meter.id) {
        Some(next) => {
            let (state, ask) = ask(next, Vec::new());
            let mut outs = vec![say(ReadingsText::Saved).into()];
            outs.extend(ask);
            Ok((state, outs))
        }
        None => to_menu(ReadingsText::Saved),
    }
}
