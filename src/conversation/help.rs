//! Help: the guide (PDF, video), refunds, personal data, offices, payment security. Links,
//! offices and company details come from settings,
//! texts from `locales/*/help.ftl`.

use super::{Btn, ChatCtx, Ctx, Event, State, Turn, say, stale_button};
use crate::i18n::{Msg, texts};
use serde::{Deserialize, Serialize};

texts! {
    /// What the help flow says.
    pub enum HelpText {
        Topics => "help-topics",
        PickTopic => "help-pick-topic",
        GuideButton => "help-guide-button",
        RefundButton => "help-refund-button",
        PrivacyButton => "help-privacy-button",
        OfficesButton => "help-offices-button",
        SecurityButton => "help-security-button",
        Guide { pdf: String, video: String } => "help-guide",
        Refund => "help-refund",
        Privacy { url: String } => "help-privacy",
        Offices { offices: String, phone: String } => "help-offices",
        Security { company: String, inn: String, bank: String, bic: String, account: String } => "help-security",
    }
}

/// What the help flow waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A topic button.
    Topics,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Topic {
    Guide,
    Refund,
    Privacy,
    Offices,
    Security,
}

impl Topic {
    const ALL: [Topic; 5] = [
        Topic::Guide,
        Topic::Refund,
        Topic::Privacy,
        Topic::Offices,
        Topic::Security,
    ];

    fn data(self) -> &'static str {
        match self {
            Topic::Guide => "help:guide",
            Topic::Refund => "help:refund",
            Topic::Privacy => "help:privacy",
            Topic::Offices => "help:offices",
            Topic::Security => "help:security",
        }
    }

    fn button(self) -> Btn {
        let label = match self {
            Topic::Guide => HelpText::GuideButton,
            Topic::Refund => HelpText::RefundButton,
            Topic::Privacy => HelpText::PrivacyButton,
            Topic::Offices => HelpText::OfficesButton,
            Topic::Security => HelpText::SecurityButton,
        };
        Btn::new(label, self.data())
    }

    fn text(self, ctx: &Ctx) -> HelpText {
        let links = &ctx.settings.links;
        let company = &ctx.settings.company;
        match self {
            Topic::Guide => HelpText::Guide {
                pdf: links.guide_pdf.clone(),
                video: links.guide_video.clone(),
            },
            Topic::Refund => HelpText::Refund,
            Topic::Privacy => HelpText::Privacy {
                url: links.privacy_policy.clone(),
            },
            Topic::Offices => offices(ctx),
            Topic::Security => HelpText::Security {
                company: company.name.clone(),
                inn: company.inn.clone(),
                bank: company.bank.clone(),
                bic: company.bic.clone(),
                account: company.account.clone(),
            },
        }
    }
}

/// The offices with their hours and the contact center, from the settings.
pub fn offices(ctx: &Ctx) -> HelpText {
    let company = &ctx.settings.company;
    HelpText::Offices {
        offices: company
            .offices
            .iter()
            .map(|o| format!("• {o}"))
            .collect::<Vec<_>>()
            .join("\n"),
        phone: company.phone.clone(),
    }
}

pub async fn start(_ctx: &Ctx, _chat: &ChatCtx, _args: &str) -> Turn {
    topics(HelpText::Topics)
}

pub async fn step(ctx: &Ctx, _chat: &ChatCtx, state: Step, event: Event) -> Turn {
    match (state, event) {
        (Step::Topics, Event::Button(data)) => {
            match Topic::ALL.into_iter().find(|t| t.data() == data) {
                Some(topic) => topics(topic.text(ctx)),
                None => stale_button(),
            }
        }
        (Step::Topics, _) => topics(HelpText::PickTopic),
    }
}

/// Says `text` with the topic buttons under it, so another topic is one press away.
fn topics(text: impl Into<Msg>) -> Turn {
    let mut rows: Vec<Vec<Btn>> = Topic::ALL
        .chunks(2)
        .map(|pair| pair.iter().map(|t| t.button()).collect())
        .collect();
    rows.push(vec![Btn::menu()]);
    Ok((
        State::Help(Step::Topics),
        vec![say(text).buttons(rows).into()],
    ))
}
