//! [`Payments`]: registers orders at the gateway and keeps them in the store. Shared by the chat
//! flow, the web endpoint and the `payments` commands.

use super::{Contact, Gateway, GatewayError, OrderRequest};
use crate::billing::{AccountNumber, DueSchedule, Money, Service};
use crate::clock::Clock;
use crate::i18n::I18n;
use crate::store::accounts::AccountId;
use crate::store::payment_orders::{self, Order, OrderState};
use crate::store::{Store, StoreError};
use chrono::FixedOffset;
use std::sync::Arc;

/// What payments depend on besides the gateway.
#[derive(Clone, Debug)]
pub struct PaySettings {
    /// Where the payer's browser reaches our web endpoint: `PUBLIC_URL`, or `http://WEB_ADDR`.
    pub base_url: String,
    /// `PAY_MAX_AMOUNT`: the largest payment the chat accepts.
    pub max_amount: Money,
    /// The bot's own link (`https://t.me/<bot>`), for the button back from the result page.
    pub bot_url: Option<String>,
    pub due: DueSchedule,
    pub zone: FixedOffset,
}

/// Why a payment could not go ahead.
#[derive(Debug, thiserror::Error)]
pub enum PayError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Gateway(#[from] GatewayError),
    #[error("balance: {0}")]
    Accounting(String),
    #[error("no such order")]
    UnknownOrder,
}

/// An order the chat asks for.
#[derive(Clone, Debug)]
pub struct NewOrder {
    pub account_id: AccountId,
    pub account: AccountNumber,
    pub chat_id: Option<i64>,
    pub items: Vec<(Service, Money)>,
    pub payer: Payer,
    pub lang: &'static str,
}

/// Who pays, for the fiscal receipt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payer {
    pub name: String,
    pub contact: Contact,
}

/// A registered order: the links to pay by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub order_id: i64,
    pub form_url: String,
    pub sbp_url: Option<String>,
}

/// The payments service; cheap to clone.
#[derive(Clone)]
pub struct Payments {
    pub(super) store: Store,
    pub(super) gateway: Arc<dyn Gateway>,
    pub(super) settings: Arc<PaySettings>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) i18n: Arc<I18n>,
}

impl Payments {
    pub fn new(
        store: Store,
        gateway: Arc<dyn Gateway>,
        settings: PaySettings,
        clock: Arc<dyn Clock>,
        i18n: Arc<I18n>,
    ) -> Payments {
        Payments {
            store,
            gateway,
            settings: Arc::new(settings),
            clock,
            i18n,
        }
    }

    pub fn settings(&self) -> &PaySettings {
        &self.settings
    }

    pub fn gateway(&self) -> &Arc<dyn Gateway> {
        &self.gateway
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Writes the order, registers it at the gateway under a fresh order number (never retried:
    /// `register.do` is not idempotent) and asks for the СБП link where enabled.
    pub async fn register(&self, new: NewOrder) -> Result<Registration, PayError> {
        let order_number = format!("K{:016x}", rand::random::<u64>());
        let contact = match &new.payer.contact {
            Contact::Phone(p) => format!("+{p}"),
            Contact::Email(e) => e.clone(),
        };
        let order_id = self
            .store
            .create_order(&payment_orders::NewOrder {
                order_number: order_number.clone(),
                account_id: new.account_id,
                chat_id: new.chat_id,
                items: new.items.clone(),
                payer_name: new.payer.name.clone(),
                payer_contact: contact,
                lang: new.lang,
                created_at: self.clock.now(),
            })
            .await?;
        let base = &self.settings.base_url;
        let request = OrderRequest {
            order_number,
            amount: new.items.iter().map(|(_, m)| *m).sum(),
            items: new.items,
            description: format!("Лицевой счёт {}", new.account),
            return_url: format!("{base}/pay/return"),
            fail_url: format!("{base}/pay/fail"),
            contact: Some(new.payer.contact),
            language: new.lang,
        };
        let registered = match self.gateway.register(&request).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(order_id, error = %e, "the gateway did not register the order");
                self.store
                    .close_order(order_id, OrderState::Failed, None)
                    .await?;
                return Err(e.into());
            }
        };
        let sbp_url = if self.gateway.sbp_enabled() {
            match self.gateway.sbp_link(&registered.gateway_order_id).await {
                Ok(link) => Some(link),
                Err(e) => {
                    tracing::warn!(order_id, error = %e, "no СБП link; the card page still works");
                    None
                }
            }
        } else {
            None
        };
        self.store
            .set_registered(
                order_id,
                &registered.gateway_order_id,
                &registered.form_url,
                sbp_url.as_deref(),
            )
            .await?;
        tracing::info!(
            order_id,
            gateway = self.gateway.name(),
            "payment order registered"
        );
        Ok(Registration {
            order_id,
            form_url: registered.form_url,
            sbp_url,
        })
    }

    /// An open order of the account, made in the last hour, that pays one of `services`.
    pub async fn pending_for(
        &self,
        account: AccountId,
        services: &[Service],
    ) -> Result<Option<Order>, PayError> {
        let since = self.clock.now() - chrono::Duration::hours(1);
        Ok(self
            .store
            .orders_of_account(account)
            .await?
            .into_iter()
            .find(|o| {
                o.state == OrderState::Registered
                    && o.created_at >= since
                    && o.items.iter().any(|(s, _)| services.contains(s))
            }))
    }
}
