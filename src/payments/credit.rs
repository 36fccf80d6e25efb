//! Confirming an order with the gateway and crediting it exactly once, whichever of the return
//! page, the callback and reconcile comes first (or all at once).

use super::text::PaymentText;
use super::{GatewayState, PayError, Payments};
use crate::accounting::account_balance;
use crate::billing::{Money, Service};
use crate::i18n::{Lang, Msg};
use crate::store::outbox::{Channel, NewMessage};
use crate::store::payment_orders::{Credit, Order, OrderState};
use serde_json::json;

/// Outbox template names of the chat notices.
pub mod templates {
    pub const CREDITED: &str = "payment-credited";
    pub const DECLINED: &str = "payment-declined";
}

/// Which path asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Return,
    Callback,
    Reconcile,
}

impl Via {
    fn code(self) -> &'static str {
        match self {
            Via::Return => "return",
            Via::Callback => "callback",
            Via::Reconcile => "reconcile",
        }
    }
}

/// What confirming found.
#[derive(Clone, Debug, PartialEq)]
pub enum Confirmation {
    /// Paid, and this call credited it (the confirmed amount).
    Credited(Order, Money),
    /// Paid and credited before.
    AlreadyCredited(Order),
    /// Not paid yet.
    Pending(Order),
    /// Declined, expired or returned.
    Declined(Order),
}

impl Confirmation {
    pub fn order(&self) -> &Order {
        match self {
            Confirmation::Credited(o, _)
            | Confirmation::AlreadyCredited(o)
            | Confirmation::Pending(o)
            | Confirmation::Declined(o) => o,
        }
    }
}

/// What a reconcile pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    pub checked: usize,
    pub credited: usize,
    pub closed: usize,
    pub failed: usize,
}

impl Payments {
    /// Asks the gateway about the order and credits it when paid. Never trusts the caller:
    /// only the gateway's `Paid` (Sberbank's `orderStatus` 2) credits, with the gateway's amount.
    pub async fn confirm(
        &self,
        gateway_order_id: &str,
        via: Via,
    ) -> Result<Confirmation, PayError> {
        let order = self
            .store
            .order_by_gateway_id(gateway_order_id)
            .await?
            .ok_or(PayError::UnknownOrder)?;
        if order.state == OrderState::Paid {
            return Ok(Confirmation::AlreadyCredited(order));
        }
        let status = self.gateway.status(gateway_order_id).await?;
        match status.state {
            GatewayState::Paid => self.credit(order, status.amount, via).await,
            GatewayState::Pending => Ok(Confirmation::Pending(order)),
            GatewayState::Declined | GatewayState::Returned => {
                let state = if status.state == GatewayState::Declined {
                    OrderState::Declined
                } else {
                    OrderState::Refunded
                };
                let notice = self.declined_notice(&order);
                self.store
                    .close_order(order.id, state, notice.as_ref())
                    .await?;
                Ok(Confirmation::Declined(order))
            }
        }
    }

    async fn credit(
        &self,
        order: Order,
        confirmed: Money,
        via: Via,
    ) -> Result<Confirmation, PayError> {
        let flagged = confirmed != order.amount;
        let allocation = allocate(&order.items, confirmed);
        if flagged {
            tracing::warn!(
                order_id = order.id,
                ordered = %order.amount,
                confirmed = %confirmed,
                "the confirmed amount differs from the order: credited as confirmed, flagged for staff"
            );
        }
        let notice = self.credited_notice(&order, confirmed, &allocation).await?;
        let credited = self
            .store
            .credit(&Credit {
                order_id: order.id,
                account_id: order.account_id,
                gateway_order_id: order.gateway_order_id.clone().unwrap_or_default(),
                amount: confirmed,
                allocation,
                flagged,
                via: via.code(),
                paid_at: self.clock.now(),
                notice,
            })
            .await?;
        if credited {
            tracing::info!(order_id = order.id, via = via.code(), amount = %confirmed, "payment credited");
            Ok(Confirmation::Credited(order, confirmed))
        } else {
            Ok(Confirmation::AlreadyCredited(order))
        }
    }

