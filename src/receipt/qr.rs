//! The payment string of GOST R 56042-2014 («Символы двумерного штрих-кода для осуществления
//! платежей физических лиц»), as a bank app reads it from the receipt's QR code.
//!
//! `ST00012` (format `ST0001`, encoding `2` = UTF-8), then `|Key=Value` pairs: first the
//! mandatory block in its fixed order (Name, PersonalAcc, BankName, BIC, CorrespAcc), at most
//! 300 bytes, then the optional fields. Amounts are in kopecks.

use super::Receipt;

/// The limit on the mandatory block (the header and the five mandatory fields), in bytes.
pub const MANDATORY_MAX_BYTES: usize = 300;

/// The receipt's payment string: the supplier's bank details, the payer, `PersAcc` = the
/// account number, `PaymPeriod` = MMYYYY, `Sum` = the total due and `AddAmount` = the
/// month's penalty (both in kopecks, left out when zero), `TechCode=02` (housing and utilities).
///
/// Values are sanitised: `|` would end a field early, so it becomes `/`; control characters
/// and line breaks become spaces. When the supplier's name would push the mandatory block past
/// 300 bytes, the name is shortened (on a character boundary) so that the block fits.
pub fn payment_string(receipt: &Receipt) -> String {
    let s = &receipt.supplier;
    let tail: Vec<(&str, String)> = vec![
        ("PersonalAcc", clean(&s.account)),
        ("BankName", clean(&s.bank)),
        ("BIC", clean(&s.bic)),
        ("CorrespAcc", clean(&s.corr_account)),
    ];
    let header = "ST00012";
    let tail_bytes: usize = tail.iter().map(|(k, v)| 2 + k.len() + v.len()).sum();
    let room = MANDATORY_MAX_BYTES.saturating_sub(header.len() + "|Name=".len() + tail_bytes);
    let mut out = format!("{header}|Name={}", fit(&clean(&s.name), room));
    for (key, value) in tail {
        push(&mut out, key, &value);
    }
    push(&mut out, "PayeeINN", &clean(&s.inn));
    push(&mut out, "KPP", &clean(&s.kpp));
    push(&mut out, "PersAcc", receipt.account.as_str());
    let names: Vec<&str> = receipt.holder.split_whitespace().collect();
    match names.as_slice() {
        [last, first, middle] => {
            push(&mut out, "LastName", &clean(last));
            push(&mut out, "FirstName", &clean(first));
            push(&mut out, "MiddleName", &clean(middle));
        }
        _ => push(&mut out, "LastName", &clean(&receipt.holder)),
    }
    push(&mut out, "PayerAddress", &clean(&receipt.address));
    let period = format!("{:02}{:04}", receipt.period.month(), receipt.period.year());
    let purpose = format!(
        "Оплата электроэнергии за {:02}.{:04}, л/с {}",
        receipt.period.month(),
        receipt.period.year(),
        receipt.account
    );
    push(&mut out, "Purpose", &purpose);
    push(&mut out, "PaymPeriod", &period);
    let due = receipt.total_due().kopecks();
    if due > 0 {
        push(&mut out, "Sum", &due.to_string());
    }
    let penalty = receipt.penalty.kopecks();
    if penalty > 0 {
        push(&mut out, "AddAmount", &penalty.to_string());
    }
    push(&mut out, "TechCode", "02");
    out
}

fn push(out: &mut String, key: &str, value: &str) {
    out.push('|');
    out.push_str(key);
    out.push('=');
    out.push_str(value);
}

/// A value that cannot break the string: no `|`, no control characters, trimmed.
fn clean(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '|' => '/',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The longest prefix of `value` of at most `bytes` bytes that ends on a character boundary.
fn fit(value: &str, bytes: usize) -> &str {
    if value.len() <= bytes {
        return value;
    }
    let mut end = bytes;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    value[..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::Money;
    use crate::receipt::sample;

    /// The mandatory block: everything before `|PayeeINN=`.
    fn mandatory(s: &str) -> &str {
        &s[..s.find("|PayeeINN=").unwrap()]
    }

    #[test]
    fn the_string_starts_with_the_mandatory_block_in_order() {
        let s = payment_string(&sample::receipt());
        let keys: Vec<&str> = s
            .split('|')
            .skip(1)
            .map(|kv| kv.split_once('=').unwrap().0)
            .collect();
        assert!(s.starts_with("ST00012|Name=АО «Демо Энергосбыт»|"));
        assert_eq!(
            keys[..5],
            ["Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc"]
        );
        assert!(mandatory(&s).len() <= MANDATORY_MAX_BYTES);
        assert!(s.ends_with("|TechCode=02"));
    }

    #[test]
    fn amounts_are_kopecks_and_the_account_is_pers_acc() {
        let r = sample::receipt();
        let s = payment_string(&r);
        let field = |key: &str| {
            s.split('|')
                .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
                .map(str::to_owned)
        };
        assert_eq!(field("PersAcc").as_deref(), Some("7701000000048"));
        assert_eq!(field("PaymPeriod").as_deref(), Some("102026"));
        assert_eq!(field("Sum"), Some(r.total_due().kopecks().to_string()));
        assert_eq!(field("AddAmount"), Some(r.penalty.kopecks().to_string()));
        assert_eq!(field("LastName").as_deref(), Some("Сидоров"));
        assert_eq!(field("MiddleName").as_deref(), Some("Алексеевич"));
        assert!(field("PersonalAccount").is_none());
    }

    #[test]
    fn no_sum_and_no_add_amount_when_nothing_is_owed() {
        let mut r = sample::receipt();
        r.penalty = Money::ZERO;
        r.opening = Money::from_kopecks(-10_000_000);
        let s = payment_string(&r);
        assert!(!s.contains("|Sum="), "{s}");
        assert!(!s.contains("|AddAmount="), "{s}");
    }

    #[test]
    fn a_bar_or_a_line_break_in_a_value_cannot_start_a_field() {
        let mut r = sample::receipt();
        r.address = "ул. Лесная|Sum=1\nкв. 5".into();
        r.holder = "Ким|Ли".into();
        let s = payment_string(&r);
        assert!(s.contains("|PayerAddress=ул. Лесная/Sum=1 кв. 5|"), "{s}");
        assert!(s.contains("|LastName=Ким/Ли|"), "{s}");
        assert_eq!(s.matches("|Sum=").count(), 1);
    }

    #[test]
    fn a_long_name_is_cut_so_the_mandatory_block_fits_300_bytes() {
        let mut r = sample::receipt();
        r.supplier.name = "Я".repeat(160); // 320 bytes in UTF-8
        let s = payment_string(&r);
        let block = mandatory(&s);
        assert!(block.len() <= MANDATORY_MAX_BYTES, "{}", block.len());
        assert!(block.starts_with("ST00012|Name=ЯЯЯ"));
        assert!(block.contains("|CorrespAcc=30101810400000000225"));
    }
}
