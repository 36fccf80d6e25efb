//! The notices about money owed: five days before a bill's due date when something is owed,
//! and on day 25 of a bill's lateness, when пени start in five days. Each linked account's
//! ledger is replayed (the same one the chat shows), so the amounts agree with the balance.

use super::{NotifyError, NotifySettings};
use crate::accounting::{account_balance, account_ledger, penalty_rates};
use crate::billing::penalty::{FREE_DAYS, day_of_lateness};
use crate::billing::types::Service;
use crate::billing::{Money, Period, penalty};
use crate::store::Store;
use crate::store::accounts::AccountId;
use crate::store::notices::{Audience, Batch, Kind};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde_json::json;

/// Days before the due date the payment reminder goes.
pub const DUE_AHEAD_DAYS: i64 = 5;
/// The day of lateness the пени warning goes on (пени start on day 31).
pub const PENALTY_WARNING_DAY: i64 = FREE_DAYS - DUE_AHEAD_DAYS;

/// The bill (if any) whose due date is five days after `today`, and the one (if any) on
/// day 25 of lateness `today`.
pub fn bills_due(settings: &NotifySettings, today: NaiveDate) -> (Option<Period>, Option<Period>) {
    let recent = [
        Period::of(today).prev(),
        Period::of(today).prev().prev(),
        Period::of(today).prev().prev().prev(),
    ];
    let due_soon = recent
        .into_iter()
        .find(|p| (settings.due.due_date(*p) - today).num_days() == DUE_AHEAD_DAYS);
    let late = recent
        .into_iter()
        .find(|p| day_of_lateness(settings.due.due_date(*p), today) == PENALTY_WARNING_DAY);
    (due_soon, late)
}

/// The payment-due and пени-ahead batches of `today` (none on most days).
pub async fn batches(
    store: &Store,
    settings: &NotifySettings,
    today: NaiveDate,
    start: DateTime<Utc>,
    spacing: std::time::Duration,
    all_accounts: bool,
) -> Result<Vec<Batch>, NotifyError> {
    let (due_soon, late) = bills_due(settings, today);
    if due_soon.is_none() && late.is_none() {
        return Ok(Vec::new());
    }
    let rates = penalty_rates(store).await?;
    let mut owing = Vec::new();
    if let Some(period) = due_soon {
        let due = settings.due.due_date(period);
        let key = period.to_string();
        // Accounts every chat of which already has the notice are not weighed again (the
        // scheduler runs every few minutes).
        for id in store
            .accounts_to_notify(all_accounts, Kind::PaymentDue, &key)
            .await?
        {
            let balance =
                account_balance(store, AccountId(id), today, &settings.due, settings.zone).await?;
            let owed = balance.total_due();
            if owed.is_positive() {
                let fields = json!({ "amount": owed.amount().to_string(), "due": due.to_string() });
                owing.push((id, fields));
            }
        }
    }
    let mut overdue = Vec::new();
    if let Some(period) = late {
        let due = settings.due.due_date(period);
        let first = due + Days::new(31);
        let key = period.to_string();
        for id in store
            .accounts_to_notify(all_accounts, Kind::PenaltyAhead, &key)
            .await?
        {
            let (ledger, _) =
                account_ledger(store, AccountId(id), today, &settings.due, settings.zone).await?;
            let debt = ledger
                .pieces()
                .iter()
                .filter(|p| p.period == period && p.service != Service::Penalty)
                .fold(Money::ZERO, |sum, p| sum + p.outstanding);
            if debt.is_positive() {
                // One day of пени: the penalty through day 31 (days 1–30 are free).
                let per_day = penalty(debt, due, first, &rates).map_err(NotifyError::Rates)?;
                let fields = json!({ "amount": debt.amount().to_string(),
                                     "per_day": per_day.amount().to_string(),
                                     "from": first.to_string() });
                overdue.push((id, fields));
            }
        }
    }
    let mut all = Vec::new();
    if let Some(period) = due_soon {
        all.push(Batch {
            kind: Kind::PaymentDue,
            key: period.to_string(),
            audience: Audience::Listed { accounts: owing },
            extra: json!({}),
            start,
            spacing,
        });
    }
    if let Some(period) = late {
        all.push(Batch {
            kind: Kind::PenaltyAhead,
            key: period.to_string(),
            audience: Audience::Listed { accounts: overdue },
            extra: json!({}),
            start,
            spacing,
        });
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn the_reminder_comes_five_days_ahead_and_the_warning_on_day_25_of_lateness() {
        let settings = NotifySettings::default();
        let october = Period::new(2026, 10).unwrap();
        let due = settings.due.due_date(october);
        assert_eq!(bills_due(&settings, due - Days::new(5)).0, Some(october));
        assert_eq!(bills_due(&settings, due - Days::new(4)).0, None);
        assert_eq!(bills_due(&settings, due + Days::new(25)).1, Some(october));
        assert_eq!(bills_due(&settings, due + Days::new(24)).1, None);
        assert_eq!(bills_due(&settings, day(11, 3)).1, None);
    }
}
