//! Signed deep-link payloads for call-center staff: `https://t.me/<bot>?start=<payload>`.
//!
//! A payload names a flow to open (and may prefill an account number) until an expiry. It is
//! signed with a server-side key so that a customer cannot forge one or edit the account in it.
//! A link never authenticates anyone: the account is only prefilled, identification still happens.
//!
//! Telegram allows at most 64 characters of `A-Za-z0-9_-` in a start parameter; the payload is
//! the URL-safe base64 (no padding) of these bytes:
//!
//! | bytes | content |
//! | --- | --- |
//! | 1 | header: format version (high nibble), account present (bit 3), action (bits 0–2) |
//! | 6 | the 13-digit account number as a big-endian integer (only when present) |
//! | 4 | expiry, whole minutes since the Unix epoch, big-endian |
//! | 12 | HMAC-SHA256 over a domain label and the bytes above, truncated to 96 bits |
//!
//! That is 23 characters without an account and 31 with one.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::billing::types::AccountNumber;

#[cfg(test)]
mod tests;

/// The flow a deep link opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkAction {
    /// Registration, with the account prefilled when the link carries one.
    Registration,
    /// Meter readings submission.
    Readings,
    /// The latest receipt.
    Receipt,
    /// Payment.
    Pay,
    /// Help and contacts.
    Help,
}

impl LinkAction {
    pub const ALL: [LinkAction; 5] = [
        LinkAction::Registration,
        LinkAction::Readings,
        LinkAction::Receipt,
        LinkAction::Pay,
        LinkAction::Help,
    ];

    /// The name used on the command line (`kabinet link readings`).
    pub fn code(self) -> &'static str {
        match self {
            LinkAction::Registration => "registration",
            LinkAction::Readings => "readings",
            LinkAction::Receipt => "receipt",
            LinkAction::Pay => "pay",
            LinkAction::Help => "help",
        }
    }

    fn bits(self) -> u8 {
        match self {
            LinkAction::Registration => 0,
            LinkAction::Readings => 1,
            LinkAction::Receipt => 2,
            LinkAction::Pay => 3,
            LinkAction::Help => 4,
        }
    }

    fn from_bits(bits: u8) -> Option<LinkAction> {
        LinkAction::ALL.into_iter().find(|a| a.bits() == bits)
    }
}

impl fmt::Display for LinkAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An action name that is not one of [`LinkAction::ALL`].
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown link action «{0}»: expected registration, readings, receipt, pay or help")]
pub struct UnknownLinkAction(pub String);

impl FromStr for LinkAction {
    type Err = UnknownLinkAction;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LinkAction::ALL
            .into_iter()
            .find(|a| a.code() == s)
            .ok_or_else(|| UnknownLinkAction(s.to_owned()))
    }
}

/// The secret that signs deep links. Its bytes never appear in `Debug` output.
#[derive(Clone)]
pub struct LinkKey(Vec<u8>);

/// A signing secret too short to resist guessing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a deep-link key needs at least {min} bytes, this one has {0}", min = LinkKey::MIN_LEN)]
pub struct WeakLinkKey(pub usize);

impl LinkKey {
    /// The shortest secret accepted (128 bits).
    pub const MIN_LEN: usize = 16;

    pub fn new(secret: impl AsRef<[u8]>) -> Result<LinkKey, WeakLinkKey> {
        let secret = secret.as_ref();
        if secret.len() < Self::MIN_LEN {
            return Err(WeakLinkKey(secret.len()));
        }
        Ok(LinkKey(secret.to_vec()))
    }

    fn mac(&self) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC takes keys of any size");
        mac.update(DOMAIN);
        mac
    }
}

impl fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkKey(…)")
    }
}

/// A verified, unexpired deep link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeepLink {
    pub action: LinkAction,
    /// Prefilled only: the customer must still identify themselves.
    pub account: Option<AccountNumber>,
    /// The link is refused from this instant on.
    pub expires: DateTime<Utc>,
}

/// Why a start payload was refused; every case falls back to the normal start.
#[derive(Clone, Copy, Debug, thiserror::Error, PartialEq, Eq)]
pub enum DeepLinkError {
    #[error("the link payload is malformed")]
    Malformed,
    #[error("the link signature does not match")]
    BadSignature,
    #[error("the link has expired")]
    Expired,
}

/// Separates these tags from any other use of the same key.
const DOMAIN: &[u8] = b"kabinet/deeplink/v1\0";
const VERSION: u8 = 1;
const HAS_ACCOUNT: u8 = 0b1000;
const ACCOUNT_LEN: usize = 6;
const EXPIRY_LEN: usize = 4;
const TAG_LEN: usize = 12;
/// Telegram's limit on a start parameter.
pub const MAX_PAYLOAD_LEN: usize = 64;

