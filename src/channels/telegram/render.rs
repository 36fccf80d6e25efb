//! How an engine [`Reply`] looks on Telegram: HTML-escaped text split within Telegram's
//! limits, inline keyboards (with the link as a URL button), reply keyboards with the contact
//! button, keyboard removal, and files sent from memory with the text as their caption.
//!
//! Pure functions: the adapter sends what these plan.

use teloxide::types::{
    ButtonRequest, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup,
    KeyboardRemove, ReplyMarkup,
};

use crate::conversation::{Attachment, Button, Keyboard, Reply, ReplyButton};

/// Telegram's limit on a message text, in UTF-16 units after entity parsing.
pub const MAX_TEXT: usize = 4096;
/// Telegram's limit on a file's caption.
pub const MAX_CAPTION: usize = 1024;
/// Telegram's limit on an inline button's callback data, in bytes.
pub const MAX_CALLBACK_DATA: usize = 64;

/// One text message: HTML (parse mode `HTML`) with its keyboard.
#[derive(Clone, Debug)]
pub struct Text {
    pub html: String,
    pub markup: Option<ReplyMarkup>,
}

/// A file with an optional caption (HTML) and keyboard.
#[derive(Clone, Debug)]
pub struct File {
    pub attachment: Attachment,
    pub caption: Option<String>,
    pub markup: Option<ReplyMarkup>,
}

/// What one reply becomes: text messages in order, then the file if there is one.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub texts: Vec<Text>,
    pub file: Option<File>,
}

/// Plans the messages of a reply. The keyboard goes with the last message; a file takes the
/// text as its caption when it fits, else it follows the text.
pub fn render(reply: &Reply) -> Outgoing {
    let (markup, link_line) = markup(reply);
    let mut text = reply.text.clone();
    if let Some(line) = link_line {
        text = if text.is_empty() {
            line
        } else {
            format!("{text}\n{line}")
        };
    }
    if let Some(attachment) = &reply.attachment
        && utf16_len(&text) <= MAX_CAPTION
    {
        let caption = (!text.trim().is_empty()).then(|| escape_html(&text));
        let file = File {
            attachment: attachment.clone(),
            caption,
            markup,
        };
        return Outgoing {
            texts: Vec::new(),
            file: Some(file),
        };
    }
    let chunks = split(&text, MAX_TEXT);
    let last = chunks.len().saturating_sub(1);
    let (text_markup, file_markup) = match reply.attachment {
        Some(_) => (None, markup),
        None => (markup, None),
    };
    let texts = chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| Text {
            html: escape_html(&chunk),
            markup: if i == last { text_markup.clone() } else { None },
        })
        .collect();
    Outgoing {
        texts,
        file: reply.attachment.clone().map(|attachment| File {
            attachment,
            caption: None,
            markup: file_markup,
        }),
    }
}

/// A reply that can replace the message whose button was pressed: one text message with an
/// inline keyboard (an edit cannot carry a reply keyboard or a file).
pub fn editable(reply: &Reply) -> Option<Text> {
    if reply.attachment.is_some() || !matches!(reply.keyboard, Some(Keyboard::Inline(_))) {
        return None;
    }
    let out = render(reply);
    match <[Text; 1]>::try_from(out.texts) {
        Ok([text]) => Some(text),
        Err(_) => None,
    }
}

/// The keyboard of a reply, and a text line for a link that cannot be a button (a message
/// has one keyboard: a link next to a reply keyboard goes into the text).
fn markup(reply: &Reply) -> (Option<ReplyMarkup>, Option<String>) {
    let link = reply.link.as_ref().map(|l| {
        let url = reqwest::Url::parse(&l.url).ok();
        (l, url)
    });
    let link_line = |l: &crate::conversation::LinkButton| format!("{}: {}", l.label, l.url);
    match (&reply.keyboard, link) {
        (Some(Keyboard::Inline(rows)), link) => {
            let mut rows = inline_rows(rows);
            let mut line = None;
            match link {
                Some((_, None)) | None => line = link.map(|(l, _)| link_line(l)),
                Some((l, Some(url))) => rows.push(vec![InlineKeyboardButton::url(&l.label, url)]),
            }
            (Some(InlineKeyboardMarkup::new(rows).into()), line)
        }
        (None, Some((l, Some(url)))) => {
            let rows = vec![vec![InlineKeyboardButton::url(&l.label, url)]];
            (Some(InlineKeyboardMarkup::new(rows).into()), None)
        }
        (keyboard, link) => {
            let markup = match keyboard {
                Some(Keyboard::Reply(rows)) => Some(reply_keyboard(rows)),
                Some(Keyboard::Remove) => Some(ReplyMarkup::KeyboardRemove(KeyboardRemove::new())),
                _ => None,
            };
            (markup, link.map(|(l, _)| link_line(l)))
        }
    }
}

