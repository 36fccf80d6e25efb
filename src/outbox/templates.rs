//! The outbox's templates: a queued message's template name and JSON payload into the text
//! its recipient reads, in the message's language (`payload.lang`, Russian by default).

use crate::billing::{Money, Period};
use crate::conversation::menu::Item;
use crate::conversation::{Button, MAX_BUTTON_DATA, notice};
use crate::i18n::{I18n, Lang, Msg, texts};
use crate::store::outbox::{Channel, NewMessage, OutboxMessage};
use chrono::NaiveDate;
use serde_json::Value;

/// Template names as queued by the flows (`store::identification::templates`,
/// `conversation::settings::{email, password}`).
pub mod names {
    pub const WEB_CREDENTIALS: &str = crate::store::identification::templates::WEB_CREDENTIALS;
    pub const TEMPORARY_PASSWORD: &str =
        crate::store::identification::templates::TEMPORARY_PASSWORD;
    pub const EMAIL_CONFIRMATION: &str = crate::conversation::settings::email::TEMPLATE;
    pub const EMAIL_CHANGED: &str = crate::conversation::settings::email::CHANGED_TEMPLATE;
    pub const PASSWORD_CHANGED: &str = crate::conversation::settings::password::CHANGED_TEMPLATE;
    /// A one-time code by SMS (linking, recovery, step-up).
    pub const ONE_TIME_CODE: &str = "one-time-code";
    /// To the chat that asked for a password which could never be delivered.
    pub const CREDENTIALS_UNDELIVERED: &str = "credentials-undelivered";
    /// A card payment credited / declined or expired (`payments::credit`).
    pub const PAYMENT_CREDITED: &str = crate::payments::templates::CREDITED;
    pub const PAYMENT_DECLINED: &str = crate::payments::templates::DECLINED;
    /// The notices the bot sends first (`notify`, `store::notices::Kind::template`).
    pub const READINGS_OPEN: &str = "notice-readings-open";
    pub const READINGS_CLOSING: &str = "notice-readings-closing";
    pub const RECEIPT_READY: &str = "notice-receipt-ready";
    pub const PAYMENT_DUE: &str = "notice-payment-due";
    pub const PENALTY_AHEAD: &str = "notice-penalty-ahead";
    pub const ANNOUNCEMENT: &str = "notice-announcement";
}

texts! {
    /// What the outbox sends, one variant per template.
    pub enum OutboxText {
        WebCredentials { login: String, password: String } => "outbox-web-credentials",
        TemporaryPassword { login: String, password: String } => "outbox-temporary-password",
        EmailConfirmation { account: String, code: String } => "outbox-email-confirmation",
        EmailChanged { account: String, new_email: String } => "outbox-email-changed",
        PasswordChanged { account: String } => "outbox-password-changed",
        OneTimeCode { account: String, code: String } => "outbox-one-time-code",
        CredentialsUndelivered { account: String, channel: String } => "outbox-credentials-undelivered",
        PaymentCredited { amount: String, account: String, balances: String } => "outbox-payment-credited",
        PaymentDeclined { amount: String, account: String } => "outbox-payment-declined",
        ReadingsOpen { account: String, period: Period, until: NaiveDate } => "notice-readings-open",
        ReadingsClosing { account: String, period: Period, until: NaiveDate } => "notice-readings-closing",
        ReceiptReady { account: String, period: Period, total: Money, to_pay: Money, due: NaiveDate } => "notice-receipt-ready",
        /// Nothing to pay (paid already, or in advance).
        ReceiptReadyPaid { account: String, period: Period, total: Money } => "notice-receipt-ready-paid",
        PaymentDue { account: String, amount: Money, due: NaiveDate } => "notice-payment-due",
        PenaltyAhead { account: String, period: Period, amount: Money, per_day: Money, from: NaiveDate } => "notice-penalty-ahead",
        Announcement { account: String, text: String } => "notice-announcement",
    }
}

texts! {
    /// The buttons under chat notices.
    pub enum NoticeButton {
        PayAgain => "notice-pay-again-button",
        SendReadings => "notice-send-readings-button",
        Pay => "notice-pay-button",
        Receipt => "notice-receipt-button",
    }
}

