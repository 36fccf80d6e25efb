//! Two years in the life of one account: monthly consumption, the meter readings it leaves, and
//! the payments of its bills. Shared by the demo accounts and the synthetic ones; what differs
//! between consumers is their [`Plan`].

use super::records::{
    AccountRecord, Batch, Company, MeterRecord, PaymentRecord, PaymentSource, ReadingRecord,
};
use super::rng::SplitMix64;
use super::timeline::Timeline;
use crate::billing::{DueSchedule, Money, Period, ReadingSource, TariffKind, Zone};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, TimeDelta};
use rust_decimal::Decimal;

/// How consumption moves over the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Season {
    /// A home lived in all year: more light and heaters in winter.
    Home,
    /// A dacha: used in summer, nearly idle in winter.
    Dacha,
}

impl Season {
    /// Consumption of `month` (1..=12) against the base, per mille.
    fn per_mille(self, month: u32) -> u32 {
        const HOME: [u32; 12] = [
            1200, 1120, 1020, 920, 850, 800, 800, 840, 920, 1020, 1120, 1200,
        ];
        const DACHA: [u32; 12] = [
            200, 200, 300, 600, 1000, 1400, 1600, 1500, 1000, 500, 250, 200,
        ];
        let i = (month - 1) as usize;
        match self {
            Season::Home => HOME[i],
            Season::Dacha => DACHA[i],
        }
    }
}

/// What fixes the meter's absolute values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The baseline reading (all zones together), split between zones by their usual shares.
    Start(u32),
    /// The last reading of a single-rate meter (the readings before it follow from consumption).
    LastTotal(u32),
}

/// How a consumer reads the meter and pays. Percentages are chances per month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Habits {
    /// No readings for the periods from `current − silent_months` on (0: reads to the end).
    pub silent_months: i32,
    /// A month's reading forgotten (the next one covers both months).
    pub gap_percent: u32,
    /// A reading taken by the company's inspector rather than sent by the consumer.
    pub inspector_percent: u32,
    /// No payments in the last `unpaid_months` calendar months, today's month included.
    pub unpaid_months: i32,
    /// Paid after the due day.
    pub late_percent: u32,
    /// Paid in two parts, a week or so apart.
    pub split_percent: u32,
    /// Pays by card through the gateway as a rule (else by bank); one payment in ten goes the
    /// other way.
    pub card_percent: u32,
    /// The bill rounded up to ten roubles.
    pub round_up_percent: u32,
    /// The share of each bill paid, percent (below 100 leaves a growing debt).
    pub paid_share_percent: u32,
}

impl Habits {
    /// A tidy consumer: reads every month, pays in full, nearly always on time.
    pub const TIDY: Habits = Habits {
        silent_months: 0,
        gap_percent: 0,
        inspector_percent: 5,
        unpaid_months: 0,
        late_percent: 5,
        split_percent: 5,
        card_percent: 40,
        round_up_percent: 10,
        paid_share_percent: 100,
    };
}

/// Everything that decides one account's history.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Seeds this account's generators.
    pub seed: u64,
    pub account: AccountRecord,
    pub serial: String,
    pub kind: TariffKind,
    pub digits: i16,
    /// Average monthly consumption, kWh, before the season.
    pub monthly_kwh: u32,
    pub season: Season,
    pub anchor: Anchor,
    pub habits: Habits,
}

/// Streams of one account, so that changing how payments are drawn leaves readings as they were.
const USAGE: u64 = 1;
const READINGS: u64 = 2;
const PAYMENTS: u64 = 3;
const METER: u64 = 4;

