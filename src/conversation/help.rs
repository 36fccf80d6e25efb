//! Help: the guide (PDF, video), refunds, personal data, offices. Links come from settings,
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
        Guide { pdf: String, video: String } => "help-guide",
        Refund => "help-refund",
        Privacy { url: String } => "help-privacy",
        Offices => "help-offices",
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
}

impl Topic {
    const ALL: [Topic; 4] = [Topic::Guide, Topic::Refund, Topic::Privacy, Topic::Offices];

    fn data(self) -> &'static str {
        match self {
            Topic::Guide => "help:guide",
            Topic::Refund => "help:refund",
            Topic::Privacy => "help:privacy",
            Topic::Offices => "help:offices",
        }
    }

    fn button(self) -> Btn {
        let label = match self {
            Topic::Guide => HelpText::GuideButton,
            Topic::Refund => HelpText::RefundButton,
            Topic::Privacy => HelpText::PrivacyButton,
            Topic::Offices => HelpText::OfficesButton,
        };
        Btn::new(label, self.data())
    }

    fn text(self, ctx: &Ctx) -> HelpText {
        let links = &ctx.settings.links;
        match self {
            Topic::Guide => HelpText::Guide {
                pdf: links.guide_pdf.clone(),
                video: links.guide_video.clone(),
            },
            Topic::Refund => HelpText::Refund,
            Topic::Privacy => HelpText::Privacy {
                url: links.privacy_policy.clone(),
            },
            Topic::Offices => HelpText::Offices,
        }
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