texts! {
    /// The subject of an email, one variant per template (other channels have none).
    pub enum OutboxSubject {
        WebCredentials => "outbox-subject-web-credentials",
        TemporaryPassword => "outbox-subject-temporary-password",
        EmailConfirmation => "outbox-subject-email-confirmation",
        EmailChanged => "outbox-subject-email-changed",
        PasswordChanged => "outbox-subject-password-changed",
        OneTimeCode => "outbox-subject-one-time-code",
        CredentialsUndelivered => "outbox-subject-credentials-undelivered",
        Payment => "outbox-subject-payment",
        Notice => "outbox-subject-notice",
    }
}

/// A queued message that cannot become text. Retrying will not help until the code changes,
/// but the message stays queued (with backoff) rather than being lost.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TemplateError {
    #[error("unknown template {0:?}")]
    Unknown(String),
    #[error("template {template}: the payload lacks the text field {field:?}")]
    MissingField {
        template: &'static str,
        field: &'static str,
    },
    #[error("{0}")]
    Render(String),
}

/// True when the template's payload carries a login and password: if it can never be
/// delivered, the chat that asked (`payload.chat`) is told to recover access instead.
pub fn carries_credentials(template: &str) -> bool {
    [names::WEB_CREDENTIALS, names::TEMPORARY_PASSWORD].contains(&template)
}

/// The notice to the chat that asked for the credentials of `message`, which will never be
/// delivered; `None` when the message names no chat (queued before chats were recorded).
pub fn credentials_undelivered(message: &OutboxMessage) -> Option<NewMessage> {
    if !carries_credentials(&message.template) {
        return None;
    }
    let chat = message.payload.get("chat")?.as_i64()?;
    let account = message.payload.get("login")?.as_str()?;
    Some(NewMessage {
        channel: Channel::Telegram,
        recipient: chat.to_string(),
        template: names::CREDENTIALS_UNDELIVERED.to_owned(),
        payload: serde_json::json!({
            "account": account,
            "channel": message.channel.code(),
            "lang": language(&message.payload).code(),
        }),
    })
}

/// True when the template's payload holds a password or a code, to be erased once delivered.
pub fn carries_secret(template: &str) -> bool {
    [
        names::WEB_CREDENTIALS,
        names::TEMPORARY_PASSWORD,
        names::EMAIL_CONFIRMATION,
        names::ONE_TIME_CODE,
    ]
    .contains(&template)
}

/// The language the message is written in: `payload.lang` when it names one, else Russian.
pub fn language(payload: &Value) -> Lang {
    payload
        .get("lang")
        .and_then(Value::as_str)
        .and_then(Lang::from_code)
        .unwrap_or_default()
}

