//! The first check of every event: untrusted text is cleaned, and empty or oversized
//! messages are answered here, before any flow sees them.

use super::Event;

/// The longest text a flow gets; longer messages are refused as a whole, never cut.
pub const MAX_TEXT_CHARS: usize = 1000;

/// Why a message was refused before reaching a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejection {
    Empty,
    TooLong,
}

/// Cleans the text of an event: control characters (but line breaks) and invisible
/// formatting marks go, surrounding spaces go.
pub fn check(event: Event) -> Result<Event, Rejection> {
    match event {
        Event::Text(text) => {
            let text = clean(&text);
            if text.is_empty() {
                Err(Rejection::Empty)
            } else if text.chars().count() > MAX_TEXT_CHARS {
                Err(Rejection::TooLong)
            } else {
                Ok(Event::Text(text))
            }
        }
        Event::Command { name, args } => {
            let args = clean(&args);
            if args.chars().count() > MAX_TEXT_CHARS {
                return Err(Rejection::TooLong);
            }
            Ok(Event::Command { name, args })
        }
        Event::Start { payload } => Ok(Event::Start {
            payload: payload.map(|p| clean(&p)).filter(|p| !p.is_empty()),
        }),
        Event::Contact {
            phone,
            owner_is_sender,
        } => Ok(Event::Contact {
            phone: clean(&phone),
            owner_is_sender,
        }),
        button @ Event::Button(_) => Ok(button),
    }
}

fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || !(c.is_control() || is_invisible(c)))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Zero-width and bidirectional marks: they make equal-looking texts differ.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_invisible_marks_are_dropped() {
        assert_eq!(
            check(Event::Text("\u{7}при\u{200b}вет\u{1b}[0m \n".into())),
            Ok(Event::Text("привет[0m".into()))
        );
    }

    #[test]
    fn empty_and_oversized_texts_are_refused() {
        assert_eq!(
            check(Event::Text(" \u{0}\t ".into())),
            Err(Rejection::Empty)
        );
        let huge = "я".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(check(Event::Text(huge)), Err(Rejection::TooLong));
        let fits = "😀".repeat(MAX_TEXT_CHARS);
        assert!(check(Event::Text(fits)).is_ok());
    }
}
