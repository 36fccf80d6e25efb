//! Texts the payments service renders itself (`locales/*/pay.ftl`): the balance lines of the
//! «зачислен» notice, written into the outbox in the chat's language.

use crate::billing::Money;
use crate::i18n::texts;

texts! {
    /// Lines of the chat notices.
    pub enum PaymentText {
        /// A service's name by its code; the lines below and the pay flow's reference it.
        Service { service: String } => "pay-service",
        /// A service's balance after the payment; `service` is its code (`electricity`, …).
        BalanceLine { service: String, amount: Money } => "pay-balance-line",
        NothingOwed => "pay-nothing-owed",
    }
}
