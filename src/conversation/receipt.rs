//! «Квитанция»: the months with charges as buttons, the month's receipt as a PDF document.
//!
//! ```text
//! > [Квитанция]
//! < Квитанции по лицевому счёту 7701000000048. Выберите месяц:
//! < [Октябрь 2026] [Сентябрь 2026] [Август 2026] … [Раньше »] [Меню]
//! > [Октябрь 2026]
//! < Главное меню
//! < 📎 kvitanciya-7701000000048-2026-10.pdf  (caption: the month, the total, the due date)
//! ```
//!
//! The newest twelve months come first; [Раньше »] / [« Позже] turn the page (a button, so
//! Telegram edits the message). A month may also be typed (`09.2026`, `2026-09`,
//! `сентябрь 2026`); one without charges, not closed yet, or before the account's first bill
//! gets a clear answer and the months again.

use super::texts::CommonText;
use super::{
    Attachment, AttachmentKind, Btn, ChatCtx, Ctx, EngineError, Event, Out, State, Turn, say,
    stale_button, to_menu,
};
use crate::billing::{AccountNumber, Money, Period};
use crate::i18n::texts;
use crate::receipt::{self, MonthCheck, ReceiptError, ReceiptSettings};
use crate::store::accounts::{Account, AccountId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

texts! {
    /// What the receipt section says.
    pub enum ReceiptText {
        Pick { account: AccountNumber } => "receipt-pick",
        /// A month's button: «Октябрь 2026».
        MonthButton { month: u32, year: String } => "receipt-month-button",
        Older => "receipt-older",
        Newer => "receipt-newer",
        /// The caption of the PDF.
        Sent { month: u32, year: String, account: AccountNumber, total: Money, due: NaiveDate } => "receipt-sent",
        SentNothingDue { month: u32, year: String, account: AccountNumber } => "receipt-sent-nothing-due",
        NoneYet => "receipt-none-yet",
        NotClosed { month: u32, year: String } => "receipt-not-closed",
        BeforeAccount { month: u32, year: String, first_month: u32, first_year: String } => "receipt-before-account",
        NoCharges { month: u32, year: String } => "receipt-no-charges",
        NotUnderstood => "receipt-not-understood",
    }
}

/// What the receipt section waits for: a month, on page `page` of the list (0 = newest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Pick { page: usize },
}

/// Months per page: four rows of three.
pub const PAGE: usize = 12;
const MONTH: &str = "rc:m:";
const TURN: &str = "rc:p:";

/// From the menu or `/receipt` (`/receipt 2026-10` sends that month at once).
pub async fn start(ctx: &Ctx, chat: &ChatCtx, args: &str) -> Turn {
    let Some(account) = account(ctx, chat).await? else {
        return to_menu(CommonText::NeedAccount);
    };
    let months = months(ctx, &account).await?;
    if months.is_empty() {
        return to_menu(ReceiptText::NoneYet);
    }
    if args.trim().is_empty() {
        return Ok(pick(&account, &months, 0, Vec::new()));
    }
    match parse_month(args) {
        Some(month) => send(ctx, &account, &months, month, 0).await,
        None => Ok(pick(&account, &months, 0, vec![ReceiptText::NotUnderstood])),
    }
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    let Step::Pick { page } = state;
    let Some(account) = account(ctx, chat).await? else {
        return to_menu(CommonText::NeedAccount);
    };
    let months = months(ctx, &account).await?;
    match event {
        Event::Button(data) => {
            if let Some(to) = data.strip_prefix(TURN).and_then(|p| p.parse().ok())
                && to * PAGE < months.len()
            {
                return Ok(pick(&account, &months, to, Vec::new()));
            }
            match data.strip_prefix(MONTH).and_then(|m| m.parse().ok()) {
                Some(month) => send(ctx, &account, &months, month, page).await,
                None => stale_button(),
            }
        }
        Event::Text(text) => match parse_month(&text) {
            Some(month) => send(ctx, &account, &months, month, page).await,
            None => Ok(pick(
                &account,
                &months,
                page,
                vec![ReceiptText::NotUnderstood],
            )),
        },
        _ => Ok(pick(
            &account,
            &months,
            page,
            vec![ReceiptText::NotUnderstood],
        )),
    }
}

/// The chat's current account.
async fn account(ctx: &Ctx, chat: &ChatCtx) -> Result<Option<Account>, EngineError> {
    let Some(link) = &chat.current else {
        return Ok(None);
    };
    Ok(ctx.store.account(AccountId(link.account_id)).await?)
}

/// The closed months with charges, newest first.
async fn months(ctx: &Ctx, account: &Account) -> Result<Vec<Period>, EngineError> {
    let open = Period::of(ctx.today());
    let mut months = receipt::months_with_receipts(&ctx.store, account)
        .await
        .map_err(internal)?;
    months.retain(|m| *m < open);
    Ok(months)
}

/// The list of months, page `page`, after whatever `first` says.
fn pick(
    account: &Account,
    months: &[Period],
    page: usize,
    first: Vec<ReceiptText>,
) -> (State, Vec<Out>) {
    let page = page.min(months.len().saturating_sub(1) / PAGE);
    let shown = &months[page * PAGE..months.len().min((page + 1) * PAGE)];
    let mut rows: Vec<Vec<Btn>> = shown
        .chunks(3)
        .map(|row| {
            row.iter()
                .map(|m| Btn::new(month_label(*m), format!("{MONTH}{m}")))
                .collect()
        })
        .collect();
    let mut turns = Vec::new();
    if page > 0 {
        turns.push(Btn::new(ReceiptText::Newer, format!("{TURN}{}", page - 1)));
    }
    if (page + 1) * PAGE < months.len() {
        turns.push(Btn::new(ReceiptText::Older, format!("{TURN}{}", page + 1)));
    }
    if !turns.is_empty() {
        rows.push(turns);
    }
    rows.push(vec![Btn::menu()]);
    let mut outs: Vec<Out> = first.into_iter().map(|t| say(t).into()).collect();
    let ask = ReceiptText::Pick {
        account: account.number.clone(),
    };
    outs.push(say(ask).buttons(rows).into());
    (State::Receipt(Step::Pick { page }), outs)
}

