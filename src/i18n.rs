//! User-visible text: fluent bundles compiled into the binary from `locales/<lang>/*.ftl`,
//! and the formats of money, dates, months and quantities.

mod msg;

pub(crate) use msg::texts;
pub use msg::{Arg, Msg, Sample};

use crate::billing::Period;
use chrono::NaiveDate;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use unic_langid::{LanguageIdentifier, langid};

/// A language the bot speaks. Russian unless the chat chose otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ru, Lang::En];

    /// The code stored in `chat_users.language`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Reads a stored code (`ru`, `en`).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::Ru => langid!("ru"),
            Lang::En => langid!("en"),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One `.ftl` file in both languages.
pub struct LocaleFile {
    pub name: &'static str,
    pub ru: &'static str,
    pub en: &'static str,
}

impl LocaleFile {
    pub fn source(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ru => self.ru,
            Lang::En => self.en,
        }
    }
}

macro_rules! locale_files {
    ($($name:literal),+ $(,)?) => {
        &[$(LocaleFile {
            name: $name,
            ru: include_str!(concat!("../locales/ru/", $name, ".ftl")),
            en: include_str!(concat!("../locales/en/", $name, ".ftl")),
        }),+]
    };
}

/// Every locale file, embedded so the binary runs from anywhere. A flow with texts of its own
/// adds `locales/ru/<flow>.ftl` and `locales/en/<flow>.ftl` and names the file here.
pub const FILES: &[LocaleFile] = locale_files![
    "main",
    "help",
    "readings",
    "identification",
    "settings",
    "accounts",
    "telegram",
    "outbox",
    "pay",
    "period",
    "history",
    "receipt",
    "notices",
];

/// The fluent id of the month format used for [`Arg::Month`].
pub const MONTH_KEY: &str = "month-name";

/// The locale files did not load (a syntax error or a key defined twice).
#[derive(Debug, thiserror::Error)]
#[error("locales/{lang}/{file}.ftl: {problems}")]
pub struct LoadError {
    pub lang: Lang,
    pub file: &'static str,
    pub problems: String,
}

/// A message that did not render cleanly (missing message or variable).
#[derive(Debug, thiserror::Error)]
#[error("{lang}: message {key}: {problems}")]
pub struct RenderError {
    pub lang: Lang,
    pub key: &'static str,
    pub problems: String,
}

type Bundle = FluentBundle<FluentResource>;

/// The bundles of every language; cheap to share behind an `Arc`.
pub struct I18n {
    ru: Bundle,
    en: Bundle,
}

impl fmt::Debug for I18n {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("I18n")
    }
}

impl I18n {
    /// Loads the embedded locale files.
    pub fn new() -> Result<I18n, LoadError> {
        Ok(I18n {
            ru: bundle(Lang::Ru)?,
            en: bundle(Lang::En)?,
        })
    }

    fn bundle(&self, lang: Lang) -> &Bundle {
        match lang {
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        }
    }

    /// Renders `msg`; a problem is logged and the text shows the key rather than failing.
    pub fn render(&self, lang: Lang, msg: &Msg) -> String {
        match self.try_render(lang, msg) {
            Ok(text) => text,
            Err(e) => {
                tracing::error!(error = %e, "message rendered with problems");
                msg.key().to_owned()
            }
        }
    }

    /// Renders `msg`, failing on a missing message or variable.
    pub fn try_render(&self, lang: Lang, msg: &Msg) -> Result<String, RenderError> {
        let mut args = FluentArgs::new();
        for (name, arg) in msg.args() {
            args.set(*name, self.value(lang, arg)?);
        }
        self.format(lang, msg.key(), Some(&args))
    }

    fn format(
        &self,
        lang: Lang,
        key: &'static str,
        args: Option<&FluentArgs>,
    ) -> Result<String, RenderError> {
        let bundle = self.bundle(lang);
        let problem = |problems: String| RenderError {
            lang,
            key,
            problems,
        };
        let message = bundle
            .get_message(key)
            .ok_or_else(|| problem("no such message".into()))?;
        let pattern = message
            .value()
            .ok_or_else(|| problem("the message has no value".into()))?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if errors.is_empty() {
            Ok(text.into_owned())
        } else {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            Err(problem(list.join("; ")))
        }
    }

    fn value(&self, lang: Lang, arg: &Arg) -> Result<FluentValue<'static>, RenderError> {
        Ok(match arg {
            Arg::Text(s) => FluentValue::from(s.clone()),
            Arg::Int(n) => FluentValue::from(*n),
            Arg::Dec(d) => FluentValue::from(format_decimal(lang, *d)),
            Arg::Money(m) => FluentValue::from(m.to_string()),
            Arg::Date(d) => FluentValue::from(format_date(*d)),
            Arg::Month(p) => FluentValue::from(self.month(lang, *p)?),
            Arg::Time(t) => FluentValue::from(t.format("%H:%M").to_string()),
        })
    }

    /// A billing month in words: «Январь 2026 г.» / "January 2026".
    pub fn month(&self, lang: Lang, period: Period) -> Result<String, RenderError> {
        let mut args = FluentArgs::new();
        args.set("month", period.month());
        args.set("year", period.year().to_string());
        self.format(lang, MONTH_KEY, Some(&args))
    }
}

fn bundle(lang: Lang) -> Result<Bundle, LoadError> {
    let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
    // Telegram and terminals show the Unicode isolation marks as garbage.
    bundle.set_use_isolating(false);
    for file in FILES {
        let failed = |problems: String| LoadError {
            lang,
            file: file.name,
            problems,
        };
        let resource = FluentResource::try_new(file.source(lang).to_owned())
            .map_err(|(_, errors)| failed(format!("{errors:?}")))?;
        bundle
            .add_resource(resource)
            .map_err(|errors| failed(format!("{errors:?}")))?;
    }
    Ok(bundle)
}

/// `04.03.2026`, in every language.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// A quantity without trailing zeros, with the language's decimal mark: `12,5` / `12.5`.
pub fn format_decimal(lang: Lang, value: Decimal) -> String {
    let text = value.normalize().to_string();
    match lang {
        Lang::Ru => text.replace('.', ","),
        Lang::En => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn dates_and_quantities_follow_the_language() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        assert_eq!(format_date(date), "04.03.2026");
        assert_eq!(format_decimal(Lang::Ru, dec!(12.50)), "12,5");
        assert_eq!(format_decimal(Lang::En, dec!(12.50)), "12.5");
        assert_eq!(format_decimal(Lang::Ru, dec!(5910)), "5910");
    }

    #[test]
    fn months_are_named_in_each_language() {
        let i18n = I18n::new().unwrap();
        let jan = Period::new(2026, 1).unwrap();
        assert_eq!(i18n.month(Lang::Ru, jan).unwrap(), "Январь 2026 г.");
        assert_eq!(i18n.month(Lang::En, jan).unwrap(), "January 2026");
        let dec = Period::new(2025, 12).unwrap();
        assert_eq!(i18n.month(Lang::Ru, dec).unwrap(), "Декабрь 2025 г.");
    }

    #[test]
    fn language_codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("de"), None);
    }
}
