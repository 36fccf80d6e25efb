//! What arrives from a chat, whatever the medium.

/// One thing the user did. Channels build these; the engine never sees Telegram types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// `/start`, with the deep-link payload if there was one (`t.me/<bot>?start=<payload>`).
    Start { payload: Option<String> },
    /// Another `/command`: its name without the slash (and without `@bot`), and the rest of the line.
    Command { name: String, args: String },
    /// A typed message.
    Text(String),
    /// An inline button pressed: its callback data.
    Button(String),
    /// A shared contact. `owner_is_sender` is true only when the contact is the sender's own.
    Contact {
        phone: String,
        owner_is_sender: bool,
    },
}

impl Event {
    /// Reads a typed line the way a chat client sends it: `/start x`, `/cmd args`, or text.
    pub fn from_line(line: &str) -> Event {
        let Some(command) = line.strip_prefix('/') else {
            return Event::Text(line.to_owned());
        };
        let (name, args) = command
            .split_once(char::is_whitespace)
            .unwrap_or((command, ""));
        let name = name.split('@').next().unwrap_or_default().to_lowercase();
        let args = args.trim();
        if name == "start" {
            let payload = (!args.is_empty()).then(|| args.to_owned());
            Event::Start { payload }
        } else {
            Event::Command {
                name,
                args: args.to_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_commands_or_text() {
        assert_eq!(
            Event::from_line("/start reg"),
            Event::Start {
                payload: Some("reg".into())
            }
        );
        assert_eq!(Event::from_line("/start"), Event::Start { payload: None });
        assert_eq!(
            Event::from_line("/Lang@KabinetBot en"),
            Event::Command {
                name: "lang".into(),
                args: "en".into()
            }
        );
        assert_eq!(Event::from_line("привет"), Event::Text("привет".into()));
    }
}
