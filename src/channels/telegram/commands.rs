//! The bot's command menu and description, per language, as `kabinet set-commands` sets them.

use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::BotCommand;

use super::adapter::{TgBot, retrying};
use crate::conversation::menu::Item;
use crate::i18n::{I18n, Lang, Msg, texts};

texts! {
    /// What Telegram shows of the bot outside a chat: command descriptions, bot descriptions.
    pub enum TgText {
        Start => "tg-cmd-start",
        Menu => "tg-cmd-menu",
        Lang => "tg-cmd-lang",
        Cancel => "tg-cmd-cancel",
        /// The empty chat's «What can this bot do?» text (up to 512 characters).
        Description => "tg-description",
        /// The profile's short description (up to 120 characters).
        ShortDescription => "tg-short-description",
        /// Said once in a group chat: the bot serves private chats only.
        PrivateOnly => "tg-private-only",
        /// A message arrived while the chat's previous one is still being handled.
        Wait => "tg-wait",
    }
}

/// The sections in the command menu, in its order.
const SECTIONS: [Item; 7] = [
    Item::Readings,
    Item::Receipt,
    Item::Pay,
    Item::History,
    Item::Accounts,
    Item::Settings,
    Item::Help,
];

/// The command menu in `lang`.
pub fn commands(i18n: &I18n, lang: Lang) -> Vec<BotCommand> {
    let text = |msg: Msg| i18n.render(lang, &msg);
    let mut list = vec![
        BotCommand::new("start", text(TgText::Start.into())),
        BotCommand::new("menu", text(TgText::Menu.into())),
    ];
    list.extend(
        SECTIONS
            .iter()
            .map(|item| BotCommand::new(item.code(), text(item.label().into()))),
    );
    list.push(BotCommand::new("lang", text(TgText::Lang.into())));
    list.push(BotCommand::new("cancel", text(TgText::Cancel.into())));
    list
}

/// Sets the command menu and both descriptions for every language; Russian is also the
/// default for clients in other languages.
pub async fn set_commands(bot: &TgBot, i18n: &I18n) -> Result<(), RequestError> {
    for lang in Lang::ALL {
        let code = lang.code().to_owned();
        let list = commands(i18n, lang);
        let description = i18n.render(lang, &TgText::Description.into());
        let short = i18n.render(lang, &TgText::ShortDescription.into());
        let default = lang == Lang::default();
        retrying(|| {
            bot.set_my_commands(list.clone())
                .language_code(code.clone())
                .send()
        })
        .await?;
        retrying(|| {
            bot.set_my_description()
                .description(description.clone())
                .language_code(code.clone())
                .send()
        })
        .await?;
        retrying(|| {
            bot.set_my_short_description()
                .short_description(short.clone())
                .language_code(code.clone())
                .send()
        })
        .await?;
        if default {
            retrying(|| bot.set_my_commands(list.clone()).send()).await?;
            retrying(|| {
                bot.set_my_description()
                    .description(description.clone())
                    .send()
            })
            .await?;
        }
    }
    Ok(())
}
