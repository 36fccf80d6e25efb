//! One turn, one message: what a turn said becomes a single message whose keyboard says what
//! comes next. Texts follow one another (a blank line between); the main menu after something
//! else was said lends only its buttons (the confirmation carries the menu); inline keyboards
//! join row by row, a reply keyboard or a link button goes along. A document or a photo is one
//! more message, after the text.

use super::reply::{Keyboard, Reply};

/// One rendered output of a turn, and whether it is the main menu.
pub struct Part {
    pub reply: Reply,
    pub menu: bool,
}

/// The turn's parts as one message (plus one per attachment).
pub fn one_message(parts: Vec<Part>) -> Vec<Reply> {
    let said_something = parts
        .iter()
        .any(|p| !p.menu && !p.reply.text.is_empty() && p.reply.attachment.is_none());
    let mut texts: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    let mut keyboard: Option<Keyboard> = None;
    let mut link = None;
    let mut files = Vec::new();
    for Part { reply, menu } in parts {
        if reply.attachment.is_some() {
            files.push(reply);
            continue;
        }
        let lends_only_buttons = menu && said_something;
        if !lends_only_buttons && !reply.text.is_empty() {
            texts.push(reply.text);
        }
        match reply.keyboard {
            Some(Keyboard::Inline(more)) => {
                for row in more {
                    let row: Vec<_> = row
                        .into_iter()
                        .filter(|b| {
                            !rows
                                .iter()
                                .flatten()
                                .any(|seen: &super::Button| seen.data == b.data)
                        })
                        .collect();
                    if !row.is_empty() {
                        rows.push(row);
                    }
                }
                keyboard = Some(Keyboard::Inline(Vec::new()));
            }
            // A reply keyboard asks for something typed or shared: it wins over what came before.
            Some(Keyboard::Reply(keys)) => {
                rows.clear();
                keyboard = Some(Keyboard::Reply(keys));
            }
            // Reply keyboards are one-time: with buttons under the message, no removal is needed.
            Some(Keyboard::Remove) if keyboard.is_none() => keyboard = Some(Keyboard::Remove),
            Some(Keyboard::Remove) | None => {}
        }
        link = reply.link.or(link);
    }
    let keyboard = match keyboard {
        Some(Keyboard::Inline(_)) if rows.is_empty() => None,
        Some(Keyboard::Inline(_)) => Some(Keyboard::Inline(rows)),
        other => other,
    };
    let mut out = Vec::new();
    if !texts.is_empty() || keyboard.is_some() || link.is_some() {
        out.push(Reply {
            text: texts.join("\n\n"),
            keyboard,
            attachment: None,
            link,
        });
    }
    out.extend(files);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::Button;

    fn text(t: &str) -> Reply {
        Reply {
            text: t.into(),
            ..Reply::default()
        }
    }

    fn with_buttons(t: &str, data: &[&str]) -> Reply {
        Reply {
            keyboard: Some(Keyboard::Inline(vec![
                data.iter()
                    .map(|d| Button {
                        label: d.to_uppercase(),
                        data: (*d).into(),
                    })
                    .collect(),
            ])),
            ..text(t)
        }
    }

    #[test]
    fn a_confirmation_carries_the_menu_as_its_keyboard() {
        let merged = one_message(vec![
            Part {
                reply: text("Спасибо."),
                menu: false,
            },
            Part {
                reply: with_buttons("Главное меню", &["menu:readings", "menu:help"]),
                menu: true,
            },
        ]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].text, "Спасибо.");
        assert_eq!(merged[0].buttons().len(), 2);
    }

    #[test]
    fn the_menu_alone_keeps_its_title_and_texts_join_with_a_blank_line() {
        let menu = one_message(vec![Part {
            reply: with_buttons("Главное меню", &["menu:help"]),
            menu: true,
        }]);
        assert_eq!(menu[0].text, "Главное меню");
        let two = one_message(vec![
            Part {
                reply: with_buttons("А", &["x", "nav:cancel"]),
                menu: false,
            },
            Part {
                reply: with_buttons("Б", &["nav:cancel", "y"]),
                menu: false,
            },
        ]);
        assert_eq!(two.len(), 1);
        assert_eq!(two[0].text, "А\n\nБ");
        let data: Vec<String> = two[0].buttons().into_iter().map(|(l, _)| l).collect();
        assert_eq!(
            data,
            ["X", "NAV:CANCEL", "Y"],
            "a button shown twice is kept once"
        );
    }

    #[test]
    fn a_removal_gives_way_to_the_buttons_that_follow() {
        let merged = one_message(vec![
            Part {
                reply: Reply {
                    keyboard: Some(Keyboard::Remove),
                    ..text("Подтверждено.")
                },
                menu: false,
            },
            Part {
                reply: with_buttons("Почта?", &["reg:skip"]),
                menu: false,
            },
        ]);
        assert!(matches!(merged[0].keyboard, Some(Keyboard::Inline(_))));
    }
}
