//! The company's time zone (`TIMEZONE`): the one calendar every "today" is taken in — the bot's
//! reading window, the CLI's `close-period` and `account`, penalties, the days payments fall on.
//!
//! An IANA name, because Postgres takes the calendar day of a payment in it
//! (`AT TIME ZONE`). Russia has kept every zone at a fixed offset since October 2014 (no daylight
//! saving), so the offset is known from the name without a time zone database; a zone outside
//! this table is refused at start rather than guessed.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Russian (and a few neighbouring) zones with their fixed offsets from UTC, in hours.
const ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("Europe/Kaliningrad", 2),
    ("Europe/Moscow", 3),
    ("Europe/Simferopol", 3),
    ("Europe/Kirov", 3),
    ("Europe/Volgograd", 3),
    ("Europe/Minsk", 3),
    ("Europe/Samara", 4),
    ("Europe/Saratov", 4),
    ("Europe/Ulyanovsk", 4),
    ("Europe/Astrakhan", 4),
    ("Asia/Yekaterinburg", 5),
    ("Asia/Omsk", 6),
    ("Asia/Novosibirsk", 7),
    ("Asia/Barnaul", 7),
    ("Asia/Tomsk", 7),
    ("Asia/Novokuznetsk", 7),
    ("Asia/Krasnoyarsk", 7),
    ("Asia/Irkutsk", 8),
    ("Asia/Chita", 9),
    ("Asia/Yakutsk", 9),
    ("Asia/Khandyga", 9),
    ("Asia/Vladivostok", 10),
    ("Asia/Ust-Nera", 10),
    ("Asia/Magadan", 11),
    ("Asia/Sakhalin", 11),
    ("Asia/Srednekolymsk", 11),
    ("Asia/Kamchatka", 12),
    ("Asia/Anadyr", 12),
];

/// A time zone of the company: its IANA name and its (fixed) offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeZone {
    name: &'static str,
    offset: FixedOffset,
}

impl TimeZone {
    /// The zone called `name` (case-insensitive), if it is one of the fixed-offset zones known.
    pub fn named(name: &str) -> Option<TimeZone> {
        ZONES
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name.trim()))
            .and_then(|&(name, hours)| {
                Some(TimeZone {
                    name,
                    offset: FixedOffset::east_opt(hours * 3600)?,
                })
            })
    }

    /// Moscow time, the default.
    pub fn moscow() -> TimeZone {
        TimeZone {
            name: "Europe/Moscow",
            offset: FixedOffset::east_opt(3 * 3600).expect("+03:00 is a valid offset"),
        }
    }

    /// The IANA name, as Postgres takes it.
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// The calendar day it is at `now` in this zone.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.offset).date_naive()
    }

    /// The names accepted, for the message about a wrong value.
    pub fn known() -> String {
        ZONES
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Default for TimeZone {
    fn default() -> TimeZone {
        TimeZone::moscow()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_company_day_not_the_machine_day() {
        // 22:30 UTC on 30 November is already 1 December in Moscow and 2 December's small hours
        // in Vladivostok.
        let now = DateTime::parse_from_rfc3339("2026-11-30T22:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            TimeZone::moscow().today(now),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        assert_eq!(
            TimeZone::named("UTC").unwrap().today(now),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        let vladivostok = TimeZone::named("asia/vladivostok").unwrap();
        assert_eq!(vladivostok.name(), "Asia/Vladivostok");
        assert_eq!(vladivostok.offset().local_minus_utc(), 10 * 3600);
    }

    #[test]
    fn unknown_zones_are_refused_not_guessed() {
        assert_eq!(TimeZone::named("Europe/Berlin"), None);
        assert_eq!(TimeZone::named("+03:00"), None);
        assert!(TimeZone::known().contains("Europe/Moscow"));
    }
}
