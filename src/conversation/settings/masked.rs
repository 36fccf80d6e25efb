//! Contacts shown half-hidden: enough for the holder to recognise, too little for an onlooker.

/// `a.petrova@example.com` → `a***a@example.com`. The name's length is not given away.
pub fn email(address: &str) -> String {
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
pub fn phone(number: &str) -> String {
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
        assert_eq!(email("a.petrova@example.com"), "a***a@example.com");
        assert_eq!(email("ab@mail.ru"), "a***@mail.ru");
        assert_eq!(email("x@mail.ru"), "x***@mail.ru");
        assert_eq!(email("Ёлкина@почта.рф"), "Ё***а@почта.рф");
    }

    #[test]
    fn russian_mobiles_keep_the_operator_code_and_the_last_two_digits() {
        assert_eq!(phone("+79267771024"), "+7 926 ***-**-24");
        assert_eq!(phone("+380441234567"), "+38***67");
    }

    proptest! {
        #[test]
        fn masking_never_panics_and_hides_the_middle(s in "\\PC{0,60}") {
            let e = email(&s);
            prop_assert!(e.contains("***"));
            let p = phone(&s);
            prop_assert!(p.contains("***"));
        }
    }
}