fn inline_rows(rows: &[Vec<Button>]) -> Vec<Vec<InlineKeyboardButton>> {
    rows.iter()
        .map(|row| {
            row.iter()
                .filter(|b| {
                    let fits = !b.data.is_empty() && b.data.len() <= MAX_CALLBACK_DATA;
                    if !fits {
                        tracing::warn!(len = b.data.len(), "a button's data does not fit Telegram");
                    }
                    fits
                })
                .map(|b| InlineKeyboardButton::callback(&b.label, &b.data))
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect()
}

fn reply_keyboard(rows: &[Vec<ReplyButton>]) -> ReplyMarkup {
    let rows: Vec<Vec<KeyboardButton>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|b| {
                    let button = KeyboardButton::new(&b.label);
                    if b.request_phone {
                        button.request(ButtonRequest::Contact)
                    } else {
                        button
                    }
                })
                .collect()
        })
        .collect();
    KeyboardMarkup::new(rows)
        .resize_keyboard()
        .one_time_keyboard()
        .into()
}

/// Escapes text for parse mode `HTML`: every user-supplied value arrives here as plain text.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Splits plain text into pieces of at most `max` UTF-16 units, preferring a paragraph break,
/// then a line break, then a space in the second half of a piece; never inside a character.
pub fn split(text: &str, max: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text.trim_end();
    while utf16_len(rest) > max {
        let mut units = 0;
        let mut cut = 0;
        for (i, c) in rest.char_indices() {
            units += c.len_utf16();
            if units > max {
                break;
            }
            cut = i + c.len_utf8();
        }
        let head = &rest[..cut];
        let floor = head.len() / 2;
        let at = ["\n\n", "\n", " "]
            .iter()
            .find_map(|sep| head.rfind(sep).filter(|&i| i > floor))
            .unwrap_or(cut);
        pieces.push(rest[..at].trim_end().to_owned());
        rest = rest[at..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest.to_owned());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::{AttachmentKind, LinkButton};

    #[test]
    fn user_values_are_escaped_for_html() {
        assert_eq!(
            escape_html("<b>Иванов & сын</b>"),
            "&lt;b&gt;Иванов &amp; сын&lt;/b&gt;"
        );
    }

    #[test]
    fn long_text_is_split_at_line_breaks_within_the_limit() {
        let line = "я".repeat(99);
        let text = vec![line.as_str(); 100].join("\n");
        let pieces = split(&text, MAX_TEXT);
        assert!(pieces.len() > 1);
        assert!(pieces.iter().all(|p| utf16_len(p) <= MAX_TEXT));
        assert!(pieces.iter().all(|p| p.split('\n').all(|l| l == line)));
        assert_eq!(pieces.join("\n"), text);
    }

    #[test]
    fn text_without_spaces_is_cut_between_characters() {
        let text = "😀".repeat(3000); // two UTF-16 units each
        let pieces = split(&text, MAX_TEXT);
        assert_eq!(pieces.len(), 2);
        assert_eq!(utf16_len(&pieces[0]), MAX_TEXT);
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn a_file_takes_a_short_text_as_its_caption() {
        let reply = Reply {
            text: "Квитанция <за ноябрь>".into(),
            attachment: Some(Attachment {
                bytes: b"%PDF".to_vec(),
                file_name: "receipt.pdf".into(),
                kind: AttachmentKind::Pdf,
            }),
            ..Reply::default()
        };
        let out = render(&reply);
        assert!(out.texts.is_empty());
        let file = out.file.unwrap();
        assert_eq!(file.caption.as_deref(), Some("Квитанция &lt;за ноябрь&gt;"));
    }

    #[test]
    fn a_link_becomes_a_url_button_under_the_inline_keyboard() {
        let reply = Reply {
            text: "Оплата".into(),
            keyboard: Some(Keyboard::Inline(vec![vec![Button {
                label: "Назад".into(),
                data: "nav:back".into(),
            }]])),
            link: Some(LinkButton {
                label: "Оплатить".into(),
                url: "https://pay.example.test/x".into(),
            }),
            ..Reply::default()
        };
        let text = editable(&reply).expect("one text with an inline keyboard");
        let Some(ReplyMarkup::InlineKeyboard(kb)) = text.markup else {
            panic!("inline keyboard")
        };
        assert_eq!(kb.inline_keyboard.len(), 2);
    }
}