/// Appends the account, its meter, readings and payments to `batch`.
pub fn generate(plan: &Plan, company: &Company, timeline: &Timeline, batch: &mut Batch) {
    let usage = monthly_usage(plan, timeline);
    let readings = readings(plan, timeline, &usage);
    let baseline_day = readings.first().map_or(timeline.today, |r| r.taken_on);
    let mut meter_rng = SplitMix64::keyed(plan.seed, METER);
    let installed_on = baseline_day - Days::new(u64::from(meter_rng.between(60, 3000)));
    batch.meters.push(MeterRecord {
        account: plan.account.number.clone(),
        serial: plan.serial.clone(),
        tariff_kind: plan.kind,
        digits: plan.digits,
        installed_on,
        // Single-phase meters are verified every 16 years.
        verified_until: installed_on.checked_add_months(chrono::Months::new(16 * 12)),
    });
    batch.readings.extend(readings);
    batch
        .payments
        .extend(payments(plan, company, timeline, &usage));
    batch.accounts.push(plan.account.clone());
}

/// Consumption per zone (in the order of `kind.zones()`) of each billed month, first to last read.
fn monthly_usage(plan: &Plan, timeline: &Timeline) -> Vec<(Period, Vec<u32>)> {
    let mut rng = SplitMix64::keyed(plan.seed, USAGE);
    timeline
        .billed_and_read()
        .map(|period| {
            let total = u64::from(plan.monthly_kwh)
                * u64::from(plan.season.per_mille(period.month()))
                * u64::from(rng.per_mille_around(12))
                / 1_000_000;
            (period, split(plan.kind, total as u32, &mut rng))
        })
        .collect()
}

/// Splits a month's kWh between zones: day/night about 70/30, peak/semi-peak/night 25/45/30.
fn split(kind: TariffKind, total: u32, rng: &mut SplitMix64) -> Vec<u32> {
    let part = |per_mille: u32| (u64::from(total) * u64::from(per_mille) / 1000) as u32;
    match kind {
        TariffKind::Single => vec![total],
        TariffKind::TwoZone => {
            let night = part(rng.between(270, 330));
            vec![total - night, night]
        }
        TariffKind::ThreeZone => {
            let peak = part(rng.between(225, 275));
            let semi = part(rng.between(420, 480));
            vec![peak, semi, total - peak - semi]
        }
    }
}

/// The baseline reading (the period before the first billed one) and the monthly readings after.
fn readings(plan: &Plan, timeline: &Timeline, usage: &[(Period, Vec<u32>)]) -> Vec<ReadingRecord> {
    let zones = plan.kind.zones();
    let mut values = baseline(plan, usage);
    let mut rng = SplitMix64::keyed(plan.seed, READINGS);
    let mut out = Vec::with_capacity((usage.len() + 1) * zones.len());
    let silent_from =
        (plan.habits.silent_months > 0).then(|| timeline.current.plus(-plan.habits.silent_months));
    let months = std::iter::once((timeline.first_billed.prev(), None))
        .chain(usage.iter().map(|(period, used)| (*period, Some(used))));
    for (period, used) in months {
        if let Some(used) = used {
            for (value, kwh) in values.iter_mut().zip(used) {
                *value += kwh;
            }
        }
        let day = period.day(rng.between(Timeline::WINDOW.0, Timeline::WINDOW.1));
        let forgotten = used.is_some() && rng.chance(plan.habits.gap_percent);
        let source = if rng.chance(plan.habits.inspector_percent) {
            ReadingSource::Inspector
        } else {
            ReadingSource::Web
        };
        if forgotten || silent_from.is_some_and(|from| period >= from) {
            continue;
        }
        for (zone, value) in zones.iter().zip(&values) {
            out.push(ReadingRecord {
                meter_serial: plan.serial.clone(),
                zone: *zone,
                value: Decimal::from(*value),
                period,
                taken_on: day,
                source,
            });
        }
    }
    debug_assert!(
        values
            .iter()
            .all(|v| f64::from(*v) < 10f64.powi(plan.digits.into())),
        "meter {} overflows its {} digits",
        plan.serial,
        plan.digits
    );
    out
}

