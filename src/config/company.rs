//! The supplier's details printed on receipts and in the payment QR code (GOST R 56042).
//! The defaults describe a made-up demo company whose numbers pass the control-digit checks.

use super::read::{Reader, digits, http_url};

/// The company that bills the consumers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Company {
    /// Full name as in the payment QR code's `Name` (≤ 160 characters).
    pub name: String,
    /// ИНН of a legal entity: 10 digits with a valid control digit.
    pub inn: String,
    /// КПП: 9 characters.
    pub kpp: String,
    /// The bank's name as in the QR code's `BankName` (≤ 45 characters).
    pub bank: String,
    /// БИК: 9 digits.
    pub bic: String,
    /// Settlement account (расчётный счёт): 20 digits, its control digit checked against the BIC.
    pub account: String,
    /// The bank's correspondent account: 20 digits, checked against the BIC.
    pub corr_account: String,
    /// Postal address for the receipt.
    pub address: String,
    /// Phone of the contact center, as printed.
    pub phone: String,
    /// Web site, as printed.
    pub site: String,
    /// `COMPANY_OFFICES`: the service offices with their hours, `;` between offices, as the
    /// bot's help lists them (a retailer gives its own here, never in the translations).
    pub offices: Vec<String>,
}

/// The demo company: every `COMPANY_*` default (what an unset environment gives).
impl Default for Company {
    fn default() -> Company {
        Company::read(&mut Reader::new(&|_| None))
    }
}

impl Company {
    pub(super) fn read(r: &mut Reader<'_>) -> Company {
        let name = r.text("COMPANY_NAME", "АО «Демо Энергосбыт»", 160);
        let inn = r.or(
            "COMPANY_INN",
            "7701000001".to_owned(),
            "10 digits of a legal entity's INN with a valid control digit",
            |v| inn_is_valid(v).then(|| v.to_owned()),
        );
        let kpp = r.or(
            "COMPANY_KPP",
            "770101001".to_owned(),
            "a KPP of 9 characters (digits, letters A-Z allowed in places 5-6)",
            |v| kpp_is_valid(v).then(|| v.to_owned()),
        );
        let bank = r.text("COMPANY_BANK", "ПАО Сбербанк", 45);
        let bic = r.or(
            "COMPANY_BIC",
            "044525225".to_owned(),
            "a BIC of 9 digits",
            |v| digits(v, 9).then(|| v.to_owned()),
        );
        let account = r.or(
            "COMPANY_ACCOUNT",
            "40702810200000000001".to_owned(),
            "a settlement account of 20 digits",
            |v| digits(v, 20).then(|| v.to_owned()),
        );
        let corr_account = r.or(
            "COMPANY_CORR_ACCOUNT",
            "30101810400000000225".to_owned(),
            "a correspondent account of 20 digits",
            |v| digits(v, 20).then(|| v.to_owned()),
        );
        // Control digits tie the accounts to the BIC: a typo in any of them would send
        // consumers' money nowhere, so it must stop the program.
        if digits(&bic, 9) && digits(&account, 20) && !account_key_ok(&bic[6..9], &account) {
            r.fail(
                "COMPANY_ACCOUNT",
                "expected an account whose control digit matches COMPANY_BIC (check both)",
            );
        }
        if digits(&bic, 9)
            && digits(&corr_account, 20)
            && !account_key_ok(&format!("0{}", &bic[4..6]), &corr_account)
        {
            r.fail(
                "COMPANY_CORR_ACCOUNT",
                "expected an account whose control digit matches COMPANY_BIC (check both)",
            );
        }
        Company {
            name,
            inn,
            kpp,
            bank,
            bic,
            account,
            corr_account,
            address: r.text(
                "COMPANY_ADDRESS",
                "123456, г. Москва, ул. Примерная, д. 1",
                300,
            ),
            phone: r.text("COMPANY_PHONE", "+7 495 000-00-00", 40),
            site: r.or(
                "COMPANY_SITE",
                "https://energo.example".to_owned(),
                "an http(s):// URL",
                http_url,
            ),
            offices: r
                .text(
                    "COMPANY_OFFICES",
                    "ул. Ленина, 10 — пн–пт 8:00–19:00, сб 9:00–14:00; пр. Мира, 25 — пн–пт 9:00–18:00",
                    2000,
                )
                .split(';')
                .map(|o| o.trim().to_owned())
                .filter(|o| !o.is_empty())
                .collect(),
        }
    }
}

/// The control digit of a 10-digit INN (ФНС algorithm).
fn inn_is_valid(inn: &str) -> bool {
    if !digits(inn, 10) {
        return false;
    }
    const WEIGHTS: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    let d: Vec<u32> = inn.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = WEIGHTS.iter().zip(&d).map(|(w, x)| w * x).sum();
    sum % 11 % 10 == d[9]
}

fn kpp_is_valid(kpp: &str) -> bool {
    let b = kpp.as_bytes();
    b.len() == 9
        && b.iter()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || ((i == 4 || i == 5) && c.is_ascii_uppercase()))
}

/// The Bank of Russia key check: the 3-digit prefix from the BIC and the 20-digit account,
/// weighted 7, 1, 3 repeating, must sum to a multiple of 10.
fn account_key_ok(prefix: &str, account: &str) -> bool {
    let sum: u32 = prefix
        .bytes()
        .chain(account.bytes())
        .zip([7, 1, 3].into_iter().cycle())
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_bank_s_accounts_pass_the_key_check() {
        // Sberbank (BIC 044525225): "0" and the BIC's 5th-6th digits prefix the corr. account.
        assert!(account_key_ok("025", "30101810400000000225"));
        assert!(!account_key_ok("025", "30101810500000000225"));
    }

    #[test]
    fn inn_control_digit_is_checked() {
        assert!(inn_is_valid("7707083893")); // Sberbank
        assert!(!inn_is_valid("7707083894"));
        assert!(!inn_is_valid("770708389"));
    }

    #[test]
    fn kpp_allows_letters_only_in_places_5_and_6() {
        assert!(kpp_is_valid("7701AB001"));
        assert!(!kpp_is_valid("77A101001"));
        assert!(!kpp_is_valid("77010100"));
    }
}
