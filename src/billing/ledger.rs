//! An account's debts per service and period, rebuilt from its charges and payments.
//!
//! The ledger replays events in time order. The charges of a period are posted on the first day of
//! the next month (before that day's payments): a positive total opens a debt piece, due by the
//! [`DueSchedule`], which first consumes any advance; a negative total (a recalculation) is a credit
//! that settles that service's oldest debt, the rest becoming an advance for the service.
//! A payment for a chosen service settles that service's oldest debt first; a payment for no service
//! settles the oldest debts across services in [`ALLOCATION_ORDER`] (penalties last). What is left
//! over becomes an advance that later charges consume.
//!
//! Each piece remembers when and by how much it was settled, so that [`Ledger::penalty_between`]
//! can make each settled part accrue until its own settlement day.

use super::balances::{ALLOCATION_ORDER, Balances, slot};
use super::due::DueSchedule;
use super::key_rates::{PenaltyRates, RateError};
use super::money::Money;
use super::penalty::{self, DebtPart, FREE_DAYS};
use super::period::Period;
use super::types::Service;
use chrono::NaiveDate;

/// The total charged to an account for one service in one period (negative after a recalculation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChargeTotal {
    pub period: Period,
    pub service: Service,
    pub amount: Money,
}

/// Money received from the consumer, for one service or (`None`) for everything owed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payment {
    /// The local day the money was paid.
    pub date: NaiveDate,
    /// Positive.
    pub amount: Money,
    pub service: Option<Service>,
}

/// What a debt piece was settled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettledBy {
    /// The payment at this index of the payments the ledger was built from.
    Payment(u32),
    /// An advance paid earlier, consumed when the charge was posted.
    Advance,
    /// A negative charge (recalculation) of the same service.
    Recalculation,
}

/// A settled part of a debt piece.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settlement {
    /// Index of the piece in [`Ledger::pieces`].
    pub piece: u32,
    pub date: NaiveDate,
    pub amount: Money,
    pub by: SettledBy,
}

/// What one period charged for one service, and what of it is still owed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DebtPiece {
    pub period: Period,
    pub service: Service,
    /// The amount charged (positive).
    pub amount: Money,
    /// The last day to pay without becoming late.
    pub due: NaiveDate,
    /// Still owed after every event replayed: `amount` minus the settlements.
    pub outstanding: Money,
    /// This piece's range in the ledger's settlements.
    settled: (u32, u32),
}

/// Input the ledger cannot replay.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LedgerError {
    #[error("charges must be ordered by period (entry {0} is out of order)")]
    ChargesOutOfOrder(usize),
    #[error("payments must be ordered by date (entry {0} is out of order)")]
    PaymentsOutOfOrder(usize),
    #[error("a payment is a positive amount (entry {0} is not)")]
    NonPositivePayment(usize),
}

/// Debt pieces, settlements and balances of one account. Reusable: [`Ledger::replay`] clears it
/// and keeps its buffers, so a period close can run one ledger over many accounts.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    pieces: Vec<DebtPiece>,
    settlements: Vec<Settlement>,
    /// Advance per service slot, and paid for no service (both zero or positive).
    advances: [Money; 4],
    unassigned: Money,
    /// Per service slot: no piece of that service before this index is still owed.
    open_from: [usize; 4],
    balances: Balances,
}

/// Principal services, then penalties: the two passes of a payment for no service.
const PRINCIPAL_SLOTS: &[usize] = &[0, 1, 2];
const PENALTY_SLOTS: &[usize] = &[3];

impl Ledger {
    /// Replays `charges` (ordered by period) and `payments` (ordered by date) into a new ledger.
    pub fn build(
        charges: &[ChargeTotal],
        payments: &[Payment],
        due: &DueSchedule,
    ) -> Result<Ledger, LedgerError> {
        let mut ledger = Ledger::default();
        ledger.replay(charges, payments, due)?;
        Ok(ledger)
    }

