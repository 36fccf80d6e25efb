//! Card payment orders and their crediting. Crediting is one transaction: the idempotency row
//! (`payment_credits`, keyed by the gateway order id, `ON CONFLICT DO NOTHING`), the payments
//! per service, the order's state and the chat notice in the outbox — all or nothing, once.

use super::accounts::AccountId;
use super::codec::{code, money};
use super::outbox::{NewMessage, enqueue_with};
use super::payments::PaymentSource;
use super::{Store, StoreError, StoreResult};
use crate::billing::types::UnknownCode;
use crate::billing::{Money, Service};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::str::FromStr;

/// Where an order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrderState {
    /// Written, not registered at the gateway yet (or the registration's outcome is unknown).
    New,
    /// Registered: the payer may pay.
    Registered,
    /// Confirmed by the gateway and credited.
    Paid,
    Declined,
    /// Left unpaid past the gateway's lifetime.
    Expired,
    /// The registration failed: nothing to pay.
    Failed,
    Refunded,
}

impl OrderState {
    pub fn code(self) -> &'static str {
        match self {
            OrderState::New => "new",
            OrderState::Registered => "registered",
            OrderState::Paid => "paid",
            OrderState::Declined => "declined",
            OrderState::Expired => "expired",
            OrderState::Failed => "failed",
            OrderState::Refunded => "refunded",
        }
    }

    /// Still waiting for the payer or the gateway.
    pub fn is_open(self) -> bool {
        matches!(self, OrderState::New | OrderState::Registered)
    }
}

impl FromStr for OrderState {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        use OrderState::*;
        [New, Registered, Paid, Declined, Expired, Failed, Refunded]
            .into_iter()
            .find(|o| o.code() == s)
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

/// An order to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOrder {
    pub order_number: String,
    pub account_id: AccountId,
    pub chat_id: Option<i64>,
    /// Per service, each more than zero; they sum to the order's amount.
    pub items: Vec<(Service, Money)>,
    pub payer_name: String,
    pub payer_contact: String,
    pub lang: &'static str,
    /// The service's clock, not the database's: reconcile compares ages on that clock.
    pub created_at: DateTime<Utc>,
}

/// A stored order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub order_number: String,
    pub account_id: AccountId,
    /// The account's 13-digit number.
    pub account_number: String,
    pub chat_id: Option<i64>,
    pub amount: Money,
    pub items: Vec<(Service, Money)>,
    pub gateway_order_id: Option<String>,
    pub form_url: Option<String>,
    pub sbp_url: Option<String>,
    pub state: OrderState,
    pub lang: String,
    pub payer_name: Option<String>,
    pub payer_contact: Option<String>,
    pub confirmed_amount: Option<Money>,
    pub flagged: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    order_number: String,
    account_id: i64,
    account_number: String,
    chat_id: Option<i64>,
    amount: Decimal,
    items: String,
    gateway_order_id: Option<String>,
    form_url: Option<String>,
    sbp_url: Option<String>,
    state: String,
    lang: String,
    payer_name: Option<String>,
    payer_contact: Option<String>,
    confirmed_amount: Option<Decimal>,
    flagged: bool,
    created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT o.id, o.order_number, o.account_id,
        (SELECT a.number FROM accounts a WHERE a.id = o.account_id) AS account_number,
        o.chat_id, o.amount,
        COALESCE((SELECT string_agg(i.service || '=' || i.amount::text, ',' ORDER BY i.service)
                  FROM payment_order_items i WHERE i.order_id = o.id), '') AS items,
        o.gateway_order_id, o.form_url, o.sbp_url, o.state, o.lang, o.payer_name,
        o.payer_contact, o.confirmed_amount, o.flagged, o.created_at
    FROM payment_orders o";

impl TryFrom<Row> for Order {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Order> {
        let mut items = Vec::new();
        for part in r.items.split(',').filter(|p| !p.is_empty()) {
            let (service, amount) = part
                .split_once('=')
                .ok_or_else(|| StoreError::Corrupt(format!("order {} items", r.id)))?;
            let amount = Decimal::from_str(amount)
                .map_err(|e| StoreError::Corrupt(format!("order {} item: {e}", r.id)))?;
            items.push((
                code("payment_order_items.service", service)?,
                money(amount)?,
            ));
        }
        Ok(Order {
            id: r.id,
            order_number: r.order_number,
            account_id: AccountId(r.account_id),
            account_number: r.account_number,
            chat_id: r.chat_id,
            amount: money(r.amount)?,
            items,
            gateway_order_id: r.gateway_order_id,
            form_url: r.form_url,
            sbp_url: r.sbp_url,
            state: code("payment_orders.state", &r.state)?,
            lang: r.lang,
            payer_name: r.payer_name,
            payer_contact: r.payer_contact,
            confirmed_amount: r.confirmed_amount.map(money).transpose()?,
            flagged: r.flagged,
            created_at: r.created_at,
        })
    }
}

/// A confirmed payment to credit.
#[derive(Clone, Debug, PartialEq)]
pub struct Credit {
    pub order_id: i64,
    pub account_id: AccountId,
    pub gateway_order_id: String,
    /// What the gateway confirmed.
    pub amount: Money,
    /// `amount` per service (sums to it).
    pub allocation: Vec<(Service, Money)>,
    /// The confirmed amount differs from the order's: staff must look.
    pub flagged: bool,
    /// `return`, `callback` or `reconcile`.
    pub via: &'static str,
    pub paid_at: DateTime<Utc>,
    /// The chat notice, queued only if this credit is the first.
    pub notice: Option<NewMessage>,
}

