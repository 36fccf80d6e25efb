//! «История»: payments, readings, or charges and payments month by month, for a period the
//! [period picker](super::period) asks for; each as a paged table (a chart beside it where it
//! helps) and as a CSV download.
//!
//! ```text
//! > /history
//! < Какую историю показать?
//! < [Платежи] [Показания] [Начисления и оплаты] [Отмена]
//! > [Платежи]
//! < За какой период? …
//! > [3 месяца]
//! < Платежи с 01.09.2026 по 20.11.2026: 3 на сумму 2 000,00 ₽.
//! < 19.10.2026 · за всё · 700,00 ₽ · банк …
//! < [Скачать CSV] [Другой период] [Назад] [Меню]
//! < 📎 platezhi-7701000000017.png
//! ```
//!
//! The step keeps only the kind, the period and the view (page, sort, month): every turn
//! loads the rows afresh, so a payment credited meanwhile shows on the next page turned.

mod csv;
mod pages;
mod payments;
mod penalty;
mod readings;
mod statement;
mod text;

use pages::{chart, page_of, pager};

pub use text::HistoryText;

use super::period::{self, Bounds, DateRange, Picked, Picker};
use super::texts::CommonText;
use super::{Btn, ChatCtx, Ctx, EngineError, Event, Out, State, Turn, say, stale_button, to_menu};
use crate::billing::Period;
use crate::conversation::{Attachment, AttachmentKind};
use crate::i18n::{Lang, Msg};
use crate::store::accounts::AccountId;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// Which history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Payments,
    Readings,
    /// Charges and payments per month, with each month's breakdown.
    Statement,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Payments, Kind::Readings, Kind::Statement];

    fn code(self) -> &'static str {
        match self {
            Kind::Payments => "payments",
            Kind::Readings => "readings",
            Kind::Statement => "statement",
        }
    }

    fn label(self) -> HistoryText {
        match self {
            Kind::Payments => HistoryText::KindPayments,
            Kind::Readings => HistoryText::KindReadings,
            Kind::Statement => HistoryText::KindStatement,
        }
    }
}

/// How the readings table is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Newest first.
    #[default]
    Date,
    /// By meter and zone, newest first within each.
    Meter,
    /// Highest value first.
    Value,
}

impl Sort {
    const ALL: [Sort; 3] = [Sort::Date, Sort::Meter, Sort::Value];

    fn code(self) -> &'static str {
        match self {
            Sort::Date => "date",
            Sort::Meter => "meter",
            Sort::Value => "value",
        }
    }
}

/// What the history flow waits for, and the view it shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Which history.
    Kind,
    /// The period of `kind`.
    Pick { kind: Kind, picker: Picker },
    /// A history on screen: the period and the view.
    Show { range: DateRange, view: View },
}

/// A history's screen: the page shown (and the readings' order, or the month opened).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    Payments {
        page: u16,
    },
    Readings {
        sort: Sort,
        page: u16,
    },
    Statement {
        page: u16,
    },
    /// One month of the statement, by service; `page` is the statement page to go back to.
    Month {
        month: Period,
        page: u16,
    },
}

impl View {
    fn first(kind: Kind) -> View {
        match kind {
            Kind::Payments => View::Payments { page: 0 },
            Kind::Readings => View::Readings {
                sort: Sort::Date,
                page: 0,
            },
            Kind::Statement => View::Statement { page: 0 },
        }
    }

    fn kind(self) -> Kind {
        match self {
            View::Payments { .. } => Kind::Payments,
            View::Readings { .. } => Kind::Readings,
            View::Statement { .. } | View::Month { .. } => Kind::Statement,
        }
    }
}

/// Prefix of the flow's buttons.
const DATA: &str = "hs:";
/// Back to the choice of history.
const KINDS: &str = "hs:kinds";

/// What one screen of a history is: its text, its button rows, and maybe a chart or a file.
pub(super) struct Screen {
    pub lines: Vec<Msg>,
    pub rows: Vec<Vec<Btn>>,
    pub file: Option<Attachment>,
    /// Nothing in the period: no CSV to offer.
    pub empty: bool,
}

impl Screen {
    /// A period with nothing in it, said in words: no table, no chart, no CSV.
    pub fn nothing(text: HistoryText) -> Screen {
        Screen {
            lines: vec![text.into()],
            rows: Vec::new(),
            file: None,
            empty: true,
        }
    }
}

/// The account the histories are of, and what rendering them needs.
pub(super) struct Subject<'a> {
    pub ctx: &'a Ctx,
    pub account: AccountId,
    pub number: String,
    pub lang: Lang,
}

