//! Long polling for the intake: `getUpdates` as raw JSON (kept as Telegram sent it), each
//! batch taken in before the next call's offset confirms it.

use std::time::Duration;

use serde_json::{Value, json};

use super::{Intake, IntakeError};
use crate::channels::telegram::adapter::TgBot;

impl Intake {
    /// Long polling until shut down: each batch is taken in before the next `getUpdates`
    /// confirms it (its offset); a batch that cannot be taken in is asked for again. The
    /// updates are fetched as raw JSON, to be kept as Telegram sent them.
    pub async fn poll(&self, bot: TgBot) {
        // As teloxide makes its method URLs: the token and the method as path segments.
        let mut url = bot.api_url();
        match url.path_segments_mut() {
            Ok(mut segments) => {
                segments
                    .pop_if_empty()
                    .push(&format!("bot{}", bot.token()))
                    .push("getUpdates");
            }
            Err(()) => {
                tracing::error!("the Bot API URL cannot take a path; not polling");
                return;
            }
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(40))
            .build()
            .unwrap_or_default();
        let mut offset: i64 = 0;
        let mut pause = Duration::from_millis(500);
        while !self.stopping() {
            let body = json!({
                "offset": offset,
                "timeout": 25,
                "allowed_updates": ["message", "callback_query"],
            });
            let got = tokio::select! {
                got = fetch(&http, url.clone(), &body) => got,
                _ = self.stopped() => return,
            };
            let updates = match got {
                Ok(updates) => updates,
                Err(Fetch::RetryAfter(after)) => {
                    tokio::time::sleep(after).await;
                    continue;
                }
                Err(Fetch::Failed(e)) => {
                    tracing::warn!(error = %e, "getUpdates failed; trying again");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(30));
                    continue;
                }
            };
            let mut next = offset;
            let mut stuck = false;
            for update in updates {
                let Some(id) = update.get("update_id").and_then(Value::as_i64) else {
                    continue;
                };
                match self.accept(update).await {
                    Ok(()) => next = id + 1,
                    Err(IntakeError::Json(e)) => {
                        tracing::warn!(error = %e, update_id = id, "an update that does not parse is skipped");
                        next = id + 1;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, update_id = id, "an update was not taken in");
                        stuck = true;
                        break;
                    }
                }
            }
            offset = next;
            if stuck {
                // Ask again for the rest of the batch after a pause.
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = self.stopped() => return,
                }
                pause = (pause * 2).min(Duration::from_secs(30));
            } else {
                pause = Duration::from_millis(500);
            }
        }
    }
}

enum Fetch {
    RetryAfter(Duration),
    Failed(String),
}

/// One `getUpdates`: the updates as JSON values.
async fn fetch(
    http: &reqwest::Client,
    url: reqwest::Url,
    body: &Value,
) -> Result<Vec<Value>, Fetch> {
    let answer: Value = http
        .post(url)
        .json(body)
        .send()
        .await
        .map_err(|e| Fetch::Failed(e.without_url().to_string()))?
        .json()
        .await
        .map_err(|e| Fetch::Failed(e.without_url().to_string()))?;
    if answer.get("ok") == Some(&Value::Bool(true)) {
        return Ok(answer
            .get("result")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default());
    }
    if let Some(after) = answer
        .pointer("/parameters/retry_after")
        .and_then(Value::as_u64)
    {
        return Err(Fetch::RetryAfter(Duration::from_secs(after)));
    }
    Err(Fetch::Failed(
        answer
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("no description")
            .to_owned(),
    ))
}
