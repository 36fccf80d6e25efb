//! CSV the way spreadsheet programs in Russia open it without an import dialog: UTF-8 with a
//! byte-order mark (so Cyrillic is not mojibake), `;` between fields (the comma is the decimal
//! mark) and decimal commas in numbers.

use crate::billing::Money;
use rust_decimal::Decimal;

/// A CSV document being written, one row at a time.
pub struct Csv {
    out: String,
}

impl Csv {
    /// A document whose first row is `header` (already `;`-separated, from the locale).
    pub fn new(header: &str) -> Csv {
        let mut out = String::from('\u{feff}');
        out.push_str(header.trim());
        out.push_str("\r\n");
        Csv { out }
    }

    /// One row; fields are quoted when they hold `;`, quotes or line breaks.
    pub fn row<I, S>(&mut self, fields: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut first = true;
        for field in fields {
            if !first {
                self.out.push(';');
            }
            first = false;
            let field = field.as_ref();
            if field.contains([';', '"', '\n', '\r']) {
                self.out.push('"');
                self.out.push_str(&field.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(field);
            }
        }
        self.out.push_str("\r\n");
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out.into_bytes()
    }
}

/// `1234.5` → `1234,5`: a number as the spreadsheet reads it, no grouping, no unit.
pub fn number(value: Decimal) -> String {
    value.normalize().to_string().replace('.', ",")
}

/// `1234.50` → `1234,50`: money with its kopecks, no grouping, no unit.
pub fn money(value: Money) -> String {
    let mut amount = value.amount();
    amount.rescale(2);
    amount.to_string().replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_document_starts_with_the_bom_and_separates_with_semicolons() {
        let mut csv = Csv::new("Дата;Сумма, ₽");
        csv.row(["05.10.2026", &money(Money::from_kopecks(123_450))]);
        csv.row(["«Ромашка»; ООО", "он сказал \"да\""]);
        let text = String::from_utf8(csv.into_bytes()).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(
            lines,
            [
                "Дата;Сумма, ₽",
                "05.10.2026;1234,50",
                "\"«Ромашка»; ООО\";\"он сказал \"\"да\"\"\"",
                ""
            ]
        );
    }

    #[test]
    fn numbers_take_decimal_commas_and_money_keeps_kopecks() {
        assert_eq!(number(dec!(12.500)), "12,5");
        assert_eq!(number(dec!(5910)), "5910");
        assert_eq!(money(Money::from_kopecks(-1500)), "-15,00");
        assert_eq!(money(Money::from_kopecks(7)), "0,07");
    }
}
