//! What the engine answers: rendered text plus what the medium should show with it.

/// One message to show, already in the chat's language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reply {
    pub text: String,
    pub keyboard: Option<Keyboard>,
    pub attachment: Option<Attachment>,
    /// A button that opens a web page (a payment form, a guide).
    pub link: Option<LinkButton>,
}

/// The keyboard shown with a message.
#[derive(Clone, Debug, PartialEq)]
pub enum Keyboard {
    /// Buttons under the message; pressing one sends its callback data (≤ 64 bytes).
    Inline(Vec<Vec<Button>>),
    /// Buttons in place of the keyboard; pressing one sends its label as text, or the
    /// user's own contact for a `request_phone` button.
    Reply(Vec<Vec<ReplyButton>>),
    /// Take away a reply keyboard shown before.
    Remove,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub data: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyButton {
    pub label: String,
    /// Asks the client to share the user's own phone number.
    pub request_phone: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkButton {
    pub label: String,
    pub url: String,
}

/// A file sent with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub bytes: Vec<u8>,
    pub file_name: String,
    pub kind: AttachmentKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
