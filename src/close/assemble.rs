//! A loaded batch in, charge lines and failures out: pure, so it runs on a blocking thread while
//! the next batch loads.

use super::opening::{History, ledger_input};
use super::zones::{Unready, finish, ready_meter};
use crate::billing::consumption::{BadMeterSpec, MeterSpec};
use crate::billing::{
    AccountPeriodInput, Category, ChargeLine, CloseError, DueSchedule, KeyRates, Ledger,
    LedgerError, PenaltyRates, RateError, Service, TariffError, TariffTable, close_account,
};
use crate::store::close::{
    AccountLine, ActualReading, BatchScope, CloseBatch, CloseGlobals, CloseMeter,
};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// The tables every account of a run shares.
#[derive(Debug)]
pub struct Globals {
    tariffs: HashMap<Category, Result<Arc<TariffTable>, TariffError>>,
    rates: PenaltyRates,
    due: DueSchedule,
}

impl Globals {
    /// Builds a tariff table per category (a broken one fails only its category's accounts)
    /// and the penalty rates (broken key rates fail the run).
    pub fn new(globals: CloseGlobals, due: DueSchedule) -> Result<Globals, RateError> {
        let mut by_category: HashMap<Category, Vec<_>> = HashMap::new();
        for (category, rate) in globals.tariffs {
            by_category.entry(category).or_default().push(rate);
        }
        let tariffs = by_category
            .into_iter()
            .map(|(category, rates)| (category, TariffTable::new(rates).map(Arc::new)))
            .collect();
        let rates = PenaltyRates::new(KeyRates::new(globals.key_rates)?);
        Ok(Globals {
            tariffs,
            rates,
            due,
        })
    }

    fn tariffs(&self, category: Category) -> Result<Arc<TariffTable>, AccountError> {
        match self.tariffs.get(&category) {
            Some(Ok(table)) => Ok(table.clone()),
            Some(Err(source)) => Err(AccountError::Tariffs {
                category,
                source: source.clone(),
            }),
            // No rate at all: the close fails on the first look-up with a precise message.
            None => Ok(Arc::new(TariffTable::default())),
        }
    }
}

/// Why one account's period could not be closed: data to fix, then close again.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AccountError {
    #[error("the tariffs of category {category} are unusable: {source}")]
    Tariffs {
        category: Category,
        source: TariffError,
    },
    #[error("meter {meter}: {source}")]
    MeterSpec { meter: i64, source: BadMeterSpec },
    #[error("meter {meter} has a zone without an actual reading to start from")]
    NoReading { meter: i64 },
    #[error(transparent)]
    Close(#[from] CloseError),
    #[error("the ledger cannot be replayed: {0}")]
    Ledger(#[from] LedgerError),
    #[error("penalty: {0}")]
    Penalty(#[from] RateError),
}

/// An account left open, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct AccountFailure {
    pub account_id: i64,
    pub error: AccountError,
}

/// What a batch closes to.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub lines: Vec<AccountLine>,
    /// The accounts to mark closed, by id.
    pub closed: Vec<i64>,
    pub failures: Vec<AccountFailure>,
}

