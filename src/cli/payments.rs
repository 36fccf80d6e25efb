//! `kabinet payments reconcile|list`, and the payment web endpoint beside `chat` and `serve`.

use anyhow::Context;
use kabinet::billing::AccountNumber;
use kabinet::clock::SystemClock;
use kabinet::config::Settings;
use kabinet::i18n::I18n;
use kabinet::payments::Payments;
use kabinet::payments::setup::{self, PayStack};
use kabinet::store::Store;
use std::process::ExitCode;
use std::sync::Arc;

/// The payments service and its routes, for a process whose web endpoint is at `local_base`.
pub fn stack(settings: &Settings, store: Store, local_base: &str) -> anyhow::Result<PayStack> {
    setup::build(
        settings,
        store,
        Arc::new(SystemClock),
        Arc::new(I18n::new()?),
        local_base,
    )
    .context("setting up the payment gateway")
}

/// Binds `WEB_ADDR` and serves the payment pages there in the background. `None` (with a
/// warning) when the address is taken: the process then runs without card payments.
pub async fn serve_web(settings: &Settings, store: Store) -> anyhow::Result<Option<Payments>> {
    let listener = match tokio::net::TcpListener::bind(settings.pay.web_addr).await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(addr = %settings.pay.web_addr, error = %e,
                "WEB_ADDR is not free: card payments are off in this process");
            return Ok(None);
        }
    };
    let local = format!("http://{}", listener.local_addr()?);
    let PayStack { payments, router } = stack(settings, store, &local)?;
    tracing::info!(addr = %local, gateway = payments.gateway().name(), "payment pages served");
    tokio::spawn(kabinet::web::serve(
        listener,
        router,
        std::future::pending(),
    ));
    Ok(Some(payments))
}

/// Reconciles every `every` in the background (for `serve`).
pub fn spawn_reconciler(payments: Payments, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match payments.reconcile(chrono::Duration::minutes(15)).await {
                Ok(r) if r.checked > 0 => tracing::info!(
                    checked = r.checked,
                    credited = r.credited,
                    closed = r.closed,
                    "payments reconciled"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "payments not reconciled"),
            }
        }
    });
}

/// `15m`, `2h`, `1d`, `30s`.
pub fn parse_age(text: &str) -> Result<chrono::Duration, String> {
    let text = text.trim();
    let (digits, unit) = text.split_at(text.len().saturating_sub(1));
    let n: i64 = digits
        .parse()
        .map_err(|_| format!("expected an age like 15m, 2h or 1d, got {text:?}"))?;
    match unit {
        "s" => Ok(chrono::Duration::seconds(n)),
        "m" => Ok(chrono::Duration::minutes(n)),
        "h" => Ok(chrono::Duration::hours(n)),
        "d" => Ok(chrono::Duration::days(n)),
        _ => Err(format!("expected an age like 15m, 2h or 1d, got {text:?}")),
    }
}

pub async fn reconcile(
    settings: &Settings,
    store: Store,
    older_than: chrono::Duration,
) -> anyhow::Result<ExitCode> {
    let local = format!("http://{}", settings.pay.web_addr);
    let PayStack { payments, .. } = stack(settings, store, &local)?;
    let done = payments.reconcile(older_than).await?;
    println!(
        "checked {}, credited {}, closed {}, no answer {}",
        done.checked, done.credited, done.closed, done.failed
    );
    Ok(if done.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// An account's orders, newest first, for call-center staff.
pub async fn list(store: Store, number: &str) -> anyhow::Result<ExitCode> {
    let number = match AccountNumber::parse(number) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("kabinet: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let Some(account) = store.account_by_number(&number).await? else {
        println!("account {number}: not found");
        return Ok(ExitCode::FAILURE);
    };
    let orders = store.orders_of_account(account.id).await?;
    println!("account {number}: {} card order(s)", orders.len());
    for o in orders {
        let items: Vec<String> = o
            .items
            .iter()
            .map(|(s, m)| format!("{}={}", s.code(), m.amount()))
            .collect();
        let confirmed = o
            .confirmed_amount
            .map(|m| format!(" confirmed {}", m.amount()))
            .unwrap_or_default();
        println!(
            "{}  {}  {:<10} {} RUB{}{}  [{}]  gateway {}",
            o.created_at.format("%Y-%m-%d %H:%M"),
            o.order_number,
            o.state.code(),
            o.amount.amount(),
            confirmed,
            if o.flagged {
                "  FLAGGED: check the amount"
            } else {
                ""
            },
            items.join(", "),
            o.gateway_order_id.as_deref().unwrap_or("-"),
        );
    }
    Ok(ExitCode::SUCCESS)
}
