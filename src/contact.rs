//! Contacts and names typed in a chat, parsed once at the edge.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A Russian mobile number, normalised to `+79XXXXXXXXX`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadPhone {
    #[error("a phone number has digits only, with an optional + and separators")]
    NotAPhone,
    #[error("a mobile number is +7 9XX XXX-XX-XX")]
    NotMobile,
}

impl Phone {
    /// Accepts `+7 999 123-45-67`, `8 (999) 123 45 67`, `9991234567`, and what Telegram shares
    /// (`79991234567`, `+79991234567`).
    pub fn parse(input: &str) -> Result<Phone, BadPhone> {
        let trimmed = input.trim();
        if trimmed.is_empty() || trimmed.chars().count() > 32 {
            return Err(BadPhone::NotAPhone);
        }
        let mut digits = String::new();
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '(' | ')' | '\u{a0}' => {}
                _ => return Err(BadPhone::NotAPhone),
            }
        }
        let national = match digits.len() {
            10 => digits.as_str(),
            11 if digits.starts_with('7') || digits.starts_with('8') => &digits[1..],
            _ => return Err(BadPhone::NotMobile),
        };
        if !national.starts_with('9') {
            return Err(BadPhone::NotMobile);
        }
        Ok(Phone(format!("+7{national}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address, trimmed, with its domain in lower case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an email address looks like name@example.ru")]
pub struct BadEmail;

impl Email {
    pub fn parse(input: &str) -> Result<Email, BadEmail> {
        let s = input.trim();
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(BadEmail);
        }
        let (local, domain) = s.split_once('@').ok_or(BadEmail)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains(['@', '<', '>', '"', ',', ';', '(', ')', '[', ']', '\\']);
        if !(domain_ok && local_ok) {
            return Err(BadEmail);
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's full name as typed, for comparison with the holder's name on the contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FullName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a full name is letters, spaces, hyphens and apostrophes, up to 200 characters")]
pub struct BadName;

impl FullName {
    /// Letters (any script), spaces, hyphens, apostrophes and dots; at least two letters.
    pub fn parse(input: &str) -> Result<FullName, BadName> {
        let s = input.trim();
        let ok_chars = s
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.' | '\u{a0}'));
        if !ok_chars
            || s.chars().count() > 200
            || s.chars().filter(|c| c.is_alphabetic()).count() < 2
        {
            return Err(BadName);
        }
        Ok(FullName(s.split_whitespace().collect::<Vec<_>>().join(" ")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this names the same person as `holder`: case, extra spaces and ё/е ignored.
    pub fn matches(&self, holder: &str) -> bool {
        normalise(&self.0) == normalise(holder)
    }
}

fn normalise(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

/// Contacts are shown half-hidden (in the chat, the staff card and logs): enough for the holder
/// to recognise, too little for an onlooker.
///
/// `a.petrova@example.com` → `a***a@example.com`. The name's length is not given away.
pub fn mask_email(address: &str) -> String {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return "***".to_owned();
    };
    let mut chars = local.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    let last = if local.chars().count() >= 3 {
        chars.last().map(String::from).unwrap_or_default()
    } else {
        String::new()
    };
    format!("{first}***{last}@{domain}")
}

/// `+79267771024` → `+7 926 ***-**-24`; other numbers keep their first and last two digits.
pub fn mask_phone(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    let tail: String = digits.iter().skip(digits.len().saturating_sub(2)).collect();
    if digits.len() == 11 && digits[0] == '7' {
        let code: String = digits[1..4].iter().collect();
        return format!("+7 {code} ***-**-{tail}");
    }
    let head: String = digits.iter().take(2).collect();
    format!("+{head}***{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_keep_the_first_and_last_letter_and_the_domain() {
        assert_eq!(mask_email("a.petrova@example.com"), "a***a@example.com");
        assert_eq!(mask_email("ab@mail.ru"), "a***@mail.ru");
        assert_eq!(mask_email("x@mail.ru"), "x***@mail.ru");
        assert_eq!(mask_email("Ёлкина@почта.рф"), "Ё***а@почта.рф");
    }

    #[test]
    fn russian_mobiles_keep_the_operator_code_and_the_last_two_digits() {
        assert_eq!(mask_phone("+79267771024"), "+7 926 ***-**-24");
        assert_eq!(mask_phone("+380441234567"), "+38***67");
    }

    proptest! {
        #[test]
        fn masking_never_panics_and_hides_the_middle(s in "\\PC{0,60}") {
            let e = mask_email(&s);
            prop_assert!(e.contains("***"));
            let p = mask_phone(&s);
            prop_assert!(p.contains("***"));
        }
    }

    #[test]
    fn phones_in_every_usual_notation_normalise_alike() {
        for s in [
            "+7 999 123-45-67",
            "8 (999) 123 45 67",
            "9991234567",
            "79991234567",
            "+79991234567",
        ] {
            assert_eq!(Phone::parse(s).unwrap().as_str(), "+79991234567", "{s}");
        }
        assert_eq!(Phone::parse("+7 495 123-45-67"), Err(BadPhone::NotMobile));
        assert_eq!(Phone::parse("телефон"), Err(BadPhone::NotAPhone));
        assert_eq!(Phone::parse("12345"), Err(BadPhone::NotMobile));
    }

    #[test]
    fn emails_are_checked_and_their_domain_lowercased() {
        assert_eq!(
            Email::parse(" Ivanov@Mail.RU ").unwrap().as_str(),
            "Ivanov@mail.ru"
        );
        for bad in [
            "",
            "ivanov",
            "a@b",
            "a@@b.ru",
            "a b@c.ru",
            "@mail.ru",
            "a@.ru",
            "a@mail..ru",
            "<a>@b.ru",
        ] {
            assert_eq!(Email::parse(bad), Err(BadEmail), "{bad}");
        }
    }

    #[test]
    fn names_match_ignoring_case_spaces_and_yo() {
        let typed = FullName::parse("  ЁЛКИНА   мария  федоровна ").unwrap();
        assert!(typed.matches("Ёлкина Мария Фёдоровна"));
        assert!(!typed.matches("Ёлкина Мария"));
        assert_eq!(FullName::parse("Иванов'; DROP TABLE"), Err(BadName));
        assert_eq!(FullName::parse("🙂🙂"), Err(BadName));
        assert_eq!(
            FullName::parse("Анна-Мария О'Нил").map(|n| n.0),
            Ok("Анна-Мария О'Нил".into())
        );
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,300}") {
            let _ = Phone::parse(&s);
            let _ = Email::parse(&s);
            let _ = FullName::parse(&s);
        }

        #[test]
        fn a_parsed_phone_parses_to_itself(n in 9_000_000_000u64..9_999_999_999u64) {
            let p = Phone::parse(&format!("8{n}")).unwrap();
            prop_assert_eq!(Phone::parse(p.as_str()).unwrap(), p);
        }

        #[test]
        fn a_parsed_email_parses_to_itself(local in "[a-z0-9._+-]{1,20}", domain in "[a-z0-9-]{1,20}\\.(ru|com)") {
            let e = Email::parse(&format!("{local}@{domain}")).unwrap();
            prop_assert_eq!(Email::parse(e.as_str()).unwrap(), e);
        }
    }
}
