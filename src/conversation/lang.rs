//! `/lang`: the chat's language, Russian or English, remembered in the database.
//!
//! ```text
//! > /lang
//! < Выберите язык / Choose your language:
//! < [Русский] [English] [Отмена]
//! > [English]
//! < Language: English. …
//! ```

use super::{Btn, ChatCtx, Ctx, Event, Out, State, Turn, say, stale_button};
use crate::i18n::{Lang, texts};
use crate::store::chats;
use serde::{Deserialize, Serialize};

texts! {
    /// What the language flow says.
    pub enum LangText {
        Ask => "lang-ask",
        /// Rendered in the new language.
        Switched => "lang-switched",
        NotUnderstood => "lang-not-understood",
        Russian => "lang-russian",
        English => "lang-english",
    }
}

/// What the language flow waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A language: a button or its name.
    AskLang,
}

const DATA: &str = "lang:";

/// `/lang` asks; `/lang en` switches at once.
pub async fn start(ctx: &Ctx, chat: &ChatCtx, args: &str) -> Turn {
    if args.is_empty() {
        return ask(LangText::Ask);
    }
    match parse(args) {
        Some(lang) => switch(ctx, chat, lang).await,
        None => ask(LangText::NotUnderstood),
    }
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    match (state, event) {
        (Step::AskLang, Event::Button(data)) => {
            match data.strip_prefix(DATA).and_then(Lang::from_code) {
                Some(lang) => switch(ctx, chat, lang).await,
                None => stale_button(),
            }
        }
        (Step::AskLang, Event::Text(text)) => match parse(&text) {
            Some(lang) => switch(ctx, chat, lang).await,
            None => ask(LangText::NotUnderstood),
        },
        (Step::AskLang, _) => ask(LangText::NotUnderstood),
    }
}

fn ask(text: LangText) -> Turn {
    let buttons = vec![
        vec![
            Btn::new(LangText::Russian, format!("{DATA}ru")),
            Btn::new(LangText::English, format!("{DATA}en")),
        ],
        vec![Btn::cancel()],
    ];
    Ok((
        State::Lang(Step::AskLang),
        vec![say(text).buttons(buttons).into()],
    ))
}

async fn switch(ctx: &Ctx, chat: &ChatCtx, lang: Lang) -> Turn {
    chats::set_language(ctx.store.pool(), chat.chat_id, lang).await?;
    chat.touch();
    Ok((State::Menu, vec![say(LangText::Switched).into(), Out::Menu]))
}

/// A language typed by name, in either language.
fn parse(input: &str) -> Option<Lang> {
    let word = input.trim().to_lowercase();
    match word.as_str() {
        "ru" | "rus" | "russian" | "русский" | "рус" | "по-русски" => {
            Some(Lang::Ru)
        }
        "en" | "eng" | "english" | "английский" | "англ" | "по-английски" => {
            Some(Lang::En)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_recognised_by_name_in_either_language() {
        assert_eq!(parse(" English "), Some(Lang::En));
        assert_eq!(parse("Русский"), Some(Lang::Ru));
        assert_eq!(parse("RU"), Some(Lang::Ru));
        assert_eq!(parse("deutsch"), None);
        assert_eq!(parse("😀"), None);
    }
}