fn month_label(m: Period) -> ReceiptText {
    ReceiptText::MonthButton {
        month: m.month(),
        year: m.year().to_string(),
    }
}

/// The month's receipt as a document, or why there is none (and the months again).
async fn send(ctx: &Ctx, account: &Account, months: &[Period], month: Period, page: usize) -> Turn {
    let (m, y) = (month.month(), || month.year().to_string());
    let why = match receipt::check_month(months, month, ctx.today()) {
        MonthCheck::Ready => None,
        MonthCheck::NotClosed => Some(ReceiptText::NotClosed {
            month: m,
            year: y(),
        }),
        MonthCheck::BeforeAccount { first } => Some(ReceiptText::BeforeAccount {
            month: m,
            year: y(),
            first_month: first.month(),
            first_year: first.year().to_string(),
        }),
        MonthCheck::NoCharges => Some(ReceiptText::NoCharges {
            month: m,
            year: y(),
        }),
    };
    if let Some(why) = why {
        return Ok(pick(account, months, page, vec![why]));
    }
    let settings = ReceiptSettings {
        company: ctx.settings.company.clone(),
        due: ctx.settings.due_schedule(),
        zone: ctx.settings.utc_offset,
    };
    let Some(got) = receipt::obtain(&ctx.store, &settings, account, month)
        .await
        .map_err(internal)?
    else {
        let why = ReceiptText::NoCharges {
            month: m,
            year: y(),
        };
        return Ok(pick(account, months, page, vec![why]));
    };
    let account_no = account.number.clone();
    let caption = if got.total_due.is_positive() {
        ReceiptText::Sent {
            month: m,
            year: y(),
            account: account_no,
            total: got.total_due,
            due: got.due_date,
        }
    } else {
        ReceiptText::SentNothingDue {
            month: m,
            year: y(),
            account: account_no,
        }
    };
    let file = Attachment {
        bytes: got.pdf,
        file_name: got.file_name,
        kind: AttachmentKind::Pdf,
    };
    Ok((
        State::Menu,
        vec![say(caption).attach(file).into(), Out::Menu],
    ))
}

fn internal(e: ReceiptError) -> EngineError {
    match e {
        ReceiptError::Store(e) => EngineError::Store(e),
        other => EngineError::Internal(other.to_string()),
    }
}

const MONTH_WORDS: [[&str; 3]; 12] = [
    ["январь", "января", "january"],
    ["февраль", "февраля", "february"],
    ["март", "марта", "march"],
    ["апрель", "апреля", "april"],
    ["май", "мая", "may"],
    ["июнь", "июня", "june"],
    ["июль", "июля", "july"],
    ["август", "августа", "august"],
    ["сентябрь", "сентября", "september"],
    ["октябрь", "октября", "october"],
    ["ноябрь", "ноября", "november"],
    ["декабрь", "декабря", "december"],
];

/// A month typed: `10.2026`, `10/2026`, `2026-10`, `октябрь 2026`, `Октябрь 2026 г.`,
/// `October 2026`, `oct 2026`.
pub fn parse_month(input: &str) -> Option<Period> {
    let text = input.trim().to_lowercase();
    let text = text
        .trim_end_matches('.')
        .trim_end_matches(" г")
        .trim_end_matches(" года");
    if let Ok(p) = text.parse::<Period>() {
        return Some(p);
    }
    if let Some((m, y)) = text.split_once(['.', '/']) {
        let (m, y) = (m.trim().parse::<u32>().ok()?, y.trim());
        return (y.len() == 4).then(|| Period::new(y.parse().ok()?, m).ok())?;
    }
    let (word, year) = text.split_once(char::is_whitespace)?;
    let year: i32 = year
        .trim()
        .parse()
        .ok()
        .filter(|y| (1000..=9999).contains(y))?;
    let month = MONTH_WORDS.iter().position(|names| {
        names.contains(&word) || (word.chars().count() >= 3 && names[2].starts_with(word))
    })?;
    Period::new(year, u32::try_from(month).ok()? + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_understood_in_common_forms() {
        let oct: Period = "2026-10".parse().unwrap();
        for typed in [
            "10.2026",
            "10/2026",
            "2026-10",
            "октябрь 2026",
            "Октябрь 2026 г.",
            "October 2026",
            "oct 2026",
            " 10.2026 ",
        ] {
            assert_eq!(parse_month(typed), Some(oct), "{typed}");
        }
        assert_eq!(parse_month("9.2026"), "2026-09".parse().ok());
        for bad in [
            "",
            "октябрь",
            "13.2026",
            "10.26",
            "завтра",
            "2026",
            "oc 2026",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_button_s_data_fits_telegram_s_limit() {
        assert!(format!("{MONTH}2026-10").len() <= super::super::MAX_BUTTON_DATA);
        assert!(format!("{TURN}{}", usize::MAX).len() <= super::super::MAX_BUTTON_DATA);
    }
}
