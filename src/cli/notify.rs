//! `kabinet notify run|status` and `kabinet announce`: the notices the bot sends first, for
//! cron and for staff.

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use clap::Subcommand;
use kabinet::config::Settings;
use kabinet::notify::{self, NotifySettings, schedule};
use kabinet::store::Store;
use kabinet::store::notices::{Audience, Batch, Kind};
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Queue the notices due today (idempotent: a rerun queues nothing twice).
    Run {
        /// Run as on this day (YYYY-MM-DD; default today in TIMEZONE).
        #[arg(long)]
        today: Option<NaiveDate>,
        /// List who would get what (account, chat, kind) and queue nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The notices per kind and month: queued, sent, failed, skipped.
    Status,
}

pub async fn run(
    store: &Store,
    settings: &Settings,
    command: NotifyCommand,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    match command {
        NotifyCommand::Run { today: on, dry_run } => {
            let notify = NotifySettings::from_settings(settings);
            let report = notify::run(store, &notify, on.unwrap_or(today), Utc::now(), dry_run)
                .await
                .context("queueing the notices")?;
            for p in &report.planned {
                let chat = p.chat_id.map_or_else(|| "—".to_owned(), |c| c.to_string());
                println!("{} chat {chat} {}: {}", p.account, p.kind, p.outcome);
            }
            if dry_run {
                println!(
                    "dry run: nothing queued; {} due with no chat linked",
                    report.no_chat
                );
            }
            println!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        NotifyCommand::Status => {
            let rows = store.notice_status().await.context("reading notices")?;
            if rows.is_empty() {
                println!("notices: none yet");
            }
            for row in rows {
                let last = row.last.map_or_else(|| "—".to_owned(), |t| t.to_string());
                println!(
                    "{:<17} {:<8} {:<20} {:>8}  last {last}",
                    row.kind, row.key, row.state, row.count
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `kabinet announce`: previews the text and the count, asks (unless `yes`), then queues.
pub async fn announce(
    store: &Store,
    settings: &Settings,
    text: &std::path::Path,
    street: Option<String>,
    accounts: Vec<String>,
    yes: bool,
) -> anyhow::Result<ExitCode> {
    let body = std::fs::read_to_string(text)
        .with_context(|| format!("reading {}", text.display()))?
        .trim()
        .to_owned();
    if body.is_empty() || body.chars().count() > 3500 {
        eprintln!("kabinet: the announcement must be 1 to 3500 characters");
        return Ok(ExitCode::from(2));
    }
    let notify = NotifySettings::from_settings(settings);
    let start = notify.quiet.next_allowed(Utc::now(), notify.zone);
    let batch = |key: String| Batch {
        kind: Kind::Announcement,
        key,
        audience: Audience::Matching {
            street: street.clone(),
            numbers: accounts.clone(),
        },
        extra: serde_json::json!({ "text": body }),
        start,
        spacing: schedule::spacing(notify.per_sec),
    };
    let planned = store
        .plan_notices(&batch("preview".to_owned()))
        .await
        .context("finding the recipients")?;
    let sending = planned.iter().filter(|p| p.outcome == "queue").count();
    println!("---\n{body}\n---");
    println!(
        "to {sending} chats ({} accounts matched; {} not sent to: no chat linked, announcements \
         turned off, or the bot blocked)",
        planned
            .iter()
            .map(|p| &p.account)
            .collect::<std::collections::HashSet<_>>()
            .len(),
        planned.len() - sending
    );
    if sending == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    if !yes {
        print!("send? [y/N] ");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "да") {
            println!("not sent");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let id = store
        .add_announcement(&body)
        .await
        .context("saving the announcement")?;
    let report = notify::queue_all(store, vec![batch(id.to_string())], false)
        .await
        .context("queueing the announcement")?;
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}
