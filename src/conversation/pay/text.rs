//! What the pay flow says (`locales/*/pay.ftl`).

use crate::billing::Money;
use crate::i18n::texts;
use chrono::NaiveTime;

texts! {
    /// The pay flow's messages; `service` arguments are service codes (`electricity`, …).
    pub enum PayText {
        Unavailable => "pay-unavailable",
        Debt { account: String, lines: String, total: Money } => "pay-debt",
        DebtLine { service: String, amount: Money } => "pay-debt-line",
        NothingDue { account: String } => "pay-nothing-due",
        AllButton { amount: Money } => "pay-all-button",
        OneButton { service: String, amount: Money } => "pay-one-button",
        SeveralButton => "pay-several-button",
        Pick { amount: Money } => "pay-pick",
        /// `picked`: `yes` or `no`.
        PickItem { picked: String, service: String, amount: Money } => "pay-pick-item",
        PayPickedButton { amount: Money } => "pay-picked-button",
        AskAmount { service: String, amount: Money } => "pay-ask-amount",
        AskAmountAll { amount: Money } => "pay-ask-amount-all",
        AskAdvance => "pay-ask-advance",
        RecommendedButton { amount: Money } => "pay-recommended-button",
        OwnAmountButton => "pay-own-amount-button",
        TypeAmount => "pay-type-amount",
        AmountNotNumber => "pay-amount-not-number",
        AmountZero => "pay-amount-zero",
        AmountNegative => "pay-amount-negative",
        AmountKopecks => "pay-amount-kopecks",
        AmountTooLarge { max: Money } => "pay-amount-too-large",
        TypeName => "pay-type-name",
        BadName => "pay-bad-name",
        AskContactNone => "pay-ask-contact-none",
        TypeContact => "pay-type-contact",
        BadContact => "pay-bad-contact",
        Consent { amount: Money, account: String, name: String, contact: String, privacy: String, agreement: String } => "pay-consent",
        ConsentButton => "pay-consent-button",
        ChangeNameButton => "pay-change-name-button",
        ChangeContactButton => "pay-change-contact-button",
        ConsentRequired => "pay-consent-required",
        Link { amount: Money, account: String } => "pay-link",
        LinkSbp { amount: Money, account: String, sbp: String } => "pay-link-sbp",
        CardButton => "pay-card-button",
        Pending { amount: Money, time: NaiveTime } => "pay-pending",
        NewOrderButton => "pay-new-order-button",
        Failed => "pay-failed",
        PressButton => "pay-press-button",
    }
}
