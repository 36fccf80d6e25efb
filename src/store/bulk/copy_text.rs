//! Rows of generated records in `COPY … FROM STDIN` text format: tab between columns, `\N` for
//! NULL, and backslash, tab, newline and carriage return escaped in text values.

use crate::demo::{AccountRecord, MeterRecord, PaymentRecord, ReadingRecord};
use std::io::Write;

/// `COPY accounts` with the columns [`account`] writes.
pub(super) const ACCOUNTS: &str = "COPY accounts (id, number, holder, address, category, odn_kwh, \
     norm_kwh, credential_hash, phone, email) FROM STDIN";
/// `COPY meters` with the columns [`meter`] writes.
pub(super) const METERS: &str = "COPY meters (id, account_id, serial, tariff_kind, digits, \
     installed_on, verified_until) FROM STDIN";
/// `COPY readings` with the columns [`reading`] writes.
pub(super) const READINGS: &str =
    "COPY readings (meter_id, zone, value, period, taken_on, source) FROM STDIN";
/// `COPY payments` with the columns [`payment`] writes.
pub(super) const PAYMENTS: &str =
    "COPY payments (account_id, amount, paid_at, source, gateway_order_id) FROM STDIN";

pub(super) fn account(out: &mut Vec<u8>, id: i64, a: &AccountRecord) {
    let _ = write!(out, "{id}\t{}\t", a.number.as_str());
    text(out, &a.holder);
    out.push(b'\t');
    text(out, &a.address);
    let _ = write!(
        out,
        "\t{}\t{}\t{}\t",
        a.category.code(),
        a.odn_kwh,
        a.norm_kwh
    );
    optional(out, a.credential_hash.as_deref());
    out.push(b'\t');
    optional(out, a.phone.as_deref());
    out.push(b'\t');
    optional(out, a.email.as_deref());
    out.push(b'\n');
}

pub(super) fn meter(out: &mut Vec<u8>, id: i64, account_id: i64, m: &MeterRecord) {
    let _ = write!(out, "{id}\t{account_id}\t");
    text(out, &m.serial);
    let _ = write!(
        out,
        "\t{}\t{}\t{}\t",
        m.tariff_kind.code(),
        m.digits,
        m.installed_on
    );
    match m.verified_until {
        Some(day) => {
            let _ = write!(out, "{day}");
        }
        None => out.extend_from_slice(b"\\N"),
    }
    out.push(b'\n');
}

pub(super) fn reading(out: &mut Vec<u8>, meter_id: i64, r: &ReadingRecord) {
    let _ = writeln!(
        out,
        "{meter_id}\t{}\t{}\t{}\t{}\t{}",
        r.zone.code(),
        r.value,
        r.period.first_day(),
        r.taken_on,
        r.source.code()
    );
}

pub(super) fn payment(out: &mut Vec<u8>, account_id: i64, p: &PaymentRecord) {
    let _ = write!(
        out,
        "{account_id}\t{}\t{}\t{}\t",
        p.amount.amount(),
        p.paid_at.to_rfc3339(),
        p.source.code()
    );
    text(out, &p.order_id);
    out.push(b'\n');
}

fn optional(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(v) => text(out, v),
        None => out.extend_from_slice(b"\\N"),
    }
}

/// A text value, escaped.
fn text(out: &mut Vec<u8>, value: &str) {
    for &b in value.as_bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_escape_what_copy_reads_as_syntax() {
        let mut out = Vec::new();
        text(&mut out, "a\\b\tc\nd\re «ё»");
        assert_eq!(out, "a\\\\b\\tc\\nd\\re «ё»".as_bytes());
        let mut out = Vec::new();
        optional(&mut out, None);
        assert_eq!(out, b"\\N");
    }
}
