//! The fuzz targets: every parser that reads outside data, driven by arbitrary bytes.
//!
//! Each function here is one target. `fuzz/` runs them under libFuzzer (`cargo +nightly fuzz
//! run <target>`, see `scripts/fuzz.sh`); `cargo test` replays their committed corpora and
//! regressions and mutates them for a few seconds (`tests/it/fuzz.rs`), so a parser that starts
//! to panic is caught without a nightly toolchain. A target panics only when a parser breaks
//! one of the invariants checked here (or panics itself); a refusal is a normal outcome.

use crate::billing::{AccountNumber, MeterSpec, Period, TariffKind, parse_reading};
use crate::channels::telegram::deeplink::{self, LinkKey};
use crate::channels::telegram::{inbound, intake};
use crate::contact::{Email, FullName, Phone};
use crate::conversation::Event;
use crate::payments::checksum;
use crate::payments::sber::answers;
use chrono::{DateTime, NaiveDate, Utc};

/// A fuzz target: arbitrary bytes in, a panic when a parser breaks.
pub type Target = fn(&[u8]);

/// The targets by name, as `fuzz/fuzz_targets/<name>.rs` and `fuzz/corpus/<name>/` call them.
pub const TARGETS: [(&str, Target); 6] = [
    ("text_input", text_input),
    ("buttons", buttons),
    ("telegram_update", telegram_update),
    ("gateway_callback", gateway_callback),
    ("gateway_answer", gateway_answer),
    ("settings", settings),
];

/// The key the targets sign deep links and callbacks with.
const KEY: &[u8] = b"fuzzing-key-0123456789abcdef";

/// A day inside the data's range, for parsers that read dates relative to today.
fn today(seed: u8) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date") + chrono::Days::new(u64::from(seed) * 3)
}

fn now(seed: u8) -> DateTime<Utc> {
    today(seed).and_hms_opt(12, 0, 0).expect("a time").and_utc()
}

/// The first byte picks the settings of the parsers; the rest is the text (lossy UTF-8: the
/// chat only delivers valid UTF-8, but a parser must not care).
fn split(data: &[u8]) -> (u8, String) {
    match data.split_first() {
        Some((seed, rest)) => (*seed, String::from_utf8_lossy(rest).into_owned()),
        None => (0, String::new()),
    }
}

