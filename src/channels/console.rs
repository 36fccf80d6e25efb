//! `kabinet chat`: the engine in a terminal, interactive or scripted.
//!
//! One line is one user message. `[Label]` presses the button with that label (from the
//! latest keyboard that has it), `/contact +79991234567` shares the sender's own contact,
//! `/othercontact +7…` shares someone else's; anything else is sent as typed (`/start`,
//! `/lang en`, text). Replies print as text, buttons as `[Label]`, links as `[Label] url`,
//! and attachments as the path of the file they were saved to. When the input is not a
//! terminal, the transcript reads like a dialogue script: `> ` before what the user sent,
//! `< ` before what the bot answered. SMS and emails the turn queued are printed after its
//! replies (`[SMS → +7 903 ***-**-17] …`, see [`mailbox`]), so a code reaches the person at
//! the terminal.

pub mod mailbox;

use crate::conversation::{Engine, Event, Press, Reply};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

/// The chat id of the terminal session (never a Telegram chat's id).
pub const CONSOLE_CHAT_ID: i64 = 0;

/// Where the terminal chat runs.
#[derive(Clone, Debug)]
pub struct ConsoleOptions {
    pub chat_id: i64,
    /// Where attachments are saved.
    pub files_dir: PathBuf,
}

impl Default for ConsoleOptions {
    fn default() -> ConsoleOptions {
        ConsoleOptions {
            chat_id: CONSOLE_CHAT_ID,
            files_dir: std::env::temp_dir().join("kabinet-chat"),
        }
    }
}

/// Runs the chat with the default options until the input ends.
pub async fn run(
    engine: &Engine,
    input: impl BufRead,
    output: impl Write,
    interactive: bool,
) -> io::Result<()> {
    run_with(
        engine,
        &ConsoleOptions::default(),
        input,
        output,
        interactive,
    )
    .await
}

/// Runs the chat until the input ends. Reading is blocking: this is a terminal tool.
pub async fn run_with(
    engine: &Engine,
    options: &ConsoleOptions,
    mut input: impl BufRead,
    mut output: impl Write,
    interactive: bool,
) -> io::Result<()> {
    let (said, answered) = if interactive { ("", "") } else { ("> ", "< ") };
    if interactive {
        writeln!(output, "Kabinet chat. /start to begin, Ctrl-D to quit.")?;
    }
    // Buttons seen so far, newest first: an old button can still be pressed, as in a chat.
    let mut seen: Vec<(String, Press)> = Vec::new();
    let ctx = engine.ctx();
    let mut mailbox = mailbox::Mailbox::open(&ctx.store, options.chat_id)
        .await
        .map_err(io::Error::other)?;
    let mut raw = Vec::new();
    loop {
        if interactive {
            write!(output, "> ")?;
            output.flush()?;
        }
        raw.clear();
        if input.read_until(b'\n', &mut raw)? == 0 {
            return Ok(());
        }
        let line = String::from_utf8_lossy(&raw);
        let line = line.trim_end_matches(['\n', '\r']);
        if interactive && line.trim().is_empty() {
            continue;
        }
        if !interactive {
            writeln!(output, "{said}{line}")?;
        }
        let event = match parse_line(line, &seen) {
            Ok(event) => event,
            Err(note) => {
                writeln!(output, "({note})")?;
                continue;
            }
        };
        match engine.handle(options.chat_id, event).await {
            Ok(replies) => {
                for reply in &replies {
                    print_reply(&mut output, reply, answered, &options.files_dir)?;
                    if interactive {
                        writeln!(output)?;
                    }
                }
                remember_buttons(&mut seen, &replies);
            }
            Err(error) => writeln!(output, "(error: {error})")?,
        }
        match mailbox.collect(&ctx.store, &ctx.i18n).await {
            Ok(notices) => {
                for notice in &notices {
                    print_reply(&mut output, notice, answered, &options.files_dir)?;
                }
                remember_buttons(&mut seen, &notices);
            }
            Err(error) => writeln!(output, "(the outbox cannot be read: {error})")?,
        }
    }
}

