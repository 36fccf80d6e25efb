//! Card payments over real HTTP on loopback: the sandbox end to end, the Sberbank client
//! against a fake speaking its protocol, exactly-once crediting under races.

mod browser;
mod fake_sber;
mod sandbox;
mod sber;

use crate::support::fixed_now;
use kabinet::billing::{AccountNumber, DueDay, DueSchedule, Money, Service};
use kabinet::clock::ManualClock;
use kabinet::i18n::I18n;
use kabinet::payments::{Contact, Gateway, NewOrder, PaySettings, Payer, Payments};
use kabinet::store::outbox::OutboxMessage;
use kabinet::store::testing::TestDb;
use kabinet::web::{self, Web};
use std::sync::Arc;

pub const KEY: &[u8] = b"test-callback-key";
pub const DEBTOR: &str = "7701000000048";

/// A payments service over the demo database, its web endpoint served on a loopback port.
pub struct Env {
    pub db: TestDb,
    pub payments: Payments,
    pub clock: Arc<ManualClock>,
    pub base: String,
}

/// Binds a loopback port first, so the gateway can be built knowing the endpoint's address.
pub async fn listener() -> (tokio::net::TcpListener, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    (listener, base)
}

impl Env {
    pub async fn start(
        gateway: Arc<dyn Gateway>,
        sandbox: Option<&Arc<kabinet::payments::sandbox::Sandbox>>,
        listener: tokio::net::TcpListener,
        base: String,
    ) -> Env {
        let db = TestDb::demo(fixed_now().date_naive()).await.unwrap();
        let clock = Arc::new(ManualClock::new(fixed_now()));
        let payments = Payments::new(
            db.store.clone(),
            gateway,
            PaySettings {
                base_url: base.clone(),
                max_amount: Money::from_kopecks(10_000_000),
                bot_url: Some("https://t.me/kabinet_demo_bot".into()),
                due: DueSchedule::new(DueDay::DEFAULT),
                zone: chrono::FixedOffset::east_opt(3 * 3600).unwrap(),
            },
            clock.clone(),
            Arc::new(I18n::new().unwrap()),
        );
        let router = web::router(
            Web {
                payments: payments.clone(),
                callback_key: Some(Arc::new(KEY.to_vec())),
            },
            sandbox,
        );
        tokio::spawn(web::serve(listener, router, std::future::pending()));
        Env {
            db,
            payments,
            clock,
            base,
        }
    }

    /// An order from chat 4242 for the debtor's account.
    pub async fn order(&self, items: Vec<(Service, Money)>) -> kabinet::payments::Registration {
        let number = AccountNumber::parse(DEBTOR).unwrap();
        let account = self
            .db
            .store
            .account_by_number(&number)
            .await
            .unwrap()
            .unwrap();
        self.payments
            .register(NewOrder {
                account_id: account.id,
                account: number,
                chat_id: Some(4242),
                items,
                payer: Payer {
                    name: "Сидоров Пётр Алексеевич".into(),
                    contact: Contact::Email("sidorov@example.ru".into()),
                },
                lang: "ru",
            })
            .await
            .unwrap()
    }

    pub async fn gateway_id(&self, order_id: i64) -> String {
        let order = self.db.store.order(order_id).await.unwrap().unwrap();
        order.gateway_order_id.unwrap()
    }

    /// The chat notices queued so far.
    pub async fn notices(&self) -> Vec<OutboxMessage> {
        self.db
            .store
            .outbox_after(0)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.template.starts_with("payment-"))
            .collect()
    }

    /// The card payments stored for the debtor with this gateway id, per service.
    pub async fn payments_of(&self, gateway_id: &str) -> Vec<(String, rust_decimal::Decimal)> {
        sqlx::query_as(
            "SELECT service, amount FROM payments WHERE gateway_order_id LIKE $1 || ':%'
             ORDER BY service",
        )
        .bind(gateway_id)
        .fetch_all(self.db.store.pool())
        .await
        .unwrap()
    }
}

/// A callback signed with [`KEY`].
pub fn signed_callback(params: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut p: Vec<(String, String)> = params
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let sum = kabinet::payments::checksum::sign(KEY, &p);
    p.push(("checksum".into(), sum));
    p
}

pub fn rub(kopecks: i64) -> Money {
    Money::from_kopecks(kopecks)
}
