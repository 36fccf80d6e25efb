//! An account's balance as of a day: the ledger over its stored charges and payments, plus the
//! penalty accrued since the last closed period (not charged yet). Used by the staff look-up and
//! by the chat wherever a debt is shown.

use crate::billing::{
    Balances, ChargeTotal, DueSchedule, KeyRate, KeyRates, Ledger, LedgerError, Money, Payment,
    PenaltyRates, Period, RateError,
};
use crate::store::accounts::AccountId;
use crate::store::{Store, StoreError};
use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};

/// What the account owes as of a day.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountBalance {
    /// Per service, after every charge and payment stored (positive: debt; negative: advance).
    pub balances: Balances,
    /// The penalty that overdue debt has accrued since the last closed period through the day
    /// looked at; the next period close charges it.
    pub accrued_penalty: Money,
    /// The last period with charges, if any.
    pub last_closed: Option<Period>,
}

impl AccountBalance {
    /// Everything owed, the accrued penalty included (negative: paid in advance).
    pub fn total_due(&self) -> Money {
        self.balances.total() + self.accrued_penalty
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountingError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the stored charges and payments do not replay: {0:?}")]
    Ledger(LedgerError),
    #[error("key rates: {0:?}")]
    Rates(RateError),
}

/// The balance of `account` as of `today`; payments count on their local day in `zone`.
pub async fn account_balance(
    store: &Store,
    account: AccountId,
    today: NaiveDate,
    due: &DueSchedule,
    zone: FixedOffset,
) -> Result<AccountBalance, AccountingError> {
    let (ledger, totals) = account_ledger(store, account, today, due, zone).await?;
    let rates = penalty_rates(store).await?;
    let last_closed = totals.last().map(|t| t.period);
    let from = last_closed.map_or(today, |p| p.next().first_day());
    let accrued_penalty = if from <= today {
        ledger
            .penalty_between(from, today, &rates)
            .map_err(AccountingError::Rates)?
    } else {
        Money::ZERO
    };
    Ok(AccountBalance {
        balances: *ledger.balances(),
        accrued_penalty,
        last_closed,
    })
}

/// The ledger of `account` over its charges and the payments made through `today` (on their
/// local day in `zone`), with the charge totals it was built from.
pub async fn account_ledger(
    store: &Store,
    account: AccountId,
    today: NaiveDate,
    due: &DueSchedule,
    zone: FixedOffset,
) -> Result<(Ledger, Vec<ChargeTotal>), AccountingError> {
    let first = Period::new(1900, 1).expect("a valid period");
    let charges = store
        .charges_between(account, first, Period::of(today))
        .await?;
    let totals = charge_totals(&charges);
    let end = zone
        .from_local_datetime(
            &today
                .succ_opt()
                .unwrap_or(today)
                .and_hms_opt(0, 0, 0)
                .expect("midnight"),
        )
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now);
    let since = Utc.timestamp_opt(0, 0).single().expect("the epoch");
    let payments: Vec<Payment> = store
        .payments_between(account, since, end)
        .await?
        .into_iter()
        .map(|p| Payment {
            date: p.paid_at.with_timezone(&zone).date_naive(),
            amount: p.amount,
            service: p.service,
        })
        .collect();
    let ledger = Ledger::build(&totals, &payments, due).map_err(AccountingError::Ledger)?;
    Ok((ledger, totals))
}

/// The key-rate table with the legal cap.
pub async fn penalty_rates(store: &Store) -> Result<PenaltyRates, AccountingError> {
    let entries = store
        .key_rates()
        .await?
        .into_iter()
        .map(|k| KeyRate {
            valid_from: k.valid_from,
            percent: k.rate,
        })
        .collect();
    Ok(PenaltyRates::new(
        KeyRates::new(entries).map_err(AccountingError::Rates)?,
    ))
}

/// Charge lines summed per (period, service), as the ledger takes them. The store returns
/// charges ordered by period, then service, so equal pairs are adjacent.
pub fn charge_totals(charges: &[crate::store::charges::Charge]) -> Vec<ChargeTotal> {
    let mut totals: Vec<ChargeTotal> = Vec::new();
    for c in charges {
        match totals.last_mut() {
            Some(t) if t.period == c.period && t.service == c.service => {
                t.amount = t.amount + c.amount
            }
            _ => totals.push(ChargeTotal {
                period: c.period,
                service: c.service,
                amount: c.amount,
            }),
        }
    }
    totals
}
