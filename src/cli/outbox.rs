//! `kabinet outbox status`: the queue of SMS, emails and chat notices, for the on-call engineer.

use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;
use kabinet::store::Store;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Depth, what is due, the oldest waiting message and the newest dead letters.
    Status {
        /// How many dead letters to list.
        #[arg(long, default_value_t = 10)]
        dead: i64,
    },
}

pub async fn run(store: &Store, command: OutboxCommand) -> anyhow::Result<ExitCode> {
    match command {
        OutboxCommand::Status { dead } => status(store, dead).await,
    }
}

async fn status(store: &Store, dead: i64) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    let status = store
        .outbox_status(now)
        .await
        .context("reading the outbox")?;
    let oldest = status.oldest.map_or_else(
        || "—".to_owned(),
        |t| format!("{} s ago ({t})", (now - t).num_seconds().max(0)),
    );
    println!(
        "outbox: {} waiting ({} due now, {} retrying), oldest queued {oldest}; {} dead letters",
        status.depth, status.due, status.retrying, status.dead
    );
    for letter in store
        .dead_letters(dead.max(0))
        .await
        .context("reading dead letters")?
    {
        println!(
            "  dead #{} {} {} after {} attempts, queued {}, dead {}: {}",
            letter.id,
            letter.channel,
            letter.template,
            letter.attempts,
            letter.created_at,
            letter.dead_at,
            letter.last_error.as_deref().unwrap_or("—")
        );
    }
    Ok(ExitCode::SUCCESS)
}