impl Subject<'_> {
    /// A message rendered now, for tables, charts and CSV (which are built as text).
    pub fn text(&self, msg: impl Into<Msg>) -> String {
        self.ctx.i18n.render(self.lang, &msg.into())
    }

    /// A month's short name for a chart's axis: «окт 26» / "Oct 26".
    pub fn short_month(&self, month: Period) -> String {
        self.text(HistoryText::MonthShort {
            month: i64::from(month.month()),
            year: format!("{:02}", month.year() % 100),
        })
    }

    /// The instants the period's days span in the company's time zone: `[from, to)`.
    pub fn instants(&self, range: DateRange) -> (DateTime<Utc>, DateTime<Utc>) {
        let zone = self.ctx.settings.utc_offset;
        let midnight = |day: NaiveDate| {
            day.and_time(NaiveTime::MIN)
                .and_local_timezone(zone)
                .single()
                .map_or_else(|| day.and_time(NaiveTime::MIN).and_utc(), |t| t.to_utc())
        };
        let after = range.to.succ_opt().unwrap_or(range.to);
        (midnight(range.from), midnight(after))
    }
}

/// From the menu or `/history`.
pub async fn start(_ctx: &Ctx, _chat: &ChatCtx, _args: &str) -> Turn {
    kinds()
}

fn kinds() -> Turn {
    let buttons = Kind::ALL
        .into_iter()
        .map(|k| vec![Btn::new(k.label(), format!("{DATA}k:{}", k.code()))])
        .chain([vec![Btn::cancel()]])
        .collect();
    Ok((
        State::History(Step::Kind),
        vec![say(HistoryText::Kinds).buttons(buttons).into()],
    ))
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    let Some(link) = &chat.current else {
        return to_menu(CommonText::NeedAccount);
    };
    let subject = Subject {
        ctx,
        account: AccountId(link.account_id),
        number: link.number.to_string(),
        lang: chat.lang,
    };
    if matches!(&event, Event::Button(data) if data == KINDS) {
        return kinds();
    }
    match state {
        Step::Kind => match event {
            Event::Button(data) => {
                let kind = data
                    .strip_prefix(DATA)
                    .and_then(|d| d.strip_prefix("k:"))
                    .and_then(|code| Kind::ALL.into_iter().find(|k| k.code() == code));
                match kind {
                    Some(kind) => ask_period(&subject, kind).await,
                    None => stale_button(),
                }
            }
            _ => {
                let (state, mut outs) = kinds()?;
                outs.insert(0, say(HistoryText::ChooseKind).into());
                Ok((state, outs))
            }
        },
        Step::Pick { kind, picker } => {
            let bounds = bounds(&subject).await?;
            match period::on_event(picker, &event, bounds, back()) {
                Picked::Range(range) => show(&subject, range, View::first(kind), true).await,
                Picked::Ask(picker, outs) => {
                    Ok((State::History(Step::Pick { kind, picker }), outs))
                }
                Picked::NotMine => stale_button(),
            }
        }
        Step::Show { range, view } => on_screen(&subject, range, view, event).await,
    }
}

async fn ask_period(subject: &Subject<'_>, kind: Kind) -> Turn {
    let bounds = bounds(subject).await?;
    let picker = Picker::Presets;
    let outs = period::ask(picker, bounds, None, back());
    Ok((State::History(Step::Pick { kind, picker }), outs))
}

fn back() -> Btn {
    Btn::back(KINDS)
}

/// Today and where the account's history begins.
async fn bounds(subject: &Subject<'_>) -> Result<Bounds, EngineError> {
    let today = subject.ctx.today();
    let earliest = subject
        .ctx
        .store
        .history_start(subject.account)
        .await?
        .map_or(today, |first| first.min(today));
    Ok(Bounds { today, earliest })
}

