//! Generated data: the demo company that anyone can try the bot on, and synthetic accounts in any
//! number for measurements.
//!
//! Generation is deterministic — the same `today` always gives the same records — and produces
//! plain records ([`records`]) that know nothing of the store; [`seed_demo`] and
//! [`seed_synthetic`] hand them to the store's idempotent bulk insert. Charges are not generated:
//! after seeding, close the periods of [`SeedReport::to_close`].

mod accounts;
mod company;
mod history;
pub mod records;
mod rng;
mod synthetic;
mod timeline;

pub use accounts::{KUZNETSOV_PASSWORD, demo_batch, password_hash};
pub use records::{
    AccountRecord, Batch, Company, KeyRateRecord, MeterRecord, PaymentRecord, PaymentSource,
    ReadingRecord, TariffRecord,
};
pub use synthetic::{SYNTHETIC_MAX, SYNTHETIC_PREFIX, synthetic_chunk, synthetic_number};
pub use timeline::Timeline;

use crate::billing::Period;
use crate::store::bulk::{self, Inserted};
use crate::store::{Store, StoreError, StoreResult};
use chrono::NaiveDate;
use futures::{StreamExt, TryStreamExt, stream};
use std::fmt;

/// Synthetic accounts generated and inserted at a time: big enough that a round trip is cheap
/// against its rows (about 60,000), small enough to keep memory flat.
pub const SYNTHETIC_CHUNK: usize = 1_000;

/// A seed of at least this many synthetic accounts goes by one bulk load when none of them is
/// there yet ([`load_synthetic`]).
pub const SYNTHETIC_BULK_MIN: usize = 20_000;

/// Synthetic accounts made and streamed at a time in a bulk load (about 300,000 rows).
const SYNTHETIC_BULK_CHUNK: usize = 5_000;

/// Synthetic accounts compared with the store before seeding, to catch data of another day.
const SYNTHETIC_PROBE: usize = 100;

/// What a seed added, and which periods to close for the charges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedReport {
    /// Rows added (none on a rerun).
    pub inserted: Inserted,
    /// The first period with consumption; close it and each one after it …
    pub first_period: Period,
    /// … through this one, the month before today's.
    pub last_period: Period,
}

impl SeedReport {
    fn new(inserted: Inserted, timeline: &Timeline) -> SeedReport {
        SeedReport {
            inserted,
            first_period: timeline.first_billed,
            last_period: timeline.current.prev(),
        }
    }

    /// The periods whose charges period close must compute, oldest first.
    pub fn to_close(&self) -> impl Iterator<Item = Period> + use<> {
        let first = self.first_period;
        (0..=first.months_until(self.last_period)).map(move |i| first.plus(i))
    }
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "added {}; periods to close: {} to {}",
            self.inserted, self.first_period, self.last_period
        )
    }
}

/// Seeds the demo company (tariffs, key rates, the demo accounts with two years of readings and
/// payments) as seen on `today`. Seeding again with the same `today` adds nothing. A database
/// seeded for a day with other readings (another month; the last reading of meter 353425345 is
/// always 5910) is refused rather than mixed.
pub async fn seed_demo(store: &Store, today: NaiveDate) -> StoreResult<SeedReport> {
    let company = Company::demo();
    let batch = demo_batch(&company, today);
    refuse_other_days(store, &batch.readings, today).await?;
    let mut inserted = bulk::insert_company(store, &company).await?;
    inserted += bulk::insert_batch(store, &batch).await?;
    Ok(SeedReport::new(inserted, &Timeline::new(today)))
}

