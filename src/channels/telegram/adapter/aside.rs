//! Messages outside a turn: «подождите», «сервис временно недоступен», and the apology for an
//! update that is given up.

use teloxide::prelude::*;

use super::{Adapter, retrying};
use crate::channels::telegram::inbound::Inbound;

impl Adapter {
    /// A plain message outside any turn (the chat is told to wait, or that the service is
    /// down), in the chat's language when it can be read.
    pub async fn say(&self, chat_id: i64, text: crate::channels::telegram::commands::TgText) {
        let ctx = self.engine.ctx();
        let lang = crate::conversation::ChatCtx::load(&ctx.store, chat_id)
            .await
            .map(|c| c.lang)
            .unwrap_or_default();
        let text = ctx.i18n.render(lang, &text.into());
        let chat = ChatId(chat_id);
        self.limiter.wait(chat_id).await;
        if let Err(e) = retrying(|| self.bot.send_message(chat, text.clone()).send()).await {
            tracing::warn!(error = %e, "a message outside a turn was not sent");
        }
    }

    /// «Произошла ошибка…» for an update whose turn kept failing and is given up.
    pub async fn apologize(&self, inbound: &Inbound) {
        let ctx = self.engine.ctx();
        let text = ctx.i18n.render(
            Default::default(),
            &crate::conversation::texts::CommonText::Failure.into(),
        );
        self.limiter.wait(inbound.chat_id).await;
        let request = || {
            self.bot
                .send_message(ChatId(inbound.chat_id), text.clone())
                .send()
        };
        if let Err(e) = retrying(request).await {
            tracing::warn!(error = %e, "the apology was not sent");
        }
    }

    /// «Сервис временно недоступен», when even the update could not be taken in.
    pub async fn say_unavailable(&self, chat_id: i64) {
        let ctx = self.engine.ctx();
        let text = ctx.i18n.render(
            Default::default(),
            &crate::conversation::texts::CommonText::Unavailable.into(),
        );
        self.limiter.wait(chat_id).await;
        let request = || self.bot.send_message(ChatId(chat_id), text.clone()).send();
        if let Err(e) = retrying(request).await {
            tracing::warn!(error = %e, "the chat was not told the service is unavailable");
        }
    }
}
