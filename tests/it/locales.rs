//! Both languages say everything the code can say.

use kabinet::conversation::texts::{CommonText, all_samples};
use kabinet::i18n::{FILES, I18n, Lang, MONTH_KEY, Msg};
use std::collections::BTreeSet;

/// Ids of the messages (`key`) and terms (`-key`) defined in a `.ftl` source: Fluent entries
/// start at the first column, continuation lines are indented.
fn entry_ids(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|line| !line.starts_with([' ', '#']) && !line.is_empty())
        .filter_map(|line| line.split_once('='))
        .map(|(id, _)| id.trim().to_owned())
        .collect()
}

#[test]
fn both_locales_define_exactly_the_same_keys() {
    for file in FILES {
        let ru = entry_ids(file.ru);
        let en = entry_ids(file.en);
        assert!(!ru.is_empty(), "{} is empty", file.name);
        let only_ru: Vec<_> = ru.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&ru).collect();
        assert!(
            only_ru.is_empty() && only_en.is_empty(),
            "{}.ftl: only in ru {only_ru:?}, only in en {only_en:?}",
            file.name
        );
    }
}

#[test]
fn every_message_the_code_says_renders_in_every_language() {
    let i18n = I18n::new().expect("locales load");
    let mut problems = Vec::new();
    for msg in all_samples() {
        for lang in Lang::ALL {
            match i18n.try_render(lang, &msg) {
                Ok(text) if text.trim().is_empty() => {
                    problems.push(format!("{lang} {}: empty", msg.key()))
                }
                Ok(_) => {}
                Err(e) => problems.push(e.to_string()),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_message_in_the_locales_is_used_by_the_code() {
    let used: BTreeSet<&str> = all_samples().iter().map(Msg::key).collect();
    let unused: Vec<String> = FILES
        .iter()
        .flat_map(|f| entry_ids(f.ru))
        .filter(|id| !id.starts_with('-') && id != MONTH_KEY && !used.contains(id.as_str()))
        .collect();
    assert!(unused.is_empty(), "messages no code says: {unused:?}");
}

#[test]
fn russian_plurals_agree_with_the_number() {
    let i18n = I18n::new().unwrap();
    let say = |max: usize| i18n.render(Lang::Ru, &CommonText::TooLong { max }.into());
    assert!(say(1).contains("не больше 1 символа"), "{}", say(1));
    assert!(say(21).contains("не больше 21 символа"), "{}", say(21));
    assert!(say(3).contains("не больше 3 символов"), "{}", say(3));
    assert!(
        say(1000).contains("не больше 1000 символов"),
        "{}",
        say(1000)
    );
    let en = i18n.render(Lang::En, &CommonText::TooLong { max: 1 }.into());
    assert!(en.contains("at most 1 character."), "{en}");
}

#[test]
fn texts_carry_no_unicode_isolation_marks() {
    let i18n = I18n::new().unwrap();
    let text = i18n.render(Lang::Ru, &CommonText::TooLong { max: 5 }.into());
    assert!(!text.contains(['\u{2068}', '\u{2069}']), "{text:?}");
}

#[test]
fn a_missing_message_or_argument_is_a_render_error() {
    let i18n = I18n::new().unwrap();
    assert!(
        i18n.try_render(Lang::Ru, &Msg::new("no-such-key", vec![]))
            .is_err()
    );
    let without_args = Msg::new("help-guide", vec![]);
    let err = i18n.try_render(Lang::En, &without_args).unwrap_err();
    assert!(err.to_string().contains("pdf"), "{err}");
}
