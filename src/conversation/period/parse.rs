//! Typed date ranges, as people write them in a chat: `01.09.2026 - 30.11.2026`,
//! `09.2026-11.2026`, `с 1 сентября по 30 ноября`, `сентябрь–ноябрь 2026`,
//! `from 1 September to 30 November`, `2026-09-01 – 2026-11-30`, a single month (`октябрь 2026`,
//! `10.2026`) or a year (`2025`).
//!
//! Pure: "today" only fills in a year left out (the latest such range that does not start in
//! the future). Checking the range against today and the stored history is the picker's job.

use chrono::{Datelike, NaiveDate};

/// Why a typed range was not understood.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not a range in any of the forms we read.
    #[error("not a date range")]
    NotUnderstood,
    /// The form is right but a date does not exist (31.02, month 13).
    #[error("no such date")]
    NoSuchDate,
}

/// A range typed by the user: first and last day, both included (the order is as typed).
pub fn parse_range(input: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), ParseError> {
    let tokens = tokenize(input)?;
    let mut sides = tokens.split(|t| *t == Token::To);
    let left = sides.next().unwrap_or_default();
    let right = sides.next();
    if sides.next().is_some() {
        return Err(ParseError::NotUnderstood);
    }
    let start = point(left)?;
    let Some(right) = right else {
        // One point: the whole of it, this year's unless that is still to come.
        let point = match start.year {
            Some(_) => start,
            None => {
                let this = start.with_year(today.year());
                if this.first()? > today {
                    start.with_year(today.year() - 1)
                } else {
                    this
                }
            }
        };
        return Ok((point.first()?, point.last()?));
    };
    let end = point(right)?;
    let (start, end) = years(start, end, today)?;
    Ok((start.first()?, end.last()?))
}

/// Fills in the years left out: from the other end, else this year (or the last one when this
/// year's range would start in the future).
fn years(start: Point, end: Point, today: NaiveDate) -> Result<(Point, Point), ParseError> {
    match (start.year, end.year) {
        (Some(_), Some(_)) => Ok((start, end)),
        (None, Some(y)) => {
            let end = end.with_year(y);
            let same = start.with_year(y);
            if same.first()? > end.last()? {
                Ok((start.with_year(y - 1), end))
            } else {
                Ok((same, end))
            }
        }
        (Some(y), None) => {
            let start = start.with_year(y);
            let same = end.with_year(y);
            if same.last()? < start.first()? {
                Ok((start, end.with_year(y + 1)))
            } else {
                Ok((start, same))
            }
        }
        (None, None) => {
            let y = today.year();
            let (mut s, mut e) = years(start, end.with_year(y), today)?;
            if s.first()? > today {
                s = s.with_year(s.year.unwrap_or(y) - 1);
                e = e.with_year(e.year.unwrap_or(y) - 1);
            }
            Ok((s, e))
        }
    }
}

/// One end of a range: a day, a month or a year, the year possibly left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Point {
    day: Option<u32>,
    month: Option<u32>,
    year: Option<i32>,
}

impl Point {
    fn with_year(self, year: i32) -> Point {
        Point {
            year: Some(year),
            ..self
        }
    }