/// Closes every account of `batch`: its charge lines (electricity, ОДН) and the penalty line.
pub fn close_batch(batch: &CloseBatch, scope: &BatchScope, globals: &Globals) -> BatchOutcome {
    let mut out = BatchOutcome {
        lines: Vec::with_capacity(batch.accounts.len() * 3),
        closed: Vec::with_capacity(batch.accounts.len()),
        failures: Vec::new(),
    };
    let readings = index_readings(&batch.readings);
    let no_readings: &[ActualReading] = &[];
    let mut cursors = Cursors::default();
    let mut work = Work::default();
    for account in &batch.accounts {
        let id = account.id;
        let meters = cursors.meters.take(&batch.meters, id, |m| m.account_id);
        let estimates = cursors
            .estimates
            .take(&batch.estimates, id, |e| e.account_id);
        let history = History {
            opening_charges: cursors
                .opening_charges
                .take(&batch.opening_charges, id, |c| c.account_id),
            charges: cursors.charges.take(&batch.charges, id, |c| c.account_id),
            opening_payments: cursors
                .opening_payments
                .take(&batch.opening_payments, id, |p| p.account_id),
            payments: cursors.payments.take(&batch.payments, id, |p| p.account_id),
        };
        let result = (|| -> Result<(), AccountError> {
            let tariffs = globals.tariffs(account.category)?;
            let mut ready = Vec::with_capacity(meters.len());
            for meter in meters {
                let spec = spec(meter)?;
                let zone_readings = |zone| {
                    readings
                        .get(&(meter.id, zone))
                        .map_or(no_readings, |r| &batch.readings[r.clone()])
                };
                match ready_meter(meter, spec, scope.period, zone_readings) {
                    Ok(m) => ready.push(m),
                    Err(Unready::New) => {}
                    Err(Unready::NoBase) => {
                        return Err(AccountError::NoReading { meter: meter.id });
                    }
                }
            }
            let input = AccountPeriodInput {
                period: scope.period,
                tariffs,
                odn_kwh: account.odn_kwh,
                norm_kwh: account.norm_kwh,
                meters: finish(ready, estimates, scope.period),
            };
            work.lines = close_account(&input)?;
            ledger_input(
                &history,
                scope.ledger_from,
                &mut work.charges,
                &mut work.payments,
            );
            work.ledger
                .replay(&work.charges, &work.payments, &globals.due)?;
            let penalty = work
                .ledger
                .penalty_for_period(scope.period, &globals.rates)?;
            if !penalty.is_zero() {
                work.lines.push(ChargeLine {
                    service: Service::Penalty,
                    zone: None,
                    line: 0,
                    volume: None,
                    rate: None,
                    amount: penalty,
                    estimated: false,
                });
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                out.lines.extend(work.lines.drain(..).map(|l| (id, l)));
                out.closed.push(id);
            }
            Err(error) => out.failures.push(AccountFailure {
                account_id: id,
                error,
            }),
        }
    }
    out
}

fn spec(meter: &CloseMeter) -> Result<MeterSpec, AccountError> {
    let bad = || BadMeterSpec {
        digits: u8::try_from(meter.digits).unwrap_or(u8::MAX),
        fraction_digits: u8::try_from(meter.fraction_digits).unwrap_or(u8::MAX),
    };
    let digits = u8::try_from(meter.digits).map_err(|_| bad());
    let fraction = u8::try_from(meter.fraction_digits).map_err(|_| bad());
    digits
        .and_then(|d| fraction.and_then(|f| MeterSpec::new(d, f, meter.kind)))
        .map_err(|source| AccountError::MeterSpec {
            meter: meter.id,
            source,
        })
}

/// Where each meter zone's run of readings is (they come grouped by meter and zone).
fn index_readings(
    readings: &[ActualReading],
) -> HashMap<(i64, crate::billing::Zone), Range<usize>> {
    let mut index = HashMap::with_capacity(readings.len() / 4 + 1);
    let mut start = 0;
    for (i, r) in readings.iter().enumerate() {
        let next = readings.get(i + 1);
        if next.is_none_or(|n| (n.meter_id, n.zone) != (r.meter_id, r.zone)) {
            index.insert((r.meter_id, r.zone), start..i + 1);
            start = i + 1;
        }
    }
    index
}

/// Buffers reused from one account to the next.
#[derive(Default)]
struct Work {
    lines: Vec<ChargeLine>,
    charges: Vec<crate::billing::ChargeTotal>,
    payments: Vec<crate::billing::Payment>,
    ledger: Ledger,
}

/// A position in each list of the batch, all sorted by account.
#[derive(Default)]
struct Cursors {
    meters: Cursor,
    estimates: Cursor,
    opening_charges: Cursor,
    charges: Cursor,
    opening_payments: Cursor,
    payments: Cursor,
}

#[derive(Default)]
struct Cursor(usize);

impl Cursor {
    /// The rows of `account`, skipping any of earlier accounts.
    fn take<'a, T>(&mut self, rows: &'a [T], account: i64, key: impl Fn(&T) -> i64) -> &'a [T] {
        while rows.get(self.0).is_some_and(|r| key(r) < account) {
            self.0 += 1;
        }
        let start = self.0;
        while rows.get(self.0).is_some_and(|r| key(r) == account) {
            self.0 += 1;
        }
        &rows[start..self.0]
    }
}
