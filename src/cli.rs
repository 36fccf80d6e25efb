//! The subcommands and their glue: open the database, call the library, print.

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use kabinet::billing::{AccountNumber, Period};
use kabinet::channels::telegram::deeplink::LinkAction;
use kabinet::config::Settings;
use kabinet::staff::AccountCard;
use kabinet::store::Store;
use kabinet::store::demo_db::{self, DEMO_DATABASE};
use std::process::ExitCode;

mod notify;
mod outbox;
mod payments;
mod receipts;
mod telegram;

/// Kabinet: the self-service bot of an electricity retailer.
///
/// Settings come from the environment and ./.env. Without DATABASE_URL every command runs in
/// demo mode on the local Postgres server's `kabinet_demo` database.
#[derive(Debug, Parser)]
#[command(name = "kabinet", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply the database migrations.
    Migrate,
    /// Show what the bot knows of an account: holder, meters, last readings, balance.
    Account {
        /// The 13-digit account number (spaces and dashes are ignored).
        number: String,
        /// Look at the account as of this day (YYYY-MM-DD; default today).
        #[arg(long)]
        today: Option<NaiveDate>,
    },
    /// Fill the database with demo or synthetic data.
    Seed {
        /// The deterministic demo company.
        #[arg(long, conflicts_with = "synthetic")]
        demo: bool,
        /// N realistic synthetic accounts, for measurements.
        #[arg(long, value_name = "N")]
        synthetic: Option<u64>,
        /// The day the data runs up to (YYYY-MM-DD; default today).
        #[arg(long)]
        today: Option<NaiveDate>,
    },
    /// Compute a month's charges for every account (idempotent; one run per month at a time).
    ClosePeriod {
        /// The month, YYYY-MM.
        period: Period,
        /// Close the current month although its reading window has not ended (readings sent
        /// after this run count for the next month).
        #[arg(long)]
        force: bool,
    },
    /// Write the receipt (PDF) of an account for a closed month.
    Receipt {
        /// The 13-digit account number.
        number: String,
        /// The month, YYYY-MM.
        period: Period,
        /// The file to write (default kvitanciya-NUMBER-YYYY-MM.pdf here).
        #[arg(short, long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Write the receipts of every account charged in a month into a directory, for printing.
    Receipts {
        /// The month, YYYY-MM.
        period: Period,
        /// The directory (created if missing).
        #[arg(long, value_name = "DIR")]
        out: std::path::PathBuf,
        /// Render threads (default: one per core).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Talk to the bot in this terminal, on the demo data.
    Chat,
    /// Delete counted attempts and delivered outbox messages older than RETENTION_DAYS, and
    /// one-time codes older than a day (`serve` does it every hour).
    Purge,
    /// The outbox of SMS, emails and chat notices.
    Outbox {
        #[command(subcommand)]
        command: outbox::OutboxCommand,
    },
    /// The notices the bot sends first: readings window, receipt ready, payment due, пени.
    Notify {
        #[command(subcommand)]
        command: notify::NotifyCommand,
    },
    /// Send a staff announcement to the chats of matching accounts (preview and count first).
    Announce {
        /// The announcement's text, a UTF-8 file.
        #[arg(long, value_name = "FILE")]
        text: std::path::PathBuf,
        /// Only accounts whose address contains this (a street), case-insensitive.
        #[arg(long)]
        street: Option<String>,
        /// Only these 13-digit accounts.
        #[arg(long = "account", value_name = "N", num_args = 1..)]
        accounts: Vec<String>,
        /// Send without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Run the Telegram bot: long polling, or the webhook on LISTEN_ADDR when PUBLIC_URL is set;
    /// /healthz and /metrics on METRICS_ADDR.
    Serve,
    /// Point Telegram at PUBLIC_URL/telegram/webhook with TELEGRAM_WEBHOOK_SECRET.
    SetWebhook,
    /// Set the bot's command menu and descriptions (Russian and English).
    SetCommands,
    /// Print a signed t.me deep link for call-center staff.
    Link {
        /// registration, readings, receipt, pay or help.
        action: LinkAction,
        /// The 13-digit account to prefill (registration only; identification still happens).
        #[arg(long)]
        account: Option<String>,
        /// How many days the link stays valid.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=365))]
        days: u32,
        /// Also write the link as a QR code PNG to this file.
        #[arg(long, value_name = "FILE")]
        qr: Option<std::path::PathBuf>,
    },
    /// Card payment orders: re-check pending ones, or list an account's for the call center.
    Payments {
        #[command(subcommand)]
        action: PaymentsCommand,
    },
}

#[derive(Debug, Subcommand)]
enum PaymentsCommand {
    /// Ask the gateway about orders left open (the payer closed the page before the return)
    /// and credit, close or expire them (`serve` does it every 5 minutes).
    Reconcile {
        /// Only orders older than this: 30s, 15m, 2h, 1d.
        #[arg(long, default_value = "15m", value_parser = payments::parse_age)]
        older_than: chrono::Duration,
    },
    /// An account's card orders and their states, newest first.
    List {
        /// The 13-digit account number.
        number: String,
    },
}

/// Runs one command; the exit code tells scripts how it went.
pub async fn run(cli: Cli, settings: &Settings) -> anyhow::Result<ExitCode> {
    let today = settings.time_zone.today(chrono::Utc::now());
    match cli.command {
        Command::Migrate => migrate(settings).await,
        Command::Account { number, today: on } => {
            account(settings, &number, on.unwrap_or(today)).await
        }
        Command::Chat => chat(settings, today).await,
        Command::Receipt {
            number,
            period,
            output,
        } => {
            receipts::one(
                &open_store(settings, today).await?,
                settings,
                &number,
                period,
                output,
                today,
            )
            .await
        }
        Command::Receipts {
            period,
            out,
            threads,
        } => {
            receipts::month(
                &open_store(settings, today).await?,
                settings,
                period,
                &out,
                threads,
                today,
            )
            .await
        }
        Command::Purge => {
            let store = open_store(settings, today).await?;
            let purged = store
                .purge(chrono::Utc::now(), settings.retention)
                .await
                .context("purging old records")?;
            println!(
                "purged: {} attempts, {} one-time codes, {} delivered outbox messages, {} answered updates",
                purged.attempts, purged.codes, purged.outbox, purged.inbox
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Outbox { command } => {
            let store = open_store(settings, today).await?;
            outbox::run(&store, command).await
        }
        Command::Notify { command } => {
            let store = open_store(settings, today).await?;
            notify::run(&store, settings, command, today).await
        }
        Command::Announce {
            text,
            street,
            accounts,
            yes,
        } => {
            let store = open_store(settings, today).await?;
            notify::announce(&store, settings, &text, street, accounts, yes).await
        }
        Command::Seed {
            demo,
            synthetic,
            today: on,
        } => seed(settings, demo, synthetic, on.unwrap_or(today)).await,
        Command::ClosePeriod { period, force } => {
            close_period(settings, period, force, today).await
        }
        Command::Serve => {
            settings.require_telegram_token()?;
            if settings.public_url.is_some() {
                // Webhook mode without its secret stops here, before anything connects.
                settings.require_webhook_secret()?;
            }
            let store = open_store(settings, today).await?;
            telegram::serve(settings, store).await
        }
        Command::Payments { action } => {
            let store = open_store(settings, today).await?;
            match action {
                PaymentsCommand::Reconcile { older_than } => {
                    payments::reconcile(settings, store, older_than).await
                }
                PaymentsCommand::List { number } => payments::list(store, &number).await,
            }
        }
        Command::SetWebhook => telegram::set_webhook(settings).await,
        Command::SetCommands => telegram::set_commands(settings).await,
        Command::Link {
            action,
            account,
            days,
            qr,
        } => telegram::link(settings, action, account.as_deref(), days, qr.as_deref()),
    }
}

/// `seed --demo` builds the demo company (seed + period close); `seed --synthetic N` adds N
/// synthetic accounts for measurements (close their periods with `close-period`).
async fn seed(
    settings: &Settings,
    demo: bool,
    synthetic: Option<u64>,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let store = match &settings.database_url {
        Some(url) => demo_db::open_configured(url, settings.database_timeout).await?,
        None => {
            demo_db::open_demo(&demo_db::local_servers(), DEMO_DATABASE)
                .await?
                .store
        }
    };
    store.migrate().await.context("applying the migrations")?;
    if demo {
        let report = kabinet::demo::build_demo(&store, today).await?;
        println!("demo: {report}");
    }
    if let Some(n) = synthetic {
        let started = std::time::Instant::now();
        let n = usize::try_from(n).context("N is too large")?;
        let report = kabinet::demo::seed_synthetic(&store, n, today, |done| {
            eprint!("\rseeded {done}/{n} accounts");
        })
        .await?;
        eprintln!();
        println!(
            "synthetic: {report} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    if !demo && synthetic.is_none() {
        eprintln!("kabinet: say what to seed: --demo or --synthetic N");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Closes one month for every account, printing progress; idempotent.
async fn close_period(
    settings: &Settings,
    period: Period,
    force: bool,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let store = open_store(settings, today).await?;
    let close = kabinet::close::CloseSettings {
        due: due_schedule(settings),
        time_zone: settings.time_zone.name().to_owned(),
        window: settings.reading_window,
        force,
        ..kabinet::close::CloseSettings::default()
    };
    let report = kabinet::close::close_period(&store, period, today, &close, |p| {
        eprint!(
            "\r{period}: {}/{} accounts, {} failed, {:.0} accounts/s",
            p.done(),
            p.total,
            p.failed,
            p.per_second()
        );
    })
    .await
    .with_context(|| format!("closing {period}"))?;
    eprintln!();
    println!(
        "{period}: closed {} accounts, {} charge lines, in {:.1} s",
        report.closed,
        report.lines,
        report.elapsed.as_secs_f64()
    );
    for failure in &report.failures {
        println!("  not closed: {failure:?}");
    }
    let notices = kabinet::notify::after_close(
        &store,
        &kabinet::notify::NotifySettings::from_settings(settings),
        period,
        chrono::Utc::now(),
    )
    .await
    .context("queueing the receipt-ready notices")?;
    println!("receipt ready: {notices}");
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

pub(crate) fn due_schedule(settings: &Settings) -> kabinet::billing::DueSchedule {
    let day = kabinet::billing::DueDay::new(settings.payment_due_day)
        .unwrap_or(kabinet::billing::DueDay::DEFAULT);
    kabinet::billing::DueSchedule::new(day)
}

/// The terminal chat: interactive on a terminal, one message per line otherwise.
async fn chat(settings: &Settings, today: NaiveDate) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    let store = open_store(settings, today).await?;
    // The payment pages run beside the chat, so the printed sandbox link opens in a browser.
    let engine = match payments::serve_web(settings, store.clone()).await? {
        Some(pay) => kabinet::app::engine_paying(store, settings, pay, true).await?,
        None => kabinet::app::chat_engine(store, settings).await?,
    };
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    kabinet::channels::console::run(&engine, stdin.lock(), std::io::stdout().lock(), interactive)
        .await
        .context("running the terminal chat")?;
    Ok(ExitCode::SUCCESS)
}

async fn migrate(settings: &Settings) -> anyhow::Result<ExitCode> {
    match &settings.database_url {
        Some(url) => {
            let store = demo_db::open_configured(url, settings.database_timeout).await?;
            store.migrate().await.context("applying the migrations")?;
            println!("migrations applied to {}", url.redacted());
        }
        None => {
            // Opening the demo database migrates it; migrate never seeds.
            let demo = demo_db::open_demo(&demo_db::local_servers(), DEMO_DATABASE).await?;
            println!("migrations applied to {DEMO_DATABASE} on {}", demo.server);
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn account(settings: &Settings, number: &str, today: NaiveDate) -> anyhow::Result<ExitCode> {
    let number = match AccountNumber::parse(number) {
        Ok(number) => number,
        Err(e) => {
            eprintln!("kabinet: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let store = open_store(settings, today).await?;
    let due = due_schedule(settings);
    let card = AccountCard::load(&store, &number, today, &due, settings.time_zone.offset())
        .await
        .with_context(|| format!("looking up account {number}"))?;
    match card {
        Some(card) => {
            println!("{card}");
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!("kabinet: no account {number}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The configured database as it is, or the demo database, migrated and (once wired) seeded.
async fn open_store(settings: &Settings, today: NaiveDate) -> anyhow::Result<Store> {
    let Some(url) = &settings.database_url else {
        let demo = demo_db::open_demo(&demo_db::local_servers(), DEMO_DATABASE).await?;
        tracing::info!(server = %demo.server, "demo mode: using {DEMO_DATABASE}");
        if demo.empty {
            tracing::info!(%today, "the demo database is empty: seeding the demo company");
            let report = kabinet::demo::build_demo(&demo.store, today)
                .await
                .context("seeding the demo data")?;
            tracing::info!(%report, "demo data ready");
        }
        return Ok(demo.store);
    };
    Ok(demo_db::open_configured(url, settings.database_timeout).await?)
}