    fn first(self) -> Result<NaiveDate, ParseError> {
        let year = self.year.ok_or(ParseError::NotUnderstood)?;
        date(year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    fn last(self) -> Result<NaiveDate, ParseError> {
        let year = self.year.ok_or(ParseError::NotUnderstood)?;
        match (self.month, self.day) {
            (Some(m), Some(d)) => date(year, m, d),
            (Some(m), None) => {
                let (ny, nm) = if m == 12 {
                    (year + 1, 1)
                } else {
                    (year, m + 1)
                };
                date(ny, nm, 1)?.pred_opt().ok_or(ParseError::NoSuchDate)
            }
            (None, _) => date(year, 12, 31),
        }
    }
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, ParseError> {
    if !(1900..=2200).contains(&year) {
        return Err(ParseError::NoSuchDate);
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(ParseError::NoSuchDate)
}

/// The point one side of the range names.
fn point(tokens: &[Token]) -> Result<Point, ParseError> {
    let year = |n: u32, digits: usize| -> Result<i32, ParseError> {
        match digits {
            4 => i32::try_from(n).map_err(|_| ParseError::NoSuchDate),
            _ => Err(ParseError::NotUnderstood),
        }
    };
    let p = |day, month, year| Point { day, month, year };
    match *tokens {
        [Token::Date { day, month, year }] => Ok(p(Some(day), Some(month), year)),
        [Token::MonthYear { month, year }] => Ok(p(None, Some(month), Some(year))),
        [Token::Num(n, digits)] => Ok(p(None, None, Some(year(n, digits)?))),
        [Token::Month(m)] => Ok(p(None, Some(m), None)),
        [Token::Month(m), Token::Num(y, digits)] => Ok(p(None, Some(m), Some(year(y, digits)?))),
        [Token::Num(d, 1 | 2), Token::Month(m)] => Ok(p(Some(d), Some(m), None)),
        [Token::Num(d, 1 | 2), Token::Month(m), Token::Num(y, digits)] => {
            Ok(p(Some(d), Some(m), Some(year(y, digits)?)))
        }
        _ => Err(ParseError::NotUnderstood),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    /// A number and how many digits it was written with.
    Num(u32, usize),
    /// A month by name.
    Month(u32),
    /// `01.09.2026`, `2026-09-01`, `1/9/2026`, or `01.09` without the year.
    Date {
        day: u32,
        month: u32,
        year: Option<i32>,
    },
    /// `09.2026`.
    MonthYear { month: u32, year: i32 },
    /// The separator of the two ends: a dash, `..`, «по», «до», "to", "until".
    To,
}

/// Words that say nothing about the dates: «с», «года», "from", "the".
const FILLER: &[&str] = &[
    "с", "со", "от", "г", "год", "года", "гг", "from", "since", "of", "the", "between",
];
/// Words that separate the two ends.
const TO: &[&str] = &["по", "до", "to", "till", "until", "through", "and", "и"];

/// Month stems: Russian (any case form) and English (full or short).
const MONTHS: [(&[&str], &[&str]); 12] = [
    (&["январ", "янв"], &["january", "jan"]),
    (&["феврал", "фев"], &["february", "feb"]),
    (&["март", "мар"], &["march", "mar"]),
    (&["апрел", "апр"], &["april", "apr"]),
    (&["мая", "май", "мае"], &["may"]),
    (&["июн"], &["june", "jun"]),
    (&["июл"], &["july", "jul"]),
    (&["август", "авг"], &["august", "aug"]),
    (&["сентябр", "сен", "сент"], &["september", "sep", "sept"]),
    (&["октябр", "окт"], &["october", "oct"]),
    (&["ноябр", "ноя"], &["november", "nov"]),
    (&["декабр", "дек"], &["december", "dec"]),
];

/// A month named by a word: a Russian stem followed by a case ending, or an English name.
fn month_word(word: &str) -> Option<u32> {
    for (i, (ru, en)) in MONTHS.iter().enumerate() {
        let ru_match = ru.iter().any(|stem| {
            word.strip_prefix(stem)
                .is_some_and(|ending| ending.chars().count() <= 2)
        });
        if ru_match || en.contains(&word) {
            return u32::try_from(i + 1).ok();
        }
    }
    None
}

fn tokenize(input: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() {
                let here = chars[i];
                let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
                let joins = (here == '.' || here == '/') && next_digit;
                // `2026-09-01`: a dash inside an ISO date, not the range's dash.
                let iso = here == '-' && next_digit && iso_dash(&chars, start, i);
                if here.is_ascii_digit() || joins || iso {
                    i += 1;
                } else {
                    break;
                }
            }
            let run: String = chars[start..i].iter().collect();
            tokens.push(number(&run)?);
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
            if let Some(m) = month_word(&word) {
                tokens.push(Token::Month(m));
            } else if TO.contains(&word.as_str()) {
                tokens.push(Token::To);
            } else if !FILLER.contains(&word.as_str()) {
                return Err(ParseError::NotUnderstood);
            }
        } else if matches!(c, '-' | '–' | '—' | '−' | '…') {
            tokens.push(Token::To);
            i += 1;
        } else if c == '.' && chars.get(i + 1) == Some(&'.') {
            tokens.push(Token::To);
            while chars.get(i) == Some(&'.') {
                i += 1;
            }
        } else if c.is_whitespace() || matches!(c, ',' | '.' | ':' | '(' | ')') {
            i += 1;
        } else {
            return Err(ParseError::NotUnderstood);
        }
    }
    Ok(tokens)
}

/// Whether the dash at `at` continues an ISO date begun at `start` (`2026-` or `2026-09-`).
fn iso_dash(chars: &[char], start: usize, at: usize) -> bool {
    let before: String = chars[start..at].iter().collect();
    let year_only = before.len() == 4 && before.chars().all(|c| c.is_ascii_digit());
    let year_month = before.len() == 7
        && before.chars().nth(4) == Some('-')
        && before.chars().filter(char::is_ascii_digit).count() == 6;
    let ahead_is_iso_month = || {
        chars.get(at + 1).is_some_and(char::is_ascii_digit)
            && chars.get(at + 2).is_some_and(char::is_ascii_digit)
            && chars.get(at + 3) == Some(&'-')
    };
    (year_only && ahead_is_iso_month()) || year_month
}

/// A run of digits with dots, slashes or ISO dashes.
fn number(run: &str) -> Result<Token, ParseError> {
    let parts: Vec<&str> = run.split(['.', '/', '-']).collect();
    let n = |s: &str| s.parse::<u32>().map_err(|_| ParseError::NotUnderstood);
    let year = |s: &str| -> Result<i32, ParseError> {
        match s.len() {
            4 => s.parse().map_err(|_| ParseError::NotUnderstood),
            2 => Ok(2000 + s.parse::<i32>().map_err(|_| ParseError::NotUnderstood)?),
            _ => Err(ParseError::NotUnderstood),
        }
    };
    let small = |s: &str| (1..=2).contains(&s.len());
    match parts.as_slice() {
        [one] if one.len() <= 4 => Ok(Token::Num(n(one)?, one.len())),
        [y, m, d] if run.contains('-') && y.len() == 4 && small(m) && small(d) => Ok(Token::Date {
            day: n(d)?,
            month: n(m)?,
            year: Some(year(y)?),
        }),
        [d, m, y] if small(d) && small(m) => Ok(Token::Date {
            day: n(d)?,
            month: n(m)?,
            year: Some(year(y)?),
        }),
        [m, y] if small(m) && y.len() == 4 => Ok(Token::MonthYear {
            month: n(m)?,
            year: year(y)?,
        }),
        [d, m] if small(d) && small(m) => Ok(Token::Date {
            day: n(d)?,
            month: n(m)?,
            year: None,
        }),
        _ => Err(ParseError::NotUnderstood),
    }
}

#[cfg(test)]
mod tests;
