//! When notices may go: never in quiet hours (21:00–09:00 in the company's zone), and a large
//! batch spread out at the pace Telegram allows rather than all at 09:00:00. Pure: the time
//! comes in as an argument.

use chrono::{DateTime, Duration, FixedOffset, NaiveTime, TimeZone, Utc};

/// The hours in which notices wait, local time: from `start` to `end` the next morning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for QuietHours {
    /// 21:00 to 09:00.
    fn default() -> QuietHours {
        QuietHours {
            start: NaiveTime::from_hms_opt(21, 0, 0).expect("a time"),
            end: NaiveTime::from_hms_opt(9, 0, 0).expect("a time"),
        }
    }
}

impl QuietHours {
    /// Whether `at` falls in quiet hours in `zone`.
    pub fn contains(&self, at: DateTime<Utc>, zone: FixedOffset) -> bool {
        let time = at.with_timezone(&zone).time();
        if self.start <= self.end {
            self.start <= time && time < self.end
        } else {
            time >= self.start || time < self.end
        }
    }

    /// `at` itself outside quiet hours, else the moment they end.
    pub fn next_allowed(&self, at: DateTime<Utc>, zone: FixedOffset) -> DateTime<Utc> {
        if !self.contains(at, zone) {
            return at;
        }
        let local = at.with_timezone(&zone);
        let mut day = local.date_naive();
        if local.time() >= self.end {
            day = day.succ_opt().unwrap_or(day);
        }
        zone.from_local_datetime(&day.and_time(self.end))
            .single()
            .map_or(at, |t| t.with_timezone(&Utc))
    }
}

/// The gap between two sends at `per_sec` a second.
pub fn spacing(per_sec: f64) -> std::time::Duration {
    std::time::Duration::from_secs_f64(1.0 / per_sec.max(0.01))
}

/// When the `n`-th of a run's sends is due, counting from `start` `spacing` apart.
pub fn slot(start: DateTime<Utc>, spacing: std::time::Duration, n: u64) -> DateTime<Utc> {
    let micros = spacing.as_micros().saturating_mul(u128::from(n));
    start + Duration::microseconds(i64::try_from(micros).unwrap_or(i64::MAX / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msk() -> FixedOffset {
        FixedOffset::east_opt(3 * 3600).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn quiet_hours_run_from_nine_in_the_evening_to_nine_in_the_morning_local() {
        let quiet = QuietHours::default();
        // 17:59 UTC is 20:59 in Moscow; 18:00 UTC is 21:00.
        assert!(!quiet.contains(utc("2026-11-15T17:59:59Z"), msk()));
        assert!(quiet.contains(utc("2026-11-15T18:00:00Z"), msk()));
        assert!(quiet.contains(utc("2026-11-15T05:59:59Z"), msk()));
        assert!(!quiet.contains(utc("2026-11-15T06:00:00Z"), msk()));
    }

    #[test]
    fn what_falls_in_quiet_hours_waits_for_nine_local() {
        let quiet = QuietHours::default();
        // Evening: the next morning; after midnight: the same morning.
        assert_eq!(
            quiet.next_allowed(utc("2026-11-15T19:30:00Z"), msk()),
            utc("2026-11-16T06:00:00Z")
        );
        assert_eq!(
            quiet.next_allowed(utc("2026-11-15T23:30:00Z"), msk()),
            utc("2026-11-16T06:00:00Z")
        );
        let noon = utc("2026-11-15T09:00:00Z");
        assert_eq!(quiet.next_allowed(noon, msk()), noon);
    }

    #[test]
    fn a_hundred_thousand_sends_at_thirty_a_second_take_about_an_hour() {
        let start = utc("2026-11-15T06:00:00Z");
        let last = slot(start, spacing(30.0), 99_999);
        let minutes = (last - start).num_minutes();
        assert!((55..=56).contains(&minutes), "{minutes}");
    }
}