/// What a person types: readings, amounts, account numbers, names, phones, emails, one-time
/// codes, months, date ranges, commands and the cleaning every text gets first.
pub fn text_input(data: &[u8]) {
    let (seed, text) = split(data);
    let kind = [
        TariffKind::Single,
        TariffKind::TwoZone,
        TariffKind::ThreeZone,
    ][seed as usize % 3];
    let meter = MeterSpec::new(4 + seed % 6, (seed / 6) % 4, kind).expect("a valid spec");
    if let Ok(value) = parse_reading(&text, &meter) {
        assert!(!value.is_sign_negative(), "{text:?} read as {value}");
        assert!(value.scale() <= 3, "{text:?} read as {value}");
    }
    let max = crate::billing::Money::from_kopecks(i64::from(seed) * 100_000 + 1);
    if let Ok(amount) = crate::conversation::pay::amount::parse_amount(&text, max) {
        assert!(
            amount.is_positive() && amount <= max,
            "{text:?} read as {amount}"
        );
        assert_eq!(amount.amount().round_dp(2), amount.amount(), "{text:?}");
    }
    if let Ok(number) = AccountNumber::parse(&text) {
        let digits = number.as_str();
        assert!(digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(AccountNumber::parse(digits).ok(), Some(number));
    }
    if let Ok(phone) = Phone::parse(&text) {
        assert_eq!(Phone::parse(phone.as_str()).ok().as_ref(), Some(&phone));
    }
    if let Ok(email) = Email::parse(&text) {
        assert_eq!(Email::parse(email.as_str()).ok().as_ref(), Some(&email));
    }
    if let Ok(name) = FullName::parse(&text) {
        assert_eq!(FullName::parse(name.as_str()).ok().as_ref(), Some(&name));
    }
    if let Some(code) = crate::conversation::codes::parse(&text) {
        assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
    }
    let _ = crate::conversation::pay::payer::parse_contact(&text);
    if let Some(month) = crate::conversation::receipt::parse_month(&text) {
        assert_eq!(month.to_string().parse::<Period>().ok(), Some(month));
    }
    let _ = crate::conversation::period::parse::parse_range(&text, today(seed));
    let _ = text.parse::<Period>();
    let _ = crate::conversation::input::check(Event::Text(text.clone()));
    let _ = crate::conversation::input::check(Event::from_line(&text));
    let _ = crate::channels::console::parse_line(&text, &[]);
}

/// Callback data and deep-link payloads: what a button or a `/start` link carries. Half the
/// inputs are signed here, so the fields behind the signature are fuzzed too.
pub fn buttons(data: &[u8]) {
    let (seed, text) = split(data);
    let key = LinkKey::new(KEY).expect("a long key");
    let _ = deeplink::decode(&text, now(seed), &key);
    if let Some(payload) = deeplink::start_payload(&text) {
        let _ = deeplink::decode(payload, now(seed), &key);
    }
    if seed & 1 == 1 {
        let signed = deeplink::sign_raw(data.get(1..).unwrap_or_default(), &key);
        if let Ok(link) = deeplink::decode(&signed, now(seed), &key) {
            let again = deeplink::encode(link.action, link.account.as_ref(), link.expires, &key);
            assert_eq!(
                deeplink::decode(&again, now(seed), &key).ok().as_ref(),
                Some(&link)
            );
        }
    }
    let _ = crate::conversation::accounts::data::parse(&text);
    let _ = crate::conversation::notice::parse(&text);
    let _ = crate::conversation::input::check(Event::Button(text.clone()));
    let _ = crate::conversation::input::check(Event::Start {
        payload: Some(text.clone()),
    });
    let _ = crate::i18n::Lang::from_code(&text);
}

/// A Telegram update as the webhook or getUpdates delivers it: JSON of any shape.
pub fn telegram_update(data: &[u8]) {
    let key = LinkKey::new(KEY).expect("a long key");
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let _ = json.get("update_id").and_then(serde_json::Value::as_i64);
    if let Ok(update) = intake::parse(&json) {
        let _ = inbound::inbound(&update, now(0), Some(&key));
        let _ = inbound::inbound(&update, now(0), None);
        let _ = inbound::callback_to_answer(&update);
    }
}

/// The gateway's callback as its query string or form body, half the time signed with the
/// right key so the reading after the checksum is fuzzed too; and the return URL's query.
pub fn gateway_callback(data: &[u8]) {
    let Some((seed, raw)) = data.split_first() else {
        return;
    };
    let mut params = crate::web::form_urlencoded(raw);
    if seed & 1 == 1 {
        params.retain(|(name, _)| name != "checksum");
        let sum = checksum::sign(KEY, &params);
        params.push(("checksum".into(), sum));
        assert!(
            checksum::verify(KEY, &params),
            "a signed callback must verify"
        );
    }
    if checksum::verify(KEY, &params) {
        let _ = crate::web::callback_order(&params);
    }
    let _ = crate::web::return_order(raw);
}

/// The gateway's answers (`register.do`, `getOrderStatusExtended.do`, the СБП link): any body.
pub fn gateway_answer(data: &[u8]) {
    let body = String::from_utf8_lossy(data);
    let Ok(answer) = answers::read_answer(&body) else {
        return;
    };
    if let Ok(status) = answers::read_status(&answer) {
        assert!(!status.amount.is_negative(), "{body}");
    }
    let _ = answers::read_registered(&answer);
    let _ = answers::read_sbp_payload(&answer);
}

/// The settings from the environment: `NAME=value` lines.
pub fn settings(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let vars: std::collections::HashMap<&str, &str> =
        text.lines().filter_map(|l| l.split_once('=')).collect();
    let _ = crate::config::Settings::from_lookup(|name| vars.get(name).map(|v| (*v).to_owned()));
    let _ = crate::config::TimeZone::named(&text);
}