/// The message's template as typed text.
pub fn text(template: &str, payload: &Value) -> Result<OutboxText, TemplateError> {
    let field = |template: &'static str, field: &'static str| {
        payload
            .get(field)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(TemplateError::MissingField { template, field })
    };
    Ok(match template {
        names::WEB_CREDENTIALS => OutboxText::WebCredentials {
            login: field(names::WEB_CREDENTIALS, "login")?,
            password: field(names::WEB_CREDENTIALS, "password")?,
        },
        names::TEMPORARY_PASSWORD => OutboxText::TemporaryPassword {
            login: field(names::TEMPORARY_PASSWORD, "login")?,
            password: field(names::TEMPORARY_PASSWORD, "password")?,
        },
        names::EMAIL_CONFIRMATION => OutboxText::EmailConfirmation {
            account: field(names::EMAIL_CONFIRMATION, "account")?,
            code: field(names::EMAIL_CONFIRMATION, "code")?,
        },
        names::EMAIL_CHANGED => OutboxText::EmailChanged {
            account: field(names::EMAIL_CHANGED, "account")?,
            new_email: field(names::EMAIL_CHANGED, "new_email")?,
        },
        names::PASSWORD_CHANGED => OutboxText::PasswordChanged {
            account: field(names::PASSWORD_CHANGED, "account")?,
        },
        names::ONE_TIME_CODE => OutboxText::OneTimeCode {
            account: field(names::ONE_TIME_CODE, "account")?,
            code: field(names::ONE_TIME_CODE, "code")?,
        },
        names::CREDENTIALS_UNDELIVERED => OutboxText::CredentialsUndelivered {
            account: field(names::CREDENTIALS_UNDELIVERED, "account")?,
            channel: field(names::CREDENTIALS_UNDELIVERED, "channel")?,
        },
        names::PAYMENT_CREDITED => OutboxText::PaymentCredited {
            amount: field(names::PAYMENT_CREDITED, "amount")?,
            account: field(names::PAYMENT_CREDITED, "account")?,
            balances: field(names::PAYMENT_CREDITED, "balances")?,
        },
        names::PAYMENT_DECLINED => OutboxText::PaymentDeclined {
            amount: field(names::PAYMENT_DECLINED, "amount")?,
            account: field(names::PAYMENT_DECLINED, "account")?,
        },
        names::READINGS_OPEN | names::READINGS_CLOSING => {
            let (account, period, until) = (
                field(template_name(template), "account")?,
                parsed(payload, template, "period")?,
                parsed(payload, template, "until")?,
            );
            if template == names::READINGS_OPEN {
                OutboxText::ReadingsOpen {
                    account,
                    period,
                    until,
                }
            } else {
                OutboxText::ReadingsClosing {
                    account,
                    period,
                    until,
                }
            }
        }
        names::RECEIPT_READY => {
            let to_pay = money(payload, template, "to_pay")?;
            let (account, period, total) = (
                field(names::RECEIPT_READY, "account")?,
                parsed(payload, template, "period")?,
                money(payload, template, "total")?,
            );
            if to_pay.is_positive() {
                OutboxText::ReceiptReady {
                    account,
                    period,
                    total,
                    to_pay,
                    due: parsed(payload, template, "due")?,
                }
            } else {
                OutboxText::ReceiptReadyPaid {
                    account,
                    period,
                    total,
                }
            }
        }
        names::PAYMENT_DUE => OutboxText::PaymentDue {
            account: field(names::PAYMENT_DUE, "account")?,
            amount: money(payload, template, "amount")?,
            due: parsed(payload, template, "due")?,
        },
        names::PENALTY_AHEAD => OutboxText::PenaltyAhead {
            account: field(names::PENALTY_AHEAD, "account")?,
            period: parsed(payload, template, "period")?,
            amount: money(payload, template, "amount")?,
            per_day: money(payload, template, "per_day")?,
            from: parsed(payload, template, "from")?,
        },
        names::ANNOUNCEMENT => OutboxText::Announcement {
            account: field(names::ANNOUNCEMENT, "account")?,
            text: field(names::ANNOUNCEMENT, "text")?,
        },
        other => return Err(TemplateError::Unknown(other.to_owned())),
    })
}

/// The static name of a notice template (for errors).
fn template_name(template: &str) -> &'static str {
    NOTICES
        .iter()
        .find(|n| **n == template)
        .copied()
        .unwrap_or("notice")
}

/// The notice templates (`notify`).
pub const NOTICES: [&str; 6] = [
    names::READINGS_OPEN,
    names::READINGS_CLOSING,
    names::RECEIPT_READY,
    names::PAYMENT_DUE,
    names::PENALTY_AHEAD,
    names::ANNOUNCEMENT,
];

/// A payload field parsed (a period `2026-11`, a date `2026-11-25`).
fn parsed<T: std::str::FromStr>(
    payload: &Value,
    template: &str,
    field: &'static str,
) -> Result<T, TemplateError> {
    payload
        .get(field)
        .and_then(Value::as_str)
        .and_then(|v| v.parse().ok())
        .ok_or(TemplateError::MissingField {
            template: template_name(template),
            field,
        })
}

/// A payload amount (a decimal string, `1234.50`).
fn money(payload: &Value, template: &str, field: &'static str) -> Result<Money, TemplateError> {
    parsed::<rust_decimal::Decimal>(payload, template, field).map(Money::from_decimal)
}

/// The email subject of the template.
pub fn subject(template: &str) -> Result<OutboxSubject, TemplateError> {
    Ok(match template {
        names::WEB_CREDENTIALS => OutboxSubject::WebCredentials,
        names::TEMPORARY_PASSWORD => OutboxSubject::TemporaryPassword,
        names::EMAIL_CONFIRMATION => OutboxSubject::EmailConfirmation,
        names::EMAIL_CHANGED => OutboxSubject::EmailChanged,
        names::PASSWORD_CHANGED => OutboxSubject::PasswordChanged,
        names::ONE_TIME_CODE => OutboxSubject::OneTimeCode,
        names::CREDENTIALS_UNDELIVERED => OutboxSubject::CredentialsUndelivered,
        names::PAYMENT_CREDITED | names::PAYMENT_DECLINED => OutboxSubject::Payment,
        n if NOTICES.contains(&n) => OutboxSubject::Notice,
        other => return Err(TemplateError::Unknown(other.to_owned())),
    })
}

