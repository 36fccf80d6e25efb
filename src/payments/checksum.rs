//! The callback checksum of Sberbank's acquiring (and of our sandbox): every parameter but
//! `checksum` (and `sign_alias`), sorted by name, written as `name;value;` one after another,
//! HMAC-SHA256 with the merchant's callback key, uppercase hex.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Parameters that are not signed.
const UNSIGNED: [&str; 2] = ["checksum", "sign_alias"];

/// The string that is signed: `amount;123;mdOrder;abc;operation;deposited;…`.
pub fn signed_string(params: &[(String, String)]) -> String {
    let mut signed: Vec<&(String, String)> = params
        .iter()
        .filter(|(name, _)| !UNSIGNED.contains(&name.as_str()))
        .collect();
    signed.sort_by(|a, b| a.0.cmp(&b.0));
    signed
        .into_iter()
        .map(|(name, value)| format!("{name};{value};"))
        .collect()
}

fn mac(key: &[u8], params: &[(String, String)]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(signed_string(params).as_bytes());
    mac
}

/// The checksum of `params` (uppercase hex), as the gateway computes it.
pub fn sign(key: &[u8], params: &[(String, String)]) -> String {
    mac(key, params)
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Whether `params` carry a `checksum` that matches them, compared in constant time.
/// A missing, malformed or wrong checksum is `false`.
pub fn verify(key: &[u8], params: &[(String, String)]) -> bool {
    let Some(presented) = params
        .iter()
        .find(|(name, _)| name == "checksum")
        .and_then(|(_, value)| from_hex(value))
    else {
        return false;
    };
    mac(key, params).verify_slice(&presented).is_ok()
}

/// Hex digits (either case) into bytes; `None` for anything else.
fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_signed_string_is_sorted_name_value_pairs_without_the_checksum() {
        let p = params(&[
            ("orderNumber", "K1"),
            ("mdOrder", "abc"),
            ("checksum", "FF"),
            ("operation", "deposited"),
            ("status", "1"),
        ]);
        assert_eq!(
            signed_string(&p),
            "mdOrder;abc;operation;deposited;orderNumber;K1;status;1;"
        );
    }

    #[test]
    fn a_signed_callback_verifies_and_any_change_breaks_it() {
        let key = b"callback-key";
        let mut p = params(&[
            ("mdOrder", "abc"),
            ("operation", "deposited"),
            ("status", "1"),
        ]);
        let sum = sign(key, &p);
        assert_eq!(sum.len(), 64);
        assert!(
            sum.chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
        p.push(("checksum".into(), sum.clone()));
        assert!(verify(key, &p));
        assert!(!verify(b"another-key", &p));
        let mut changed = p.clone();
        changed[2].1 = "0".into();
        assert!(!verify(key, &changed));
        let mut lower = p.clone();
        lower[3].1 = sum.to_lowercase();
        assert!(verify(key, &lower), "hex is read in either case");
    }

    #[test]
    fn a_missing_or_malformed_checksum_fails() {
        let key = b"k";
        assert!(!verify(key, &params(&[("mdOrder", "abc")])));
        assert!(!verify(
            key,
            &params(&[("mdOrder", "abc"), ("checksum", "XYZ")])
        ));
        assert!(!verify(
            key,
            &params(&[("mdOrder", "abc"), ("checksum", "")])
        ));
    }
}
