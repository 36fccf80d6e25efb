//! The `kabinet` command: parses the command line, loads the settings, runs one command.

mod cli;

use clap::Parser;
use kabinet::config::{LogFormat, Settings};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("kabinet: {e}");
            return ExitCode::FAILURE;
        }
    };
    init_tracing(settings.log_format);
    match cli::run(args, &settings).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kabinet: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, so command output on stdout stays clean. `RUST_LOG` filters
/// (default `info`); `LOG_FORMAT=json` writes one JSON object per line.
fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