/// Seeds the demo company's tariffs and key rates and `n` synthetic accounts (numbers from
/// `7800000000000`) with two years of readings and payments, as seen on `today`, a chunk at a
/// time: one chunk is generated while the one before is inserted (from
/// [`SYNTHETIC_BULK_MIN`] new accounts on, by one bulk load instead). `progress` gets the number
/// of accounts done after each chunk. Deterministic and idempotent like [`seed_demo`], and like
/// it refuses a database seeded for a day with other readings (checked on the first accounts).
pub async fn seed_synthetic(
    store: &Store,
    n: usize,
    today: NaiveDate,
    mut progress: impl FnMut(usize),
) -> StoreResult<SeedReport> {
    let probe = synthetic_chunk(0, n.min(SYNTHETIC_PROBE), today);
    refuse_other_days(store, &probe.readings, today).await?;
    let mut inserted = bulk::insert_company(store, &Company::demo()).await?;
    if n >= SYNTHETIC_BULK_MIN
        && let Some(added) = load_synthetic(store, n, today, &mut progress).await?
    {
        inserted += added;
        return Ok(SeedReport::new(inserted, &Timeline::new(today)));
    }
    let chunks = (0..n)
        .step_by(SYNTHETIC_CHUNK)
        .map(|start| (start, SYNTHETIC_CHUNK.min(n - start)));
    let mut inserts = stream::iter(chunks)
        .map(|(start, len)| async move {
            let batch = generate(start, len, today).await;
            bulk::insert_batch(store, &batch)
                .await
                .map(|added| (start + len, added))
        })
        .buffered(2);
    while let Some((done, added)) = inserts.try_next().await? {
        inserted += added;
        progress(done);
    }
    Ok(SeedReport::new(inserted, &Timeline::new(today)))
}

/// Synthetic accounts `0..n` (none of them there yet) by one bulk load: their rows are made on
/// a thread of their own, a chunk ahead, and streamed into one transaction
/// ([`bulk::BulkLoad`]). `None`, having changed nothing, when some of them are there already.
/// Holds the accounts, meters, readings and payments tables to itself until it commits: seed a
/// database nobody is using.
pub async fn load_synthetic(
    store: &Store,
    n: usize,
    today: NaiveDate,
    progress: &mut impl FnMut(usize),
) -> StoreResult<Option<Inserted>> {
    if n == 0 {
        return Ok(Some(Inserted::default()));
    }
    let (first, last) = (synthetic_number(0), synthetic_number(n - 1));
    let Some(mut load) = bulk::BulkLoad::begin(store, &first, &last).await? else {
        return Ok(None);
    };
    let (rows_tx, mut rows_rx) = tokio::sync::mpsc::channel(2);
    let mut ids = load.first_ids();
    let maker = tokio::task::spawn_blocking(move || {
        for start in (0..n).step_by(SYNTHETIC_BULK_CHUNK) {
            let len = SYNTHETIC_BULK_CHUNK.min(n - start);
            let rows = bulk::CopyRows::new(&synthetic_chunk(start, len, today), &mut ids);
            if rows_tx.blocking_send((start + len, rows)).is_err() {
                return; // the load stopped
            }
        }
    });
    while let Some((done, rows)) = rows_rx.recv().await {
        load.copy(rows?).await?;
        progress(done);
    }
    // The rows ended: all made, or the maker died (then the load rolls back).
    if let Err(e) = maker.await {
        std::panic::resume_unwind(e.into_panic());
    }
    Ok(Some(load.finish().await?))
}

/// Refuses to add data for `today` on top of data generated for a day that gives other readings
/// (another month, or the other side of the reading window's end): the two would not fit.
async fn refuse_other_days(
    store: &Store,
    readings: &[ReadingRecord],
    today: NaiveDate,
) -> StoreResult<()> {
    let changed = bulk::count_changed_readings(store, readings).await?;
    if changed == 0 {
        return Ok(());
    }
    Err(StoreError::Corrupt(format!(
        "the generated data here was seeded for another day: {changed} stored readings differ \
         from those of {today}; seed a fresh database instead"
    )))
}

/// Generates a chunk on a blocking thread, so that inserting the previous one goes on meanwhile.
async fn generate(start: usize, len: usize, today: NaiveDate) -> Batch {
    let job = tokio::task::spawn_blocking(move || synthetic_chunk(start, len, today));
    match job.await {
        Ok(batch) => batch,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Why the demo could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildDemoError {
    #[error("seeding the demo: {0}")]
    Seed(#[from] StoreError),
    #[error("closing the demo's periods: {0}")]
    Close(#[from] crate::close::CloseRunError),
}

/// The whole demo as `kabinet chat` and the dialogue tests see it: the seed, then every past
/// period closed so that charges, debts and penalties exist. Idempotent, like its parts.
pub async fn build_demo(store: &Store, today: NaiveDate) -> Result<SeedReport, BuildDemoError> {
    let report = seed_demo(store, today).await?;
    let settings = crate::close::CloseSettings::default();
    crate::close::close_through(
        store,
        report.first_period,
        report.last_period,
        today,
        &settings,
        |_| {},
    )
    .await?;
    Ok(report)
}