    /// Replaces this ledger's content by the replay of `charges` and `payments`.
    pub fn replay(
        &mut self,
        charges: &[ChargeTotal],
        payments: &[Payment],
        due: &DueSchedule,
    ) -> Result<(), LedgerError> {
        validate(charges, payments)?;
        self.pieces.clear();
        self.settlements.clear();
        self.advances = [Money::ZERO; 4];
        self.unassigned = Money::ZERO;
        self.open_from = [0; 4];

        let mut next_payment = 0;
        let mut rest = charges;
        while let Some(first) = rest.first() {
            let period = first.period;
            let (group, after) = rest.split_at(rest.partition_point(|c| c.period == period));
            let posted = period.next().first_day();
            while let Some(p) = payments.get(next_payment).filter(|p| p.date < posted) {
                self.pay(next_payment, p);
                next_payment += 1;
            }
            self.post(period, group, posted, due);
            rest = after;
        }
        for (i, p) in payments.iter().enumerate().skip(next_payment) {
            self.pay(i, p);
        }
        self.finish();
        Ok(())
    }

    /// Balance per service after every event.
    pub fn balances(&self) -> &Balances {
        &self.balances
    }

    /// Every debt piece, ordered by period and then [`ALLOCATION_ORDER`]; settled ones included.
    pub fn pieces(&self) -> &[DebtPiece] {
        &self.pieces
    }

    /// The settlements of `piece` (one of [`Ledger::pieces`]), by date.
    pub fn settlements_of(&self, piece: &DebtPiece) -> &[Settlement] {
        &self.settlements[piece.settled.0 as usize..piece.settled.1 as usize]
    }

    /// The penalty accrued on the days `from..=through` by one piece; zero for penalties.
    /// Parts settled after `through` count as owed through `through`, priced at its rate.
    pub fn piece_penalty(
        &self,
        piece: &DebtPiece,
        from: NaiveDate,
        through: NaiveDate,
        rates: &PenaltyRates,
    ) -> Result<Money, RateError> {
        let settlements = self.settlements_of(piece);
        let settled_before_window =
            piece.outstanding.is_zero() && settlements.last().is_none_or(|s| s.date < from);
        if piece.service == Service::Penalty
            || settled_before_window
            || penalty::day_of_lateness(piece.due, through) <= FREE_DAYS
        {
            return Ok(Money::ZERO);
        }
        let parts = settlements
            .iter()
            .map(|s| DebtPart {
                amount: s.amount,
                settled_on: Some(s.date),
            })
            .chain(std::iter::once(DebtPart {
                amount: piece.outstanding,
                settled_on: None,
            }));
        penalty::penalty_between(piece.due, parts, from, through, rates)
    }

    /// The penalty accrued on the days `from..=through` by every overdue piece (penalties accrue
    /// none). Windows that follow one another charge each day of lateness exactly once.
    pub fn penalty_between(
        &self,
        from: NaiveDate,
        through: NaiveDate,
        rates: &PenaltyRates,
    ) -> Result<Money, RateError> {
        let mut total = Money::ZERO;
        for piece in &self.pieces {
            total = total + self.piece_penalty(piece, from, through, rates)?;
        }
        Ok(total)
    }

    /// The penalty to charge when closing `period`: what the days of that month accrued, each
    /// unpaid debt at the rate on the month's last day, each part paid within it at the rate on its
    /// payment day. The ledger may hold later payments: they count as unpaid within `period`.
    pub fn penalty_for_period(
        &self,
        period: Period,
        rates: &PenaltyRates,
    ) -> Result<Money, RateError> {
        self.penalty_between(period.first_day(), period.last_day(), rates)
    }

    fn pay(&mut self, index: usize, payment: &Payment) {
        let by = SettledBy::Payment(u32::try_from(index).expect("fewer than 2^32 payments"));
        let (date, amount) = (payment.date, payment.amount);
        match payment.service {
            Some(service) => {
                let rest = self.settle_oldest(amount, date, by, &[slot(service)]);
                self.advances[slot(service)] = self.advances[slot(service)] + rest;
            }
            None => {
                let rest = self.settle_oldest(amount, date, by, PRINCIPAL_SLOTS);
                let rest = self.settle_oldest(rest, date, by, PENALTY_SLOTS);
                self.unassigned = self.unassigned + rest;
            }
        }
    }

