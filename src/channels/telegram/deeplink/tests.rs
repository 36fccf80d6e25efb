use super::*;
use chrono::{Duration, TimeZone};
use proptest::prelude::*;

fn key() -> LinkKey {
    LinkKey::new("a test secret of sufficient length").unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn account() -> AccountNumber {
    AccountNumber::parse("0077010000017").unwrap()
}

#[test]
fn a_link_with_an_account_round_trips() {
    let expires = at(2031, 3, 1, 12, 30);
    let payload = encode(LinkAction::Registration, Some(&account()), expires, &key());
    let link = decode(&payload, at(2031, 2, 1, 0, 0), &key()).unwrap();
    assert_eq!(
        link,
        DeepLink {
            action: LinkAction::Registration,
            account: Some(account()),
            expires,
        }
    );
}

#[test]
fn payloads_fit_telegrams_start_parameter() {
    let expires = at(2031, 3, 1, 0, 0);
    let with = encode(LinkAction::Pay, Some(&account()), expires, &key());
    let without = encode(LinkAction::Help, None, expires, &key());
    assert_eq!((with.len(), without.len()), (31, 23));
    for p in [&with, &without] {
        assert!(
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        );
    }
}

#[test]
fn the_expiry_is_truncated_to_the_minute() {
    let expires = at(2031, 3, 1, 12, 30) + Duration::seconds(59);
    let payload = encode(LinkAction::Readings, None, expires, &key());
    let link = decode(&payload, at(2030, 1, 1, 0, 0), &key()).unwrap();
    assert_eq!(link.expires, at(2031, 3, 1, 12, 30));
}

#[test]
fn an_expired_link_is_refused_from_its_expiry_on() {
    let expires = at(2031, 3, 1, 12, 30);
    let payload = encode(LinkAction::Receipt, None, expires, &key());
    let just_before = expires - Duration::seconds(1);
    assert!(decode(&payload, just_before, &key()).is_ok());
    assert_eq!(
        decode(&payload, expires, &key()),
        Err(DeepLinkError::Expired)
    );
    assert_eq!(
        decode(&payload, expires + Duration::days(3), &key()),
        Err(DeepLinkError::Expired)
    );
}

#[test]
fn a_link_signed_with_another_key_is_refused() {
    let other = LinkKey::new("another secret, also long enough").unwrap();
    let payload = encode(
        LinkAction::Pay,
        Some(&account()),
        at(2031, 1, 1, 0, 0),
        &other,
    );
    assert_eq!(
        decode(&payload, at(2030, 1, 1, 0, 0), &key()),
        Err(DeepLinkError::BadSignature)
    );
}

#[test]
fn an_account_swapped_into_a_valid_link_is_refused() {
    let expires = at(2031, 1, 1, 0, 0);
    let genuine = encode(LinkAction::Registration, Some(&account()), expires, &key());
    let other = AccountNumber::parse("7701000000099").unwrap();
    let foreign = encode(LinkAction::Registration, Some(&other), expires, &key());
    // The first 12 chars carry the header, the account and half the (equal) expiry; the rest,
    // from the genuine link, carry its tag.
    let spliced = format!("{}{}", &foreign[..12], &genuine[12..]);
    assert_eq!(
        decode(&spliced, at(2030, 1, 1, 0, 0), &key()),
        Err(DeepLinkError::BadSignature)
    );
}

#[test]
fn garbage_is_malformed() {
    let now = at(2030, 1, 1, 0, 0);
    for bad in [
        "",
        "abc",
        "!!!!",
        "a b",
        &"A".repeat(65),
        "AAAAAAAAAAAAAAAAAAAAAAA=",
    ] {
        assert_eq!(
            decode(bad, now, &key()),
            Err(DeepLinkError::Malformed),
            "{bad:?}"
        );
    }
}

#[test]
fn short_keys_are_refused() {
    assert_eq!(LinkKey::new("short").unwrap_err(), WeakLinkKey(5));
    assert_eq!(format!("{:?}", key()), "LinkKey(…)");
}

#[test]
fn actions_parse_from_their_codes() {
    for a in LinkAction::ALL {
        assert_eq!(a.code().parse::<LinkAction>(), Ok(a));
    }
    assert!("transfer".parse::<LinkAction>().is_err());
}

#[test]
fn start_payloads_are_found_in_start_commands() {
    assert_eq!(start_payload("/start abc_-1"), Some("abc_-1"));
    assert_eq!(start_payload("/start@kabinet_bot abc"), Some("abc"));
    assert_eq!(start_payload("/start"), None);
    assert_eq!(start_payload("/start   "), None);
    assert_eq!(start_payload("/startabc"), None);
    assert_eq!(start_payload("hello"), None);
    assert_eq!(
        link_url("@kabinet_bot", "xyz"),
        "https://t.me/kabinet_bot?start=xyz"
    );
}

fn any_action() -> impl Strategy<Value = LinkAction> {
    prop::sample::select(LinkAction::ALL.to_vec())
}

fn any_account() -> impl Strategy<Value = Option<AccountNumber>> {
    prop::option::of("[0-9]{13}".prop_map(|s| AccountNumber::parse(&s).unwrap()))
}

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

proptest! {
    #[test]
    fn valid_links_round_trip(
        action in any_action(),
        account in any_account(),
        minutes in 1u32..u32::MAX,
    ) {
        let expires = DateTime::from_timestamp(i64::from(minutes) * 60, 0).unwrap();
        let payload = encode(action, account.as_ref(), expires, &key());
        prop_assert!(payload.len() <= MAX_PAYLOAD_LEN);
        let link = decode(&payload, expires - Duration::seconds(1), &key()).unwrap();
        prop_assert_eq!(link, DeepLink { action, account, expires });
    }

    #[test]
    fn any_edit_of_a_valid_payload_is_refused(
        action in any_action(),
        account in any_account(),
        pos in any::<prop::sample::Index>(),
        replacement in prop::sample::select(ALPHABET.to_vec()),
        edit in 0u8..3,
    ) {
        let expires = at(2031, 1, 1, 0, 0);
        let payload = encode(action, account.as_ref(), expires, &key());
        let mut bytes = payload.clone().into_bytes();
        let i = pos.index(bytes.len());
        match edit {
            0 => bytes[i] = replacement,
            1 => { bytes.remove(i); }
            _ => bytes.insert(i, replacement),
        }
        let edited = String::from_utf8(bytes).unwrap();
        prop_assume!(edited != payload);
        let result = decode(&edited, at(2030, 1, 1, 0, 0), &key());
        prop_assert!(
            matches!(result, Err(DeepLinkError::Malformed | DeepLinkError::BadSignature)),
            "{edited} gave {result:?}"
        );
    }

    #[test]
    fn random_strings_never_panic_nor_pass(s in "\\PC{0,80}", t in "[A-Za-z0-9_-]{0,64}") {
        let now = at(2030, 1, 1, 0, 0);
        prop_assert!(decode(&s, now, &key()).is_err());
        prop_assert!(decode(&t, now, &key()).is_err());
    }
}
