//! How many days of a month a penalty was charged for: the days on which some bill was more
//! than 30 days late and still (partly) unpaid. The charge line stores only the amount, so the
//! days come from replaying the account's charges and payments (the ledger the period close
//! used).

use super::Subject;
use crate::billing::penalty::{FREE_DAYS, day_of_lateness};
use crate::billing::{DueDay, DueSchedule, Ledger, Money, Payment, Period, Service};
use crate::conversation::EngineError;
use crate::conversation::period::DateRange;

/// The days of `month` a penalty accrued on.
pub async fn days(subject: &Subject<'_>, month: Period) -> Result<i64, EngineError> {
    let store = &subject.ctx.store;
    let first = Period::new(1900, 1).map_err(|e| EngineError::Internal(e.to_string()))?;
    let charges = store
        .charges_between(subject.account, first, month.prev())
        .await?;
    let totals = crate::accounting::charge_totals(&charges);
    let whole = DateRange {
        from: first.first_day(),
        to: month.last_day(),
    };
    let (since, until) = subject.instants(whole);
    let zone = subject.ctx.settings.utc_offset;
    let payments: Vec<Payment> = store
        .payments_between(subject.account, since, until)
        .await?
        .into_iter()
        .map(|p| Payment {
            date: p.paid_at.with_timezone(&zone).date_naive(),
            amount: p.amount,
            service: p.service,
        })
        .collect();
    let due_day = DueDay::new(subject.ctx.settings.due_day)
        .map_err(|e| EngineError::Internal(format!("due day: {e:?}")))?;
    let ledger = Ledger::build(&totals, &payments, &DueSchedule::new(due_day))
        .map_err(|e| EngineError::Internal(format!("ledger: {e:?}")))?;
    let mut days = 0;
    for day in 1..=month.days() {
        let date = month.day(day);
        let late_and_owed = ledger.pieces().iter().any(|piece| {
            if piece.service == Service::Penalty || day_of_lateness(piece.due, date) <= FREE_DAYS {
                return false;
            }
            // Owed on `date`: what is still owed, plus what was settled on that day or later
            // (the payment day itself still counts).
            let settled_later: Money = ledger
                .settlements_of(piece)
                .iter()
                .filter(|s| s.date >= date)
                .map(|s| s.amount)
                .sum();
            (piece.outstanding + settled_later).is_positive()
        });
        if late_and_owed {
            days += 1;
        }
    }
    Ok(days)
}
