//! A closed month's receipt is rendered once and kept in Postgres; later asks resend the kept
//! bytes (one query).

use super::{Receipt, ReceiptError, ReceiptSettings, gather, render};
use crate::billing::{Money, Period};
use crate::store::Store;
use crate::store::accounts::Account;
use chrono::NaiveDate;

/// A receipt's PDF with what a message about it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Obtained {
    pub pdf: Vec<u8>,
    pub file_name: String,
    pub total_due: Money,
    pub due_date: NaiveDate,
    /// Whether the bytes came from the kept copy.
    pub kept: bool,
}

/// The PDF of `account`'s receipt for the closed month `period`: the kept copy, or rendered
/// (on a blocking thread, off the async ones) and kept. `None` when the month has no charges.
///
/// The caller makes sure the month is closed (see [`super::check_month`]): an open month
/// has no receipt and must never be kept.
pub async fn obtain(
    store: &Store,
    settings: &ReceiptSettings,
    account: &Account,
    period: Period,
) -> Result<Option<Obtained>, ReceiptError> {
    let file_name = Receipt::file_name(&account.number, period);
    let due_date = settings.due.due_date(period);
    if let Some((pdf, total_due)) = store.kept_receipt(account.id, period).await? {
        return Ok(Some(Obtained {
            pdf,
            file_name,
            total_due,
            due_date,
            kept: true,
        }));
    }
    let Some(receipt) = gather(store, settings, account, period).await? else {
        return Ok(None);
    };
    let total_due = receipt.total_due();
    let pdf = tokio::task::spawn_blocking(move || render(&receipt))
        .await
        .map_err(|e| ReceiptError::Task(e.to_string()))??;
    store
        .keep_receipt(account.id, period, &pdf, total_due)
        .await?;
    Ok(Some(Obtained {
        pdf,
        file_name,
        total_due,
        due_date,
        kept: false,
    }))
}