/// The subject of `message` in its language.
pub fn render_subject(i18n: &I18n, message: &OutboxMessage) -> Result<String, TemplateError> {
    let msg: Msg = subject(&message.template)?.into();
    i18n.try_render(language(&message.payload), &msg)
        .map_err(|e| TemplateError::Render(e.to_string()))
}

/// The buttons under a chat notice, labels in its language: a declined payment offers to
/// pay again for the same account (`go:pay:NUMBER`, see `conversation::notice`).
pub fn buttons(i18n: &I18n, message: &OutboxMessage) -> Vec<Vec<Button>> {
    if message.channel != Channel::Telegram {
        return Vec::new();
    }
    let account = message.payload.get("account").and_then(Value::as_str);
    let period = message.payload.get("period").and_then(Value::as_str);
    if let (names::RECEIPT_READY, Some(account), Some(period)) =
        (message.template.as_str(), account, period)
    {
        // The month's receipt itself, at once.
        let data = notice::data_with(Item::Receipt, account, period);
        if data.len() > MAX_BUTTON_DATA {
            return Vec::new();
        }
        let label = i18n.render(language(&message.payload), &NoticeButton::Receipt.into());
        return vec![vec![Button { label, data }]];
    }
    let (label, item) = match (message.template.as_str(), account) {
        (names::PAYMENT_DECLINED, Some(account)) => (NoticeButton::PayAgain, (Item::Pay, account)),
        (names::READINGS_OPEN | names::READINGS_CLOSING, Some(account)) => {
            (NoticeButton::SendReadings, (Item::Readings, account))
        }
        (names::PAYMENT_DUE | names::PENALTY_AHEAD, Some(account)) => {
            (NoticeButton::Pay, (Item::Pay, account))
        }
        _ => return Vec::new(),
    };
    let data = notice::data(item.0, item.1);
    if data.len() > MAX_BUTTON_DATA {
        return Vec::new();
    }
    vec![vec![Button {
        label: i18n.render(language(&message.payload), &label.into()),
        data,
    }]]
}

/// The text of `message` in its language.
pub fn render(i18n: &I18n, message: &OutboxMessage) -> Result<String, TemplateError> {
    let msg: Msg = text(&message.template, &message.payload)?.into();
    i18n.try_render(language(&message.payload), &msg)
        .map_err(|e| TemplateError::Render(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_queued_template_has_a_text() {
        let payload = json!({"login": "l", "password": "p", "account": "a", "code": "1",
                             "new_email": "e", "channel": "sms", "amount": "1",
                             "balances": "b", "period": "2026-11", "until": "2026-11-25",
                             "total": "1234.5", "to_pay": "2000", "due": "2026-12-10", "per_day": "1.5",
                             "from": "2027-01-10", "text": "t"});
        for name in [
            names::WEB_CREDENTIALS,
            names::TEMPORARY_PASSWORD,
            names::EMAIL_CONFIRMATION,
            names::EMAIL_CHANGED,
            names::PASSWORD_CHANGED,
            names::ONE_TIME_CODE,
            names::CREDENTIALS_UNDELIVERED,
            names::PAYMENT_CREDITED,
            names::PAYMENT_DECLINED,
        ]
        .into_iter()
        .chain(NOTICES)
        {
            assert!(text(name, &payload).is_ok(), "{name}");
            assert!(subject(name).is_ok(), "{name}");
        }
        assert_eq!(
            text("nope", &payload),
            Err(TemplateError::Unknown("nope".into()))
        );
    }

    #[test]
    fn the_language_comes_from_the_payload_and_defaults_to_russian() {
        assert_eq!(language(&json!({"lang": "en"})), Lang::En);
        assert_eq!(language(&json!({"lang": "de"})), Lang::Ru);
        assert_eq!(language(&json!({})), Lang::Ru);
    }

    #[test]
    fn a_missing_field_names_itself() {
        let err = text(names::TEMPORARY_PASSWORD, &json!({"login": "x"})).unwrap_err();
        assert!(err.to_string().contains("password"), "{err}");
    }
}