/// A button or a typed period on a history's screen.
async fn on_screen(subject: &Subject<'_>, range: DateRange, view: View, event: Event) -> Turn {
    let data = match event {
        Event::Button(data) => data,
        // A period typed on the screen: the same history for it.
        Event::Text(_) => {
            let bounds = bounds(subject).await?;
            let kind = view.kind();
            return match period::on_event(Picker::Presets, &event, bounds, back()) {
                Picked::Range(range) => show(subject, range, View::first(kind), true).await,
                Picked::Ask(picker, outs) => {
                    Ok((State::History(Step::Pick { kind, picker }), outs))
                }
                Picked::NotMine => stale_button(),
            };
        }
        _ => return stale_button(),
    };
    let Some(code) = data.strip_prefix(DATA) else {
        return stale_button();
    };
    let (what, arg) = code.split_once(':').unwrap_or((code, ""));
    let next = match (what, view) {
        ("period", _) => return ask_period(subject, view.kind()).await,
        ("csv", _) => return csv(subject, range, view).await,
        ("p", _) => match arg.parse::<u16>() {
            Ok(page) => with_page(view, page),
            Err(_) => return stale_button(),
        },
        ("s", View::Readings { .. }) => match Sort::ALL.into_iter().find(|s| s.code() == arg) {
            Some(sort) => View::Readings { sort, page: 0 },
            None => return stale_button(),
        },
        ("m", View::Statement { page }) => match arg.parse::<Period>() {
            Ok(month) => View::Month { month, page },
            Err(_) => return stale_button(),
        },
        ("back", View::Month { page, .. }) => View::Statement { page },
        _ => return stale_button(),
    };
    // A month opened gets its pie chart; a page turned or a sort changed only edits the table.
    let chart = matches!(next, View::Month { .. });
    show(subject, range, next, chart).await
}

fn with_page(view: View, page: u16) -> View {
    match view {
        View::Payments { .. } => View::Payments { page },
        View::Readings { sort, .. } => View::Readings { sort, page },
        View::Statement { .. } => View::Statement { page },
        month @ View::Month { .. } => month,
    }
}

/// Shows a history's screen; `chart` also sends its chart (the first time it is shown).
async fn show(subject: &Subject<'_>, range: DateRange, view: View, chart: bool) -> Turn {
    let screen = match view {
        View::Payments { page } => payments::screen(subject, range, page, chart).await?,
        View::Readings { sort, page } => readings::screen(subject, range, sort, page).await?,
        View::Statement { page } => statement::screen(subject, range, page).await?,
        View::Month { month, .. } => statement::month(subject, month, chart).await?,
    };
    let mut rows = screen.rows;
    let mut more = vec![Btn::new(HistoryText::OtherPeriod, format!("{DATA}period"))];
    if !screen.empty {
        more.insert(0, Btn::new(HistoryText::Csv, format!("{DATA}csv")));
    }
    rows.push(more);
    rows.push(vec![
        match view {
            View::Month { .. } => Btn::back(format!("{DATA}back")),
            _ => back(),
        },
        Btn::menu(),
    ]);
    let mut lines = screen.lines.into_iter();
    let mut outs: Vec<Out> = Vec::new();
    if let Some(first) = lines.next() {
        outs.push(say(first).into());
    }
    outs.extend(lines.map(|l| say(l).into()));
    // The keyboard goes with the last text; the chart follows as its own message.
    if let Some(Out::Say(last)) = outs.pop() {
        outs.push(last.buttons(rows).into());
    }
    if let Some(file) = screen.file {
        outs.push(say(HistoryText::ChartCaption).attach(file).into());
    }
    Ok((State::History(Step::Show { range, view }), outs))
}

/// The current history as a CSV document; the screen's buttons come with it.
async fn csv(subject: &Subject<'_>, range: DateRange, view: View) -> Turn {
    let (bytes, name) = match view.kind() {
        Kind::Payments => payments::csv(subject, range).await?,
        Kind::Readings => readings::csv(subject, range).await?,
        Kind::Statement => statement::csv(subject, range).await?,
    };
    let file = Attachment {
        bytes,
        file_name: format!("{name}-{}-{}-{}.csv", subject.number, range.from, range.to),
        kind: AttachmentKind::Csv,
    };
    let buttons = vec![vec![back(), Btn::menu()]];
    let caption = HistoryText::CsvCaption {
        from: range.from,
        to: range.to,
    };
    Ok((
        State::History(Step::Show { range, view }),
        vec![say(caption).attach(file).buttons(buttons).into()],
    ))
}

/// Every text of the flow, for the locale tests.
pub fn samples() -> Vec<Msg> {
    HistoryText::samples().into_iter().map(Msg::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_state_is_small_json() {
        let step = Step::Show {
            range: DateRange {
                from: chrono::NaiveDate::from_ymd_opt(2024, 10, 19).unwrap(),
                to: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            },
            view: View::Month {
                month: Period::new(2026, 10).unwrap(),
                page: 1,
            },
        };
        let json = serde_json::to_string(&step).unwrap();
        assert!(json.len() < 160, "{json}");
        assert_eq!(serde_json::from_str::<Step>(&json).unwrap(), step);
    }
}