    /// Posts one period's charges, in [`ALLOCATION_ORDER`] so pieces stay in paying order.
    fn post(
        &mut self,
        period: Period,
        group: &[ChargeTotal],
        posted: NaiveDate,
        due: &DueSchedule,
    ) {
        for service in ALLOCATION_ORDER {
            let k = slot(service);
            let total: Money = group
                .iter()
                .filter(|c| c.service == service)
                .map(|c| c.amount)
                .sum();
            if total.is_negative() {
                let rest = self.settle_oldest(-total, posted, SettledBy::Recalculation, &[k]);
                self.advances[k] = self.advances[k] + rest;
            } else if total.is_positive() {
                let index = self.pieces.len();
                self.pieces.push(DebtPiece {
                    period,
                    service,
                    amount: total,
                    due: due.due_date(period),
                    outstanding: total,
                    settled: (0, 0),
                });
                let own = self.advances[k].min(total);
                if own.is_positive() {
                    self.advances[k] = self.advances[k] - own;
                    self.settle(index, own, posted, SettledBy::Advance);
                }
                let shared = self.unassigned.min(total - own);
                if shared.is_positive() {
                    self.unassigned = self.unassigned - shared;
                    self.settle(index, shared, posted, SettledBy::Advance);
                }
            }
        }
    }

    /// Settles the oldest owed pieces of the services in `slots`; returns what is left of `amount`.
    fn settle_oldest(
        &mut self,
        mut amount: Money,
        date: NaiveDate,
        by: SettledBy,
        slots: &[usize],
    ) -> Money {
        let start = slots.iter().map(|&k| self.open_from[k]).min().unwrap_or(0);
        for index in start..self.pieces.len() {
            if !amount.is_positive() {
                break;
            }
            let piece = &self.pieces[index];
            if piece.outstanding.is_positive() && slots.contains(&slot(piece.service)) {
                let take = amount.min(piece.outstanding);
                self.settle(index, take, date, by);
                amount = amount - take;
            }
        }
        for &k in slots {
            let mut i = self.open_from[k];
            while self
                .pieces
                .get(i)
                .is_some_and(|p| slot(p.service) != k || !p.outstanding.is_positive())
            {
                i += 1;
            }
            self.open_from[k] = i;
        }
        amount
    }

    fn settle(&mut self, index: usize, amount: Money, date: NaiveDate, by: SettledBy) {
        let piece = &mut self.pieces[index];
        piece.outstanding = piece.outstanding - amount;
        self.settlements.push(Settlement {
            piece: u32::try_from(index).expect("fewer than 2^32 pieces"),
            date,
            amount,
            by,
        });
    }

    /// Groups settlements by piece and totals the balances.
    fn finish(&mut self) {
        // Appended in time order; same-day ties may swap, which changes no sum.
        self.settlements.sort_unstable_by_key(|s| (s.piece, s.date));
        let mut owed = [Money::ZERO; 4];
        let mut next = 0;
        for (index, piece) in self.pieces.iter_mut().enumerate() {
            let start = next;
            while self
                .settlements
                .get(next)
                .is_some_and(|s| s.piece as usize == index)
            {
                next += 1;
            }
            piece.settled = (start as u32, next as u32);
            owed[slot(piece.service)] = owed[slot(piece.service)] + piece.outstanding;
        }
        self.balances = Balances::new(
            ALLOCATION_ORDER
                .iter()
                .map(|&s| (s, owed[slot(s)] - self.advances[slot(s)])),
            self.unassigned,
        );
    }
}

fn validate(charges: &[ChargeTotal], payments: &[Payment]) -> Result<(), LedgerError> {
    if let Some(i) = (1..charges.len()).find(|&i| charges[i].period < charges[i - 1].period) {
        return Err(LedgerError::ChargesOutOfOrder(i));
    }
    if let Some(i) = (1..payments.len()).find(|&i| payments[i].date < payments[i - 1].date) {
        return Err(LedgerError::PaymentsOutOfOrder(i));
    }
    if let Some(i) = payments.iter().position(|p| !p.amount.is_positive()) {
        return Err(LedgerError::NonPositivePayment(i));
    }
    Ok(())
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