    /// Re-checks registered orders older than `older_than`: credits the paid ones, closes the
    /// declined ones, expires those still unpaid after a day, fails those never registered.
    pub async fn reconcile(&self, older_than: chrono::Duration) -> Result<Reconciled, PayError> {
        let now = self.clock.now();
        let mut done = Reconciled::default();
        for order in self.store.open_orders_before(now - older_than).await? {
            done.checked += 1;
            let Some(gateway_id) = order.gateway_order_id.clone() else {
                // The registration never answered: nothing can be paid on it.
                if self
                    .store
                    .close_order(order.id, OrderState::Failed, None)
                    .await?
                {
                    done.closed += 1;
                }
                continue;
            };
            match self.confirm(&gateway_id, Via::Reconcile).await {
                Ok(Confirmation::Credited(..)) => done.credited += 1,
                Ok(Confirmation::Declined(_)) => done.closed += 1,
                Ok(Confirmation::Pending(o)) if now - o.created_at > chrono::Duration::days(1) => {
                    let notice = self.declined_notice(&o);
                    if self
                        .store
                        .close_order(o.id, OrderState::Expired, notice.as_ref())
                        .await?
                    {
                        done.closed += 1;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(order_id = order.id, error = %e, "reconcile: no answer");
                    done.failed += 1;
                }
            }
        }
        Ok(done)
    }

    fn lang(order: &Order) -> Lang {
        Lang::from_code(&order.lang).unwrap_or_default()
    }

    fn declined_notice(&self, order: &Order) -> Option<NewMessage> {
        let chat = order.chat_id?;
        Some(NewMessage {
            channel: Channel::Telegram,
            recipient: chat.to_string(),
            template: templates::DECLINED.into(),
            payload: json!({
                "lang": order.lang,
                "amount": order.amount.to_string(),
                "account": order.account_number,
            }),
        })
    }

    /// «Платёж на сумму … зачислен» with the balance per service after it.
    async fn credited_notice(
        &self,
        order: &Order,
        confirmed: Money,
        allocation: &[(Service, Money)],
    ) -> Result<Option<NewMessage>, PayError> {
        let Some(chat) = order.chat_id else {
            return Ok(None);
        };
        let today = self
            .clock
            .now()
            .with_timezone(&self.settings.zone)
            .date_naive();
        let before = account_balance(
            &self.store,
            order.account_id,
            today,
            &self.settings.due,
            self.settings.zone,
        )
        .await
        .map_err(|e| PayError::Accounting(e.to_string()))?;
        let lang = Self::lang(order);
        let lines: Vec<String> = before
            .balances
            .iter()
            .map(|(service, balance)| {
                let paid = allocation
                    .iter()
                    .filter(|(s, _)| *s == service)
                    .map(|(_, m)| *m)
                    .sum::<Money>();
                (service, balance - paid)
            })
            .filter(|(_, left)| !left.is_zero())
            .map(|(service, left)| {
                let msg: Msg = PaymentText::BalanceLine {
                    service: service.code().to_owned(),
                    amount: left,
                }
                .into();
                self.i18n.render(lang, &msg)
            })
            .collect();
        let balances = if lines.is_empty() {
            self.i18n.render(lang, &PaymentText::NothingOwed.into())
        } else {
            lines.join("\n")
        };
        Ok(Some(NewMessage {
            channel: Channel::Telegram,
            recipient: chat.to_string(),
            template: templates::CREDITED.into(),
            payload: json!({
                "lang": order.lang,
                "amount": confirmed.to_string(),
                "account": order.account_number,
                "balances": balances,
            }),
        }))
    }
}

/// The confirmed amount per service: the order's items when it matches, else split in
/// proportion to them (the parts sum exactly to what was confirmed).
pub fn allocate(items: &[(Service, Money)], confirmed: Money) -> Vec<(Service, Money)> {
    let ordered: Money = items.iter().map(|(_, m)| *m).sum();
    if confirmed == ordered {
        return items.to_vec();
    }
    let weights: Vec<_> = items.iter().map(|(_, m)| m.amount()).collect();
    items
        .iter()
        .map(|(s, _)| *s)
        .zip(confirmed.allocate(&weights))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_different_confirmed_amount_is_split_in_proportion_and_sums_exactly() {
        let items = vec![
            (Service::Electricity, Money::from_kopecks(100_000)),
            (Service::Penalty, Money::from_kopecks(50_000)),
        ];
        assert_eq!(allocate(&items, Money::from_kopecks(150_000)), items);
        let split = allocate(&items, Money::from_kopecks(100_001));
        assert_eq!(
            split.iter().map(|(_, m)| *m).sum::<Money>(),
            Money::from_kopecks(100_001)
        );
        assert_eq!(
            split[0],
            (Service::Electricity, Money::from_kopecks(66_667))
        );
    }
}
