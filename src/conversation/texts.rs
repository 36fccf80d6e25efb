//! Messages every flow shares, and the registry of all message enums (for the locale tests).

use crate::i18n::{Msg, texts};

texts! {
    /// Words and answers common to every flow.
    pub enum CommonText {
        CancelButton => "button-cancel",
        MenuButton => "button-menu",
        BackButton => "button-back",
        Cancelled => "cancelled",
        NothingToCancel => "nothing-to-cancel",
        /// A section that a later release fills in.
        ComingSoon => "coming-soon",
        /// A button from an old message that the current state does not expect.
        StaleButton => "stale-button",
        /// The saved state could not be read (after a deploy).
        SessionLost => "session-lost",
        NotUnderstood => "not-understood",
        UnknownCommand => "unknown-command",
        EmptyInput => "empty-input",
        TooLong { max: usize } => "too-long",
        /// An internal error; the details go to the log only.
        Failure => "failure",
        /// Too much work queued: try again in a minute.
        Busy => "busy",
        /// Postgres or Redis is down or does not answer.
        Unavailable => "unavailable",
        /// A section that needs a linked account, asked for by an unlinked chat.
        NeedAccount => "need-account",
        /// A notice's button for an account this chat no longer holds a valid link to.
        NoticeNotLinked { account: String } => "notice-not-linked",
    }
}

/// One sample of every message the code can produce. A flow with texts of its own adds its
/// enum's `samples()` here; a test renders each in every language.
pub fn all_samples() -> Vec<Msg> {
    let mut all: Vec<Msg> = Vec::new();
    macro_rules! add {
        ($($texts:ty),* $(,)?) => {
            $(all.extend(<$texts>::samples().into_iter().map(Msg::from));)*
        };
    }
    add![
        CommonText,
        super::menu::MenuText,
        super::start::StartText,
        super::lang::LangText,
        super::help::HelpText,
        super::readings::ReadingsText,
        super::identify::IdentText,
        super::registration::RegText,
        super::login::LoginText,
        super::recovery::RecText,
        super::prove::ProveText,
        super::period::PeriodText,
        super::receipt::ReceiptText,
        crate::channels::telegram::commands::TgText,
        crate::outbox::templates::OutboxText,
        crate::outbox::templates::OutboxSubject,
        crate::outbox::templates::NoticeButton,
        crate::payments::text::PaymentText,
        super::pay::PayText,
    ];
    // Flows whose texts span several enums list them in a function of their own.
    all.extend(super::settings::samples());
    all.extend(super::accounts::samples());
    all.extend(super::history::samples());
    all
}