/// The meter's values per zone at the baseline reading.
fn baseline(plan: &Plan, usage: &[(Period, Vec<u32>)]) -> Vec<u32> {
    match plan.anchor {
        Anchor::Start(total) => {
            let mut rng = SplitMix64::new(plan.seed);
            split(plan.kind, total, &mut rng)
        }
        Anchor::LastTotal(last) => {
            assert_eq!(plan.kind, TariffKind::Single, "LastTotal anchors one zone");
            let used: u32 = usage.iter().map(|(_, zones)| zones[0]).sum();
            let start = last.checked_sub(used);
            vec![start.expect("the anchored last reading leaves room for two years of use")]
        }
    }
}

/// Payments of the bills of every closed month, as far as they happened before today.
fn payments(
    plan: &Plan,
    company: &Company,
    timeline: &Timeline,
    usage: &[(Period, Vec<u32>)],
) -> Vec<PaymentRecord> {
    let habits = &plan.habits;
    let mut rng = SplitMix64::keyed(plan.seed, PAYMENTS);
    let dues = DueSchedule::default();
    let stop = (habits.unpaid_months > 0)
        .then(|| timeline.current.plus(1 - habits.unpaid_months).first_day());
    let usual = if rng.chance(habits.card_percent) {
        PaymentSource::Card
    } else {
        PaymentSource::Bank
    };
    let other = |source| match source {
        PaymentSource::Card => PaymentSource::Bank,
        PaymentSource::Bank => PaymentSource::Card,
    };
    let mut out = Vec::new();
    for (period, used) in usage.iter().filter(|(p, _)| *p < timeline.current) {
        let bill = bill(plan, company, *period, used);
        let mut amount = Money::from_decimal(
            bill.amount() * Decimal::from(habits.paid_share_percent) / Decimal::ONE_HUNDRED,
        );
        if rng.chance(habits.round_up_percent) {
            amount = Money::from_kopecks((amount.kopecks() + 999) / 1000 * 1000);
        }
        let due = dues.due_date(*period);
        let first_day = if rng.chance(habits.late_percent) {
            due + Days::new(u64::from(rng.between(3, 30)))
        } else {
            period.next().day(rng.between(2, due.day() - 1))
        };
        let parts = if rng.chance(habits.split_percent) {
            let first = Decimal::from(rng.between(40, 70));
            let second_day = first_day + Days::new(u64::from(rng.between(5, 12)));
            let shares = amount.allocate(&[first, Decimal::ONE_HUNDRED - first]);
            vec![(shares[0], first_day), (shares[1], second_day)]
        } else {
            vec![(amount, first_day)]
        };
        let source = if rng.chance(10) { other(usual) } else { usual };
        for (part, (amount, day)) in parts.into_iter().enumerate() {
            let minute = rng.between(8 * 60, 22 * 60 - 1);
            if day >= timeline.today
                || stop.is_some_and(|stop| day >= stop)
                || !amount.is_positive()
            {
                continue;
            }
            out.push(PaymentRecord {
                account: plan.account.number.clone(),
                amount,
                paid_at: moscow(day, minute),
                source,
                order_id: format!("seed-{}-{}-{}", plan.account.number, period, part + 1),
            });
        }
    }
    out
}

/// What the consumer's bill for `period` comes to: each zone's volume at its rate, and ОДН at the
/// single rate. Period close computes the real one; this is what the payer is assumed to pay.
fn bill(plan: &Plan, company: &Company, period: Period, used: &[u32]) -> Money {
    let category = plan.account.category;
    let on = period.first_day();
    let rate = |zone: Zone| company.rate(category, zone, on).unwrap_or(Decimal::ZERO);
    let zones: Money = plan
        .kind
        .zones()
        .iter()
        .zip(used)
        .map(|(zone, kwh)| Money::line(Decimal::from(*kwh), rate(*zone)))
        .sum();
    zones + Money::line(plan.account.odn_kwh, rate(Zone::Total))
}

/// `minute` minutes after midnight of `day` in Moscow (UTC+3, no daylight saving), in UTC.
fn moscow(day: NaiveDate, minute: u32) -> chrono::DateTime<chrono::Utc> {
    let local = day.and_time(NaiveTime::MIN) + TimeDelta::minutes(i64::from(minute));
    (local - TimeDelta::hours(3)).and_utc()
}
