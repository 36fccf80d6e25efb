//! What the engine answers: rendered text plus what the medium should show with it. Replies
//! serialize (files as base64) so that a channel can keep a turn's answer until it is sent.

use serde::{Deserialize, Serialize};

/// One message to show, already in the chat's language.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    pub keyboard: Option<Keyboard>,
    pub attachment: Option<Attachment>,
    /// A button that opens a web page (a payment form, a guide).
    pub link: Option<LinkButton>,
}

/// The keyboard shown with a message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Keyboard {
    /// Buttons under the message; pressing one sends its callback data (≤ 64 bytes).
    Inline(Vec<Vec<Button>>),
    /// Buttons in place of the keyboard; pressing one sends its label as text, or the
    /// user's own contact for a `request_phone` button.
    Reply(Vec<Vec<ReplyButton>>),
    /// Take away a reply keyboard shown before.
    Remove,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub data: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyButton {
    pub label: String,
    /// Asks the client to share the user's own phone number.
    pub request_phone: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkButton {
    pub label: String,
    pub url: String,
}

/// A file sent with a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    #[serde(with = "base64_bytes")]
    pub bytes: Vec<u8>,
    pub file_name: String,
    pub kind: AttachmentKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttachmentKind {
    Pdf,
    Png,
    /// A table to download (a history): sent as a document, not shown inline.
    Csv,
}

impl Reply {
    /// Every button label with what pressing it sends, for text channels and scripts.
    pub fn buttons(&self) -> Vec<(String, Press)> {
        match &self.keyboard {
            Some(Keyboard::Inline(rows)) => rows
                .iter()
                .flatten()
                .map(|b| (b.label.clone(), Press::Data(b.data.clone())))
                .collect(),
            Some(Keyboard::Reply(rows)) => rows
                .iter()
                .flatten()
                .map(|b| {
                    let press = if b.request_phone {
                        Press::OwnContact
                    } else {
                        Press::Text(b.label.clone())
                    };
                    (b.label.clone(), press)
                })
                .collect(),
            Some(Keyboard::Remove) | None => Vec::new(),
        }
    }

    /// The buttons as one line, `[A] [B]`, if there are any.
    pub fn buttons_line(&self) -> Option<String> {
        let labels: Vec<String> = self
            .buttons()
            .into_iter()
            .map(|(label, _)| format!("[{label}]"))
            .collect();
        (!labels.is_empty()).then(|| labels.join(" "))
    }

    /// The reply as plain lines: its text, its buttons `[A] [B]`, its link `[Label] url`
    /// and the name of its attachment.
    pub fn transcript(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.text.lines().map(str::to_owned).collect();
        lines.extend(self.buttons_line());
        if let Some(link) = &self.link {
            lines.push(format!("[{}] {}", link.label, link.url));
        }
        if let Some(file) = &self.attachment {
            lines.push(format!("📎 {}", file.file_name));
        }
        lines
    }
}

/// What pressing a button sends back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    Data(String),
    Text(String),
    OwnContact,
}

/// File bytes as one base64 string in JSON, not an array of numbers.
mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text).map_err(serde::de::Error::custom)
    }
}