/// Signs a payload. The expiry is truncated to the whole minute and clamped to the range the
/// format holds (a past expiry gives a link that is already expired).
pub fn encode(
    action: LinkAction,
    account: Option<&AccountNumber>,
    expires: DateTime<Utc>,
    key: &LinkKey,
) -> String {
    let mut bytes = Vec::with_capacity(1 + ACCOUNT_LEN + EXPIRY_LEN + TAG_LEN);
    let flag = if account.is_some() { HAS_ACCOUNT } else { 0 };
    bytes.push(VERSION << 4 | flag | action.bits());
    if let Some(account) = account {
        let n: u64 = account
            .as_str()
            .parse()
            .expect("an account number is 13 digits");
        bytes.extend_from_slice(&n.to_be_bytes()[8 - ACCOUNT_LEN..]);
    }
    let minutes = expires.timestamp().div_euclid(60).clamp(0, u32::MAX.into());
    bytes.extend_from_slice(&(minutes as u32).to_be_bytes());
    let mut mac = key.mac();
    mac.update(&bytes);
    bytes.extend_from_slice(&mac.finalize().into_bytes()[..TAG_LEN]);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `body` signed and encoded as a payload, whatever it holds: the fuzzer's way past the
/// signature to the fields behind it.
#[doc(hidden)]
pub fn sign_raw(body: &[u8], key: &LinkKey) -> String {
    let mut mac = key.mac();
    mac.update(body);
    let mut bytes = body.to_vec();
    bytes.extend_from_slice(&mac.finalize().into_bytes()[..TAG_LEN]);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Checks the signature, then the expiry (`now` at or past it is expired), then the fields.
pub fn decode(payload: &str, now: DateTime<Utc>, key: &LinkKey) -> Result<DeepLink, DeepLinkError> {
    if payload.len() > MAX_PAYLOAD_LEN {
        return Err(DeepLinkError::Malformed);
    }
    // The engine refuses padding and non-zero trailing bits, so each payload has one spelling.
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| DeepLinkError::Malformed)?;
    let short = 1 + EXPIRY_LEN + TAG_LEN;
    if bytes.len() != short && bytes.len() != short + ACCOUNT_LEN {
        return Err(DeepLinkError::Malformed);
    }
    let (body, tag) = bytes.split_at(bytes.len() - TAG_LEN);
    let mut mac = key.mac();
    mac.update(body);
    mac.verify_truncated_left(tag)
        .map_err(|_| DeepLinkError::BadSignature)?;

    let header = body[0];
    let has_account = header & HAS_ACCOUNT != 0;
    if header >> 4 != VERSION || has_account != (body.len() == 1 + ACCOUNT_LEN + EXPIRY_LEN) {
        return Err(DeepLinkError::Malformed);
    }
    let action = LinkAction::from_bits(header & 0b111).ok_or(DeepLinkError::Malformed)?;
    let (account, expiry) = if has_account {
        let mut n = [0u8; 8];
        n[8 - ACCOUNT_LEN..].copy_from_slice(&body[1..1 + ACCOUNT_LEN]);
        let digits = format!("{:013}", u64::from_be_bytes(n));
        let account = AccountNumber::parse(&digits).map_err(|_| DeepLinkError::Malformed)?;
        (Some(account), &body[1 + ACCOUNT_LEN..])
    } else {
        (None, &body[1..])
    };
    let minutes = u32::from_be_bytes(expiry.try_into().expect("four expiry bytes"));
    let expires = DateTime::from_timestamp(i64::from(minutes) * 60, 0).expect("u32 minutes fit");
    if now >= expires {
        return Err(DeepLinkError::Expired);
    }
    Ok(DeepLink {
        action,
        account,
        expires,
    })
}

/// The link staff hand out: `https://t.me/<bot>?start=<payload>`.
pub fn link_url(bot_username: &str, payload: &str) -> String {
    format!(
        "https://t.me/{}?start={payload}",
        bot_username.trim_start_matches('@')
    )
}

/// The payload of a `/start <payload>` message (also `/start@bot <payload>`), if any.
pub fn start_payload(text: &str) -> Option<&str> {
    let rest = text.trim().strip_prefix("/start")?;
    let rest = match rest.strip_prefix('@') {
        Some(mention) => mention.split_once(char::is_whitespace)?.1,
        None if rest.starts_with(char::is_whitespace) => rest,
        None => return None,
    };
    Some(rest.trim()).filter(|p| !p.is_empty())
}
