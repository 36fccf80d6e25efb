//! Builds the gateway, the payments service and the web routes from the settings: one place
//! shared by `serve`, `chat` and the `payments` commands.

use super::sandbox::Sandbox;
use super::sber::{SberConfig, SberGateway};
use super::{Gateway, GatewayError, PaySettings, Payments};
use crate::billing::{DueDay, DueSchedule};
use crate::clock::Clock;
use crate::config::{GatewayEndpoint, Settings};
use crate::i18n::I18n;
use crate::store::Store;
use crate::web::{self, Web};
use axum::Router;
use chrono::FixedOffset;
use std::sync::Arc;

/// The gateway, the sandbox when it is the sandbox, and the callback key.
type Chosen = (Arc<dyn Gateway>, Option<Arc<Sandbox>>, Option<Vec<u8>>);

/// The payments service and the routes of its web endpoint.
pub struct PayStack {
    pub payments: Payments,
    pub router: Router,
}

/// `local_base`: how this process's own web endpoint is reached from here
/// (`http://127.0.0.1:8080`): the sandbox sends its callbacks there, and without `PUBLIC_URL`
/// the browser is sent there too.
pub fn build(
    settings: &Settings,
    store: Store,
    clock: Arc<dyn Clock>,
    i18n: Arc<I18n>,
    local_base: &str,
) -> Result<PayStack, GatewayError> {
    let base_url = settings
        .public_url
        .clone()
        .unwrap_or_else(|| local_base.trim_end_matches('/').to_owned());
    let configured_key = settings
        .gateway
        .callback_key
        .as_ref()
        .map(|k| k.expose().as_bytes().to_vec());
    let (gateway, sandbox, key): Chosen = match &settings.gateway.endpoint {
        GatewayEndpoint::Sandbox => {
            // The sandbox signs with the configured key, or one of its own for this run.
            let key = configured_key.unwrap_or_else(|| rand::random::<[u8; 32]>().to_vec());
            let sandbox = Arc::new(Sandbox::new(
                &base_url,
                &format!("{}/pay/callback", local_base.trim_end_matches('/')),
                &key,
            ));
            (sandbox.clone(), Some(sandbox), Some(key))
        }
        GatewayEndpoint::Rest(url) => {
            let mut config = SberConfig::new(
                url.clone(),
                settings.gateway.user.clone().unwrap_or_default(),
                settings
                    .gateway
                    .password
                    .clone()
                    .unwrap_or_else(|| crate::config::Secret::new(String::new())),
            );
            if let Some(path) = &settings.pay.ca_file {
                let pem = std::fs::read(path).map_err(|e| {
                    GatewayError::Malformed(format!("GATEWAY_CA_FILE {}: {e}", path.display()))
                })?;
                config.ca_pem = Some(pem);
            }
            config.tax_type = settings.pay.tax_type;
            config.sbp = settings.pay.sbp;
            (Arc::new(SberGateway::new(config)?), None, configured_key)
        }
    };
    let due = DueSchedule::new(DueDay::new(settings.payment_due_day).unwrap_or(DueDay::DEFAULT));
    let pay_settings = PaySettings {
        base_url,
        max_amount: settings.pay.max_amount,
        bot_url: settings
            .telegram
            .bot_username
            .as_ref()
            .map(|u| format!("https://t.me/{}", u.trim_start_matches('@'))),
        due,
        zone: FixedOffset::east_opt(3 * 3600).expect("+03:00"),
    };
    let payments = Payments::new(store, gateway, pay_settings, clock, i18n);
    let router = web::router(
        Web {
            payments: payments.clone(),
            callback_key: key.map(Arc::new),
        },
        sandbox.as_ref(),
    );
    Ok(PayStack { payments, router })
}
