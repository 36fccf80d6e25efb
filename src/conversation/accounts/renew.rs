//! Renewing a link made before the account's credentials changed (a new password, «Отключить
//! другие чаты» elsewhere): possession again (`prove`: the password, the shared contact equal
//! to the phone on file, or a code to it). Linking another account is registration.

use super::Step;
use crate::billing::AccountNumber;
use crate::conversation::prove::{self, Outcome as Proof};
use crate::conversation::{ChatCtx, Ctx, Event, Out, State, Turn, to_menu};
use crate::i18n::texts;
use crate::store::chats::Link;
use crate::store::codes::Purpose;

texts! {
    /// What renewing a link says.
    pub enum RenewText {
        Renewed { account: AccountNumber } => "accounts-renewed",
    }
}

/// A linked account whose credentials changed: possession again.
pub async fn start(ctx: &Ctx, link: &Link) -> Turn {
    let Some(account) = ctx.store.account_by_number(&link.number).await? else {
        return to_menu(super::AccountsText::NotLinked);
    };
    proof(ctx, prove::begin(ctx, &account, Purpose::Link)).await
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, proof_step: prove::Step, event: Event) -> Turn {
    let outcome = prove::step(ctx, chat, proof_step, Purpose::Link, event).await?;
    match outcome {
        Proof::Proven { account, said } => {
            chat.link(&ctx.store, &account).await?;
            let (state, outs) = to_menu(RenewText::Renewed {
                account: account.number,
            })?;
            Ok((state, said.into_iter().chain(outs).collect()))
        }
        other => proof(ctx, other).await,
    }
}

async fn proof(_ctx: &Ctx, outcome: Proof) -> Turn {
    match outcome {
        Proof::Ask(s, outs) => Ok((State::Accounts(Step::Renew(s)), outs)),
        Proof::Failed(mut outs) => {
            outs.push(Out::Menu);
            Ok((State::Menu, outs))
        }
        Proof::Proven { .. } => Err(crate::conversation::EngineError::Internal(
            "a renewal proved without an answer".into(),
        )),
    }
}
