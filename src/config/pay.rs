//! The settings of card payments besides the gateway's own (`GATEWAY_*` in `mod.rs`).

use super::read::Reader;
use crate::billing::Money;
use rust_decimal::Decimal;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Payments and their web endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pay {
    /// `WEB_ADDR`: where the payment pages (return, fail, callback, sandbox) are served when
    /// there is no webhook (polling `serve`, `chat`); in webhook mode they share `LISTEN_ADDR`
    /// with the webhook, behind the same `PUBLIC_URL`.
    pub web_addr: SocketAddr,
    /// `GATEWAY_CA_FILE`: a PEM file of extra roots for the gateway client only (Sberbank's
    /// servers chain to the Russian Trusted Root CA, which the built-in roots lack).
    pub ca_file: Option<PathBuf>,
    /// `GATEWAY_TAX_TYPE`: the gateway's own `taxType` code for the fiscal receipt lines
    /// (the merchant's VAT rate as the gateway numbers it; see its documentation).
    pub tax_type: u32,
    /// `GATEWAY_SBP`: whether СБП is enabled for the merchant (`true`/`false`).
    pub sbp: bool,
    /// `PAY_MAX_AMOUNT`: the largest payment, in roubles, the chat accepts (100 000 by default).
    pub max_amount: Money,
    /// `USER_AGREEMENT_URL`: the user agreement the payer consents to.
    pub agreement_url: String,
}

pub(super) fn read(r: &mut Reader<'_>) -> Pay {
    let web_addr = r.or(
        "WEB_ADDR",
        SocketAddr::from(([127, 0, 0, 1], 8080)),
        "an address like 127.0.0.1:8080",
        |v| v.parse().ok(),
    );
    let ca_file = r.optional("GATEWAY_CA_FILE", "a readable PEM file", |v| {
        let path = PathBuf::from(v);
        path.is_file().then_some(path)
    });
    let tax_type = r.number("GATEWAY_TAX_TYPE", 0, 0..=20);
    let sbp = r.or("GATEWAY_SBP", false, "true or false", |v| {
        match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        }
    });
    let max_amount = r.or(
        "PAY_MAX_AMOUNT",
        Money::from_kopecks(10_000_000),
        "an amount in roubles from 1 to 10000000, e.g. 100000",
        |v| {
            let d: Decimal = v.parse().ok()?;
            (d >= Decimal::ONE && d <= Decimal::from(10_000_000) && d.scale() <= 2)
                .then(|| Money::from_decimal(d))
        },
    );
    let agreement_url = r.or(
        "USER_AGREEMENT_URL",
        "https://kabinet.example/agreement".to_owned(),
        "an http(s):// URL",
        super::read::http_url,
    );
    Pay {
        web_addr,
        ca_file,
        tax_type,
        sbp,
        max_amount,
        agreement_url,
    }
}
