//! Typed messages: a fluent key plus typed arguments, rendered later for the chat's language.

use crate::billing::{AccountNumber, Money, Period};
use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;

/// A message to render: its fluent id and its arguments. Flows build these through the
/// enums that the `texts!` macro declares, never by hand-typing keys.
#[derive(Clone, Debug, PartialEq)]
pub struct Msg {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
}

impl Msg {
    pub fn new(key: &'static str, args: Vec<(&'static str, Arg)>) -> Msg {
        Msg { key, args }
    }

    pub fn key(&self) -> &'static str {
        self.key
    }

    pub fn args(&self) -> &[(&'static str, Arg)] {
        &self.args
    }
}

/// A typed argument of a message; the renderer formats it for the language
/// (money `1 234,56 ₽`, dates `04.03.2026`, months «Январь 2026 г.», numbers with plurals).
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// Text shown as is (already safe to show: parsed or from the database).
    Text(String),
    /// An integer: fluent picks plural forms by it.
    Int(i64),
    /// A decimal quantity (kWh, a reading): `12,5` in Russian, `12.5` in English.
    Dec(Decimal),
    Money(Money),
    Date(NaiveDate),
    /// A billing month: «Январь 2026 г.» / "January 2026".
    Month(Period),
    /// A time of day, `14:05`.
    Time(NaiveTime),
}

macro_rules! arg_from {
    ($($t:ty => $v:ident),* $(,)?) => {
        $(impl From<$t> for Arg {
            fn from(value: $t) -> Arg {
                Arg::$v(value.into())
            }
        })*
    };
}

arg_from!(
    String => Text,
    &'static str => Text,
    i64 => Int,
    i32 => Int,
    u32 => Int,
    Decimal => Dec,
    Money => Money,
    NaiveDate => Date,
    Period => Month,
    NaiveTime => Time,
);

impl From<usize> for Arg {
    fn from(value: usize) -> Arg {
        Arg::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<AccountNumber> for Arg {
    fn from(value: AccountNumber) -> Arg {
        Arg::Text(value.to_string())
    }
}

/// A representative value of an argument type, so a test can render every message variant.
pub trait Sample {
    fn sample() -> Self;
}

macro_rules! sample {
    ($($t:ty => $e:expr),* $(,)?) => {
        $(impl Sample for $t {
            fn sample() -> $t {
                $e
            }
        })*
    };
}

sample!(
    String => "Пример".to_owned(),
    i64 => 3,
    i32 => 3,
    u32 => 3,
    usize => 3,
    Decimal => Decimal::new(59105, 1),
    Money => Money::from_kopecks(123_456),
    NaiveDate => NaiveDate::from_ymd_opt(2026, 3, 4).unwrap_or_default(),
    Period => Period::of(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()),
    NaiveTime => NaiveTime::from_hms_opt(14, 5, 0).unwrap_or_default(),
    AccountNumber => AccountNumber::parse("7701000000017").expect("a valid sample number"),
);

/// Declares a flow's messages: an enum whose variants carry the message's arguments, each
/// mapped to its fluent id. Field names are the fluent variable names (`$max` ← `max`).
/// Generates `key()`, `samples()` (one value per variant, for the locale tests) and
/// `From<Enum> for Msg`.
///
/// ```ignore
/// texts! {
///     /// What the help flow says.
///     pub enum HelpText {
///         Topics => "help-topics",
///         Guide { pdf: String, video: String } => "help-guide",
///     }
/// }
/// ```
macro_rules! texts {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? => $key:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant $({ $($field: $ty),* })? ),+
        }

        impl $name {
            /// The fluent message id.
            pub fn key(&self) -> &'static str {
                match self {
                    $( Self::$variant { .. } => $key ),+
                }
            }

            /// One value of every variant (arguments from `Sample`).
            pub fn samples() -> Vec<$name> {
                vec![ $( Self::$variant $({ $($field: <$ty as $crate::i18n::Sample>::sample()),* })? ),+ ]
            }
        }

        impl From<$name> for $crate::i18n::Msg {
            fn from(text: $name) -> $crate::i18n::Msg {
                let key = text.key();
                match text {
                    $( $name::$variant $({ $($field),* })? => $crate::i18n::Msg::new(
                        key,
                        vec![ $($( (stringify!($field), $crate::i18n::Arg::from($field)) ),*)? ],
                    ) ),+
                }
            }
        }
    };
}

pub(crate) use texts;
