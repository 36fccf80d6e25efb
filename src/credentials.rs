//! Web-cabinet passwords: strength, argon2 hashing, generation of temporary ones.
//!
//! A password never reaches the chat or a log: generated ones go out by SMS / email (outbox),
//! stored ones only as argon2 PHC strings.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;
use rand::rngs::OsRng;

/// The shortest password accepted.
pub const MIN_LEN: usize = 8;
/// The longest password accepted (argon2 takes any length; this bounds the work per attempt).
pub const MAX_LEN: usize = 128;

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    #[error("shorter than {MIN_LEN} characters")]
    TooShort,
    #[error("longer than {MAX_LEN} characters")]
    TooLong,
    #[error("needs both letters and digits")]
    NeedsLettersAndDigits,
    #[error("spaces and control characters are not allowed")]
    BadCharacters,
}

/// A new password that passed the strength rules.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// At least 8 characters, letters and digits, no spaces or control characters.
    pub fn new(input: &str) -> Result<Password, WeakPassword> {
        let len = input.chars().count();
        if len < MIN_LEN {
            return Err(WeakPassword::TooShort);
        }
        if len > MAX_LEN {
            return Err(WeakPassword::TooLong);
        }
        if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(WeakPassword::BadCharacters);
        }
        if !input.chars().any(char::is_alphabetic) || !input.chars().any(|c| c.is_ascii_digit()) {
            return Err(WeakPassword::NeedsLettersAndDigits);
        }
        Ok(Password(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// The argon2id PHC string of `password`, with a random salt.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches the stored PHC string. A malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    if password.len() > MAX_LEN * 4 {
        return false;
    }
    PasswordHash::new(phc)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A temporary password for SMS / email: 10 characters without look-alikes (0/O, 1/l/I),
/// always with letters and digits.
pub fn generate_password() -> String {
    const LETTERS: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    let mut rng = OsRng;
    let mut out: Vec<u8> = (0..8)
        .map(|_| LETTERS[rng.gen_range(0..LETTERS.len())])
        .collect();
    for _ in 0..2 {
        let at = rng.gen_range(0..=out.len());
        out.insert(at, DIGITS[rng.gen_range(0..DIGITS.len())]);
    }
    String::from_utf8(out).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_another_does_not() {
        let hash = hash_password("Kuznetsov-2026").unwrap();
        assert!(verify_password("Kuznetsov-2026", &hash));
        assert!(!verify_password("kuznetsov-2026", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        assert_eq!(Password::new("abc1"), Err(WeakPassword::TooShort));
        assert_eq!(
            Password::new("abcdefgh"),
            Err(WeakPassword::NeedsLettersAndDigits)
        );
        assert_eq!(
            Password::new("12345678"),
            Err(WeakPassword::NeedsLettersAndDigits)
        );
        assert_eq!(Password::new("abcd 1234"), Err(WeakPassword::BadCharacters));
        assert_eq!(Password::new(&"a1".repeat(100)), Err(WeakPassword::TooLong));
        assert!(Password::new("Пароль2026").is_ok());
    }

    #[test]
    fn generated_passwords_pass_the_strength_rules() {
        for _ in 0..50 {
            let p = generate_password();
            assert_eq!(p.len(), 10);
            assert!(Password::new(&p).is_ok(), "{p}");
        }
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        assert_eq!(
            format!("{:?}", Password::new("secret123").unwrap()),
            "Password(***)"
        );
    }
}