impl Store {
    /// Writes a new order with its items; returns its id.
    pub async fn create_order(&self, new: &NewOrder) -> StoreResult<i64> {
        let amount: Money = new.items.iter().map(|(_, m)| *m).sum();
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO payment_orders (order_number, account_id, chat_id, amount, payer_name,
                                         payer_contact, lang, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&new.order_number)
        .bind(new.account_id)
        .bind(new.chat_id)
        .bind(amount.amount())
        .bind(&new.payer_name)
        .bind(&new.payer_contact)
        .bind(new.lang)
        .bind(new.created_at)
        .fetch_one(&mut *tx)
        .await?;
        for (service, amount) in &new.items {
            sqlx::query(
                "INSERT INTO payment_order_items (order_id, service, amount) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(service.code())
            .bind(amount.amount())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Records the gateway's answer to the registration.
    pub async fn set_registered(
        &self,
        id: i64,
        gateway_order_id: &str,
        form_url: &str,
        sbp_url: Option<&str>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE payment_orders SET state = 'registered', gateway_order_id = $2,
                    form_url = $3, sbp_url = $4, updated_at = now()
             WHERE id = $1 AND state = 'new'",
        )
        .bind(id)
        .bind(gateway_order_id)
        .bind(form_url)
        .bind(sbp_url)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Closes an open order as `state` (declined, expired, failed). Returns `true` when this
    /// call closed it, `false` when it was closed (or credited) already.
    pub async fn close_order(
        &self,
        id: i64,
        state: OrderState,
        notice: Option<&NewMessage>,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE payment_orders SET state = $2, updated_at = now()
             WHERE id = $1 AND state IN ('new', 'registered')",
        )
        .bind(id)
        .bind(state.code())
        .execute(&mut *tx)
        .await?;
        let closed = done.rows_affected() == 1;
        if let (true, Some(notice)) = (closed, notice) {
            enqueue_with(&mut *tx, notice).await?;
        }
        tx.commit().await?;
        Ok(closed)
    }

    pub async fn order(&self, id: i64) -> StoreResult<Option<Order>> {
        let sql = format!("{SELECT} WHERE o.id = $1");
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(Order::try_from).transpose()
    }

    pub async fn order_by_gateway_id(&self, gateway_order_id: &str) -> StoreResult<Option<Order>> {
        let sql = format!("{SELECT} WHERE o.gateway_order_id = $1");
        let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(gateway_order_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(Order::try_from).transpose()
    }

    /// An account's orders, newest first.
    pub async fn orders_of_account(&self, account: AccountId) -> StoreResult<Vec<Order>> {
        let sql = format!("{SELECT} WHERE o.account_id = $1 ORDER BY o.created_at DESC, o.id DESC");
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(account)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Order::try_from).collect()
    }

    /// Registered orders still open and created before `cutoff`, oldest first.
    pub async fn open_orders_before(&self, cutoff: DateTime<Utc>) -> StoreResult<Vec<Order>> {
        let sql = format!(
            "{SELECT} WHERE o.state IN ('new', 'registered') AND o.created_at < $1
             ORDER BY o.created_at, o.id"
        );
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(cutoff)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Order::try_from).collect()
    }

    /// Credits a confirmed payment once. Returns `true` when this call credited it, `false`
    /// when the gateway order was credited before (then nothing is written).
    pub async fn credit(&self, credit: &Credit) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await?;
        let first = sqlx::query(
            "INSERT INTO payment_credits (gateway_order_id, order_id, amount, via)
             VALUES ($1, $2, $3, $4) ON CONFLICT (gateway_order_id) DO NOTHING",
        )
        .bind(&credit.gateway_order_id)
        .bind(credit.order_id)
        .bind(credit.amount.amount())
        .bind(credit.via)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !first {
            tx.rollback().await?;
            return Ok(false);
        }
        for (service, amount) in credit.allocation.iter().filter(|(_, m)| m.is_positive()) {
            sqlx::query(
                "INSERT INTO payments (account_id, service, amount, paid_at, source,
                                       gateway_order_id)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(credit.account_id)
            .bind(service.code())
            .bind(amount.amount())
            .bind(credit.paid_at)
            .bind(PaymentSource::Card.code())
            .bind(format!("{}:{}", credit.gateway_order_id, service.code()))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE payment_orders SET state = 'paid', confirmed_amount = $2, flagged = $3,
                    updated_at = now()
             WHERE id = $1",
        )
        .bind(credit.order_id)
        .bind(credit.amount.amount())
        .bind(credit.flagged)
        .execute(&mut *tx)
        .await?;
        if let Some(notice) = &credit.notice {
            enqueue_with(&mut *tx, notice).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// How many times a gateway order was credited (0 or 1): for tests and staff checks.
    pub async fn credits_of(&self, gateway_order_id: &str) -> StoreResult<i64> {
        Ok(
            sqlx::query_scalar("SELECT count(*) FROM payment_credits WHERE gateway_order_id = $1")
                .bind(gateway_order_id)
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
