//! Payments received. A gateway order is credited once, however often its confirmation arrives.

use super::accounts::AccountId;
use super::codec::{code, code_opt, money};
use super::{Store, StoreError, StoreResult};
use crate::billing::types::UnknownCode;
use crate::billing::{Money, Service};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// How the money came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaymentSource {
    /// A card payment through the gateway.
    Card,
    /// A bank transfer or a payment in a bank's app by the receipt's QR code.
    Bank,
    /// Cash at an office.
    Cash,
    /// Russian Post.
    Post,
}

impl PaymentSource {
    /// The name stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            PaymentSource::Card => "card",
            PaymentSource::Bank => "bank",
            PaymentSource::Cash => "cash",
            PaymentSource::Post => "post",
        }
    }
}

impl FromStr for PaymentSource {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        [
            PaymentSource::Card,
            PaymentSource::Bank,
            PaymentSource::Cash,
            PaymentSource::Post,
        ]
        .into_iter()
        .find(|p| p.code() == s)
        .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

impl fmt::Display for PaymentSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A payment to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPayment {
    pub account_id: AccountId,
    /// The service the payer chose; `None` pays for everything (oldest debt first).
    pub service: Option<Service>,
    /// More than zero.
    pub amount: Money,
    pub paid_at: DateTime<Utc>,
    pub source: PaymentSource,
    /// The gateway's order id for card payments: the key that makes crediting idempotent.
    pub gateway_order_id: Option<String>,
}

/// A stored payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub id: i64,
    pub account_id: AccountId,
    pub service: Option<Service>,
    pub amount: Money,
    pub paid_at: DateTime<Utc>,
    pub source: PaymentSource,
    pub gateway_order_id: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    account_id: i64,
    service: Option<String>,
    amount: Decimal,
    paid_at: DateTime<Utc>,
    source: String,
    gateway_order_id: Option<String>,
}

impl TryFrom<Row> for Payment {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Payment> {
        Ok(Payment {
            id: r.id,
            account_id: AccountId(r.account_id),
            service: code_opt("payments.service", r.service.as_deref())?,
            amount: money(r.amount)?,
            paid_at: r.paid_at,
            source: code("payments.source", &r.source)?,
            gateway_order_id: r.gateway_order_id,
        })
    }
}

impl Store {
    /// Records a payment. Returns `true` when it was new, `false` when a payment with the same
    /// gateway order id was already credited (then nothing is written). Payments without a
    /// gateway order id are always new.
    pub async fn insert_payment(&self, new: &NewPayment) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO payments (account_id, service, amount, paid_at, source, gateway_order_id)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (gateway_order_id) DO NOTHING",
        )
        .bind(new.account_id)
        .bind(new.service.map(Service::code))
        .bind(new.amount.amount())
        .bind(new.paid_at)
        .bind(new.source.code())
        .bind(&new.gateway_order_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The payments of an account with `from <= paid_at < to`, oldest first.
    pub async fn payments_between(
        &self,
        account: AccountId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<Payment>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, account_id, service, amount, paid_at, source, gateway_order_id
             FROM payments WHERE account_id = $1 AND paid_at >= $2 AND paid_at < $3
             ORDER BY paid_at, id",
        )
        .bind(account)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Payment::try_from).collect()
    }
}
