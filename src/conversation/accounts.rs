//! My accounts: list, switch the current one, link another by number + password, unlink.
//!
//! Not written yet: answers «скоро» (coming soon). Replace `Step` with what the flow waits for.

use super::{ChatCtx, Ctx, Event, Turn, coming_soon};
use serde::{Deserialize, Serialize};

/// What the flow waits for (nothing yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {}

pub async fn start(_ctx: &Ctx, _chat: &ChatCtx, _args: &str) -> Turn {
    coming_soon()
}

pub async fn step(_ctx: &Ctx, _chat: &ChatCtx, state: Step, _event: Event) -> Turn {
    match state {}
}
