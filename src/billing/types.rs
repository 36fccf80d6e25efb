//! Small domain vocabulary shared by every layer: services, zones, meter kinds, account numbers.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A service billed on an account; the balance is kept per service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Individual consumption by the meter.
    Electricity,
    /// ОДН / СОИ: electricity for the common needs of the house.
    Odn,
    /// Пени: the penalty for late payment.
    Penalty,
    /// Anything else (meter replacement, …).
    Other,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::Electricity,
        Service::Odn,
        Service::Penalty,
        Service::Other,
    ];

    /// The name stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Service::Electricity => "electricity",
            Service::Odn => "odn",
            Service::Penalty => "penalty",
            Service::Other => "other",
        }
    }
}

/// A tariff zone of a meter (FST order 1473-э), stored by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// Single-rate: round the clock.
    Total,
    /// Two-zone day, 07–23.
    Day,
    /// Night, 23–07 (two- and three-zone).
    Night,
    /// Three-zone peak, 07–10 and 17–21.
    Peak,
    /// Three-zone semi-peak, 10–17 and 21–23.
    SemiPeak,
}

impl Zone {
    pub fn code(self) -> &'static str {
        match self {
            Zone::Total => "total",
            Zone::Day => "day",
            Zone::Night => "night",
            Zone::Peak => "peak",
            Zone::SemiPeak => "semi_peak",
        }
    }
}

/// How many zones a meter counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TariffKind {
    Single,
    TwoZone,
    ThreeZone,
}

impl TariffKind {
    pub fn code(self) -> &'static str {
        match self {
            TariffKind::Single => "single",
            TariffKind::TwoZone => "two_zone",
            TariffKind::ThreeZone => "three_zone",
        }
    }

    /// The zones of such a meter, in the order a receipt lists them.
    pub fn zones(self) -> &'static [Zone] {
        match self {
            TariffKind::Single => &[Zone::Total],
            TariffKind::TwoZone => &[Zone::Day, Zone::Night],
            TariffKind::ThreeZone => &[Zone::Peak, Zone::SemiPeak, Zone::Night],
        }
    }
}

/// Where a meter reading came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadingSource {
    Chat,
    Web,
    Inspector,
    Estimate,
}

impl ReadingSource {
    pub fn code(self) -> &'static str {
        match self {
            ReadingSource::Chat => "chat",
            ReadingSource::Web => "web",
            ReadingSource::Inspector => "inspector",
            ReadingSource::Estimate => "estimate",
        }
    }
}

/// Tariff category of an account (rates differ by category).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Urban housing with gas stoves.
    Urban,
    /// Urban housing with electric stoves.
    ElectricStove,
    /// Rural settlements.
    Rural,
}

impl Category {
    pub fn code(self) -> &'static str {
        match self {
            Category::Urban => "urban",
            Category::ElectricStove => "electric_stove",
            Category::Rural => "rural",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown code {0:?}")]
pub struct UnknownCode(pub String);

macro_rules! from_code {
    ($t:ty, [$($v:expr),+]) => {
        impl FromStr for $t {
            type Err = UnknownCode;
            fn from_str(s: &str) -> Result<Self, UnknownCode> {
                [$($v),+].into_iter().find(|v| v.code() == s).ok_or_else(|| UnknownCode(s.to_owned()))
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

from_code!(
    Service,
    [
        Service::Electricity,
        Service::Odn,
        Service::Penalty,
        Service::Other
    ]
);
from_code!(
    Zone,
    [
        Zone::Total,
        Zone::Day,
        Zone::Night,
        Zone::Peak,
        Zone::SemiPeak
    ]
);
from_code!(
    TariffKind,
    [
        TariffKind::Single,
        TariffKind::TwoZone,
        TariffKind::ThreeZone
    ]
);
from_code!(
    ReadingSource,
    [
        ReadingSource::Chat,
        ReadingSource::Web,
        ReadingSource::Inspector,
        ReadingSource::Estimate
    ]
);
from_code!(
    Category,
    [Category::Urban, Category::ElectricStove, Category::Rural]
);

/// A 13-digit account number (лицевой счёт / платёжный код), parsed once at the edge.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountNumber(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BadAccountNumber {
    #[error("an account number has only digits")]
    NotDigits,
    #[error("an account number has 13 digits, this one has {0}")]
    WrongLength(usize),
}

impl AccountNumber {
    /// Accepts 13 digits; spaces, dashes and dots between them (as people copy them
    /// from a receipt) are ignored.
    pub fn parse(input: &str) -> Result<AccountNumber, BadAccountNumber> {
        let cleaned: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '\u{a0}' | '\t'))
            .collect();
        if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit()) {
            return Err(BadAccountNumber::NotDigits);
        }
        if cleaned.len() != 13 {
            return Err(BadAccountNumber::WrongLength(cleaned.chars().count()));
        }
        Ok(AccountNumber(cleaned))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AccountNumber {
    type Error = BadAccountNumber;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        AccountNumber::parse(&s)
    }
}

impl From<AccountNumber> for String {
    fn from(a: AccountNumber) -> String {
        a.0
    }
}

impl fmt::Display for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_numbers_ignore_separators() {
        assert_eq!(
            AccountNumber::parse(" 7701 000-000017 ").unwrap().as_str(),
            "7701000000017"
        );
        assert_eq!(
            AccountNumber::parse("770100000001"),
            Err(BadAccountNumber::WrongLength(12))
        );
        assert_eq!(
            AccountNumber::parse("77010000000x7"),
            Err(BadAccountNumber::NotDigits)
        );
        assert_eq!(AccountNumber::parse(""), Err(BadAccountNumber::NotDigits));
    }

    #[test]
    fn codes_round_trip() {
        for s in Service::ALL {
            assert_eq!(s.code().parse::<Service>().unwrap(), s);
        }
        assert!("semi_peak".parse::<Zone>().is_ok());
        assert!("x".parse::<Zone>().is_err());
    }

    proptest::proptest! {
        #[test]
        fn account_number_parsing_never_panics(s in "\\PC{0,200}") {
            if let Ok(n) = AccountNumber::parse(&s) {
                proptest::prop_assert_eq!(n.as_str().len(), 13);
                proptest::prop_assert!(n.as_str().bytes().all(|b| b.is_ascii_digit()));
            }
        }

        #[test]
        fn any_13_digits_with_separators_parse_to_the_digits(n in 0u64..10_000_000_000_000u64, sep in "[ .-]?") {
            let digits = format!("{n:013}");
            let typed = format!("{}{sep}{}{sep}{}", &digits[..4], &digits[4..10], &digits[10..]);
            let parsed = AccountNumber::parse(&typed).unwrap();
            proptest::prop_assert_eq!(parsed.as_str(), digits.as_str());
        }
    }
}
