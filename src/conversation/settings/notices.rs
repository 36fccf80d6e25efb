//! Настройки → Уведомления: which notices the chat gets about the current account, each topic
//! on or off (all on by default). A press flips one and shows the list again.
//!
//! ```text
//! > [Уведомления]
//! < Уведомления по лицевому счёту 7701000000017. Нажатие включает или выключает:
//! < [✅ Показания: напоминания] [✅ Квитанция готова] … [Меню]
//! > [✅ Показания: напоминания]
//! < … [❌ Показания: напоминания] …
//! ```

use super::{Step as SettingsStep, blocked, load};
use crate::billing::AccountNumber;
use crate::conversation::{Btn, ChatCtx, Ctx, Event, State, Turn, say, stale_button};
use crate::i18n::{Msg, texts};
use crate::store::notices::Topic;

texts! {
    /// The notices screen.
    pub enum NoticesText {
        Button => "settings-notices-button",
        Screen { account: AccountNumber } => "settings-notices",
        /// `on` is `yes` or `no`; `topic` a [`Topic`] code.
        Topic { on: String, topic: String } => "settings-notices-topic",
    }
}

/// The prefix of a topic button's data: `notices:readings`.
const PREFIX: &str = "notices:";

pub fn samples() -> Vec<Msg> {
    let mut all: Vec<Msg> = NoticesText::samples().into_iter().map(Msg::from).collect();
    for topic in Topic::ALL {
        for on in ["yes", "no"] {
            all.push(
                NoticesText::Topic {
                    on: on.to_owned(),
                    topic: topic.code().to_owned(),
                }
                .into(),
            );
        }
    }
    all
}

/// The list for the account.
pub async fn start(ctx: &Ctx, chat: &ChatCtx, account: i64) -> Turn {
    if let Some(refused) = blocked(chat, account) {
        return refused;
    }
    screen(ctx, chat, account).await
}

/// A press on the list.
pub async fn step(ctx: &Ctx, chat: &ChatCtx, account: i64, event: Event) -> Turn {
    if let Some(refused) = blocked(chat, account) {
        return refused;
    }
    match event {
        Event::Button(data) => {
            let Some(topic) = data.strip_prefix(PREFIX).and_then(Topic::from_code) else {
                return stale_button();
            };
            let off = ctx.store.topics_off(chat.chat_id, account).await?;
            let on = off.contains(&topic);
            ctx.store
                .set_topic(chat.chat_id, account, topic, on)
                .await?;
            screen(ctx, chat, account).await
        }
        _ => screen(ctx, chat, account).await,
    }
}

async fn screen(ctx: &Ctx, chat: &ChatCtx, account: i64) -> Turn {
    let number = load(ctx, account).await?.number;
    let off = ctx.store.topics_off(chat.chat_id, account).await?;
    let mut buttons: Vec<Vec<Btn>> = Topic::ALL
        .into_iter()
        .map(|topic| {
            let label = NoticesText::Topic {
                on: if off.contains(&topic) { "no" } else { "yes" }.to_owned(),
                topic: topic.code().to_owned(),
            };
            vec![Btn::new(label, format!("{PREFIX}{}", topic.code()))]
        })
        .collect();
    buttons.push(vec![Btn::menu()]);
    Ok((
        State::Settings(SettingsStep::Notices { account }),
        vec![
            say(NoticesText::Screen { account: number })
                .buttons(buttons)
                .into(),
        ],
    ))
}