/// Reads one typed line: `[Label]` presses the newest button of that label in `seen`,
/// `/contact` and `/othercontact` share a contact, anything else goes as typed.
/// An error is a note for the user (no such button).
pub fn parse_line(line: &str, seen: &[(String, Press)]) -> Result<Event, String> {
    let trimmed = line.trim();
    if let Some(phone) = trimmed.strip_prefix("/contact ") {
        return Ok(contact(phone, true));
    }
    if let Some(phone) = trimmed.strip_prefix("/othercontact ") {
        return Ok(contact(phone, false));
    }
    if let Some(label) = trimmed.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
        return match seen.iter().find(|(l, _)| l == label) {
            Some((_, Press::Data(data))) => Ok(Event::Button(data.clone())),
            Some((_, Press::Text(text))) => Ok(Event::Text(text.clone())),
            Some((_, Press::OwnContact)) => {
                Err("to share your phone, type /contact +79991234567".into())
            }
            None => Err(format!("no button [{label}]")),
        };
    }
    Ok(Event::from_line(line))
}

/// Puts the buttons of `replies` in front of those seen before (newest first).
pub fn remember_buttons(seen: &mut Vec<(String, Press)>, replies: &[Reply]) {
    let newest: Vec<(String, Press)> = replies
        .iter()
        .rev()
        .flat_map(|r| r.buttons().into_iter().rev())
        .collect();
    seen.splice(0..0, newest);
    // Old keyboards stay pressable for a while, as in a chat window.
    seen.truncate(200);
}

fn contact(phone: &str, owner_is_sender: bool) -> Event {
    Event::Contact {
        phone: phone.trim().to_owned(),
        owner_is_sender,
    }
}

fn print_reply(
    out: &mut impl Write,
    reply: &Reply,
    prefix: &str,
    files_dir: &Path,
) -> io::Result<()> {
    for line in reply.text.lines() {
        writeln!(out, "{prefix}{line}")?;
    }
    if let Some(buttons) = reply.buttons_line() {
        writeln!(out, "{prefix}{buttons}")?;
    }
    if let Some(link) = &reply.link {
        writeln!(out, "{prefix}[{}] {}", link.label, link.url)?;
    }
    if let Some(file) = &reply.attachment {
        std::fs::create_dir_all(files_dir)?;
        // Only the name's last component: a name never chooses the directory.
        let name = Path::new(&file.file_name)
            .file_name()
            .map_or_else(|| "attachment".into(), |n| n.to_string_lossy().into_owned());
        let path = files_dir.join(name);
        std::fs::write(&path, &file.bytes)?;
        writeln!(out, "{prefix}📎 {}", path.display())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::{Attachment, AttachmentKind, Button, Keyboard, LinkButton};

    #[test]
    fn an_attachment_is_saved_under_its_own_name_only() {
        let dir = std::env::temp_dir().join(format!("kabinet-console-{}", rand::random::<u64>()));
        let reply = Reply {
            text: "Квитанция за ноябрь".into(),
            keyboard: Some(Keyboard::Inline(vec![vec![Button {
                label: "Меню".into(),
                data: "nav:menu".into(),
            }]])),
            attachment: Some(Attachment {
                bytes: b"%PDF".to_vec(),
                file_name: "../../etc/receipt.pdf".into(),
                kind: AttachmentKind::Pdf,
            }),
            link: Some(LinkButton {
                label: "Оплатить".into(),
                url: "https://pay.example/1".into(),
            }),
        };
        let mut out = Vec::new();
        print_reply(&mut out, &reply, "< ", &dir).unwrap();
        let saved = dir.join("receipt.pdf");
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            format!(
                "< Квитанция за ноябрь\n< [Меню]\n< [Оплатить] https://pay.example/1\n< 📎 {}\n",
                saved.display()
            )
        );
        assert_eq!(std::fs::read(&saved).unwrap(), b"%PDF");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_label_presses_the_newest_button_with_it() {
        let seen = vec![
            ("Меню".to_owned(), Press::Data("nav:menu".into())),
            ("Меню".to_owned(), Press::Data("old".into())),
            ("Телефон".to_owned(), Press::OwnContact),
        ];
        assert_eq!(
            parse_line("[Меню]", &seen),
            Ok(Event::Button("nav:menu".into()))
        );
        assert!(parse_line("[Телефон]", &seen).is_err());
        assert_eq!(
            parse_line("/othercontact +79990000000", &seen),
            Ok(Event::Contact {
                phone: "+79990000000".into(),
                owner_is_sender: false
            })
        );
    }
}
