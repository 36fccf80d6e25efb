//! Card payments: the [`Gateway`] trait with its two implementations — Sberbank's acquiring REST
//! API ([`sber::SberGateway`]) and the built-in [`sandbox::Sandbox`] — and [`Payments`], which
//! registers orders and credits confirmed ones exactly once.
//!
//! Nothing here trusts what a browser or a callback says: every path (the return page, the
//! callback, `kabinet payments reconcile`) asks the gateway for the order's status and credits
//! only an order the gateway calls paid, in one transaction keyed by the gateway order id.

pub mod checksum;
mod credit;
pub mod sandbox;
pub mod sber;
mod service;
pub mod setup;
pub mod text;

pub use credit::{Confirmation, Reconciled, Via, allocate, templates};
pub use service::{NewOrder, PayError, PaySettings, Payer, Payments, Registration};

use crate::billing::{Money, Service};
use async_trait::async_trait;

/// What we ask the gateway to register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderRequest {
    /// Our order number: fresh for every attempt (the gateway refuses a number it has seen).
    pub order_number: String,
    /// The whole amount; the items sum to it exactly.
    pub amount: Money,
    /// One fiscal receipt line per service.
    pub items: Vec<(Service, Money)>,
    /// Shown on the payment page, e.g. «Лицевой счёт 7701000000048».
    pub description: String,
    pub return_url: String,
    pub fail_url: String,
    /// The payer's email or phone for the electronic fiscal receipt.
    pub contact: Option<Contact>,
    /// `ru` or `en`: the payment page's language.
    pub language: &'static str,
}

/// Where the fiscal receipt goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contact {
    /// Digits with the country code, `79031234517`.
    Phone(String),
    Email(String),
}

/// A registered order: where the payer goes to pay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
    pub gateway_order_id: String,
    pub form_url: String,
}

/// The state of an order as the gateway reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GatewayState {
    /// Registered, in 3-D Secure, or on hold: not paid yet.
    Pending,
    /// The money is taken (Sberbank's `orderStatus` 2, and only that).
    Paid,
    /// Declined by the bank or expired unpaid.
    Declined,
    /// Paid, then returned (reversed or refunded).
    Returned,
}

/// An order's status at the gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderStatus {
    pub state: GatewayState,
    /// The amount the gateway holds for the order (for a paid one: what was paid).
    pub amount: Money,
}

/// Why the gateway did not answer as hoped. Users see only a polite summary of these.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// No answer, or not in time: the outcome is unknown.
    #[error("the gateway did not answer: {0}")]
    Unavailable(String),
    /// The gateway answered with an error code.
    #[error("the gateway refused ({code}): {message}")]
    Refused { code: String, message: String },
    /// The answer could not be read.
    #[error("the gateway's answer is malformed: {0}")]
    Malformed(String),
    /// The gateway does not know the order.
    #[error("the gateway does not know the order")]
    UnknownOrder,
    /// This gateway cannot do that (СБП not enabled).
    #[error("not supported by this gateway")]
    Unsupported,
}

/// A payment gateway. Implementations never retry `register` on their own: it is not
/// idempotent, and a second attempt could create a second order for one payment.
#[async_trait]
pub trait Gateway: Send + Sync {
    /// A short name for logs and staff listings: `sandbox`, `sberbank`.
    fn name(&self) -> &'static str;

    /// Registers an order and returns the payment page.
    async fn register(&self, order: &OrderRequest) -> Result<Registered, GatewayError>;

    /// The order's status (safe to retry).
    async fn status(&self, gateway_order_id: &str) -> Result<OrderStatus, GatewayError>;

    /// Returns `amount` of a paid order to the card.
    async fn refund(&self, gateway_order_id: &str, amount: Money) -> Result<(), GatewayError>;

    /// The СБП link (a QR payload) for the order, when СБП is enabled.
    async fn sbp_link(&self, gateway_order_id: &str) -> Result<String, GatewayError>;

    /// Whether [`Gateway::sbp_link`] works here.
    fn sbp_enabled(&self) -> bool;
}
