//! Reads variables through a lookup function and collects every problem instead of stopping
//! at the first, so one run of the program lists all that needs fixing.

use super::secret::Secret;
use std::fmt;
use std::str::FromStr;

/// One setting that is missing or malformed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{var}: {problem}")]
pub struct VarError {
    /// The environment variable, e.g. `PAYMENT_DUE_DAY`.
    pub var: &'static str,
    /// What is wrong and what is expected (never the value of a secret).
    pub problem: String,
}

pub(super) struct Reader<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
    pub(super) errors: Vec<VarError>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Reader<'a> {
        Reader {
            lookup,
            errors: Vec::new(),
        }
    }

    /// The trimmed value; an empty value counts as unset (as `VAR=` in a compose file means).
    pub(super) fn raw(&self, var: &str) -> Option<String> {
        (self.lookup)(var)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    pub(super) fn fail(&mut self, var: &'static str, problem: impl fmt::Display) {
        self.errors.push(VarError {
            var,
            problem: problem.to_string(),
        });
    }

    /// An optional setting parsed by `parse`; a malformed value is reported with the value.
    pub(super) fn optional<T>(
        &mut self,
        var: &'static str,
        expected: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let value = self.raw(var)?;
        let parsed = parse(&value);
        if parsed.is_none() {
            self.fail(var, format!("expected {expected}, got {value:?}"));
        }
        parsed
    }

    /// An optional secret parsed by `parse`; a malformed value is reported without the value.
    pub(super) fn optional_secret<T>(
        &mut self,
        var: &'static str,
        expected: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let value = self.raw(var)?;
        let parsed = parse(&value);
        if parsed.is_none() {
            self.fail(var, format!("expected {expected} (value not shown)"));
        }
        parsed
    }

    pub(super) fn secret(&mut self, var: &'static str) -> Option<Secret> {
        self.raw(var).map(Secret::new)
    }

    /// A setting with a default when unset.
    pub(super) fn or<T>(
        &mut self,
        var: &'static str,
        default: T,
        expected: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> T {
        self.optional(var, expected, parse).unwrap_or(default)
    }

    /// A text setting with a default: any non-empty text within `max` characters and without `|`
    /// (the payment QR code separates its fields with `|`).
    pub(super) fn text(&mut self, var: &'static str, default: &str, max: usize) -> String {
        let expected = format!("text of at most {max} characters without '|'");
        self.or(var, default.to_owned(), &expected, |v| {
            (v.chars().count() <= max && !v.contains('|')).then(|| v.to_owned())
        })
    }

    /// A whole number within `range`, with a default.
    pub(super) fn number<T>(
        &mut self,
        var: &'static str,
        default: T,
        range: std::ops::RangeInclusive<T>,
    ) -> T
    where
        T: FromStr + PartialOrd + fmt::Display + Copy,
    {
        let expected = format!("a whole number from {} to {}", range.start(), range.end());
        self.or(var, default, &expected, |v| {
            v.parse().ok().filter(|n| range.contains(n))
        })
    }
}

/// `len` ASCII digits.
pub(super) fn digits(value: &str, len: usize) -> bool {
    value.len() == len && value.bytes().all(|b| b.is_ascii_digit())
}

/// An `http(s)://host…` URL without spaces.
pub(super) fn http_url(value: &str) -> Option<String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    (!host.is_empty() && !value.contains(char::is_whitespace)).then(|| value.to_owned())
}
