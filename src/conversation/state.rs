//! The dialogue state of a chat: at the menu, or inside one flow at one step.

use super::{
    accounts, help, history, lang, login, pay, readings, receipt, recovery, registration, settings,
};
use serde::{Deserialize, Serialize};

/// What the bot waits for from a chat. Saved as JSON in the session store between messages;
/// a saved state that no longer decodes sends the chat back to the menu.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "flow", content = "step", rename_all = "snake_case")]
pub enum State {
    /// No question pending: the chat is at the main menu.
    #[default]
    Menu,
    Help(help::Step),
    Lang(lang::Step),
    Registration(registration::Step),
    Login(login::Step),
    Recovery(recovery::Step),
    Readings(readings::Step),
    Settings(settings::Step),
    Accounts(accounts::Step),
    Pay(pay::Step),
    History(history::Step),
    Receipt(receipt::Step),
}

impl State {
    /// Whether a message typed in this state may be a password: it is deleted from the chat
    /// even when the turn fails before a flow could say so.
    pub fn takes_secrets(&self) -> bool {
        use super::prove::Step::Choose;
        matches!(
            self,
            State::Login(login::Step::AskPassword { .. })
                | State::Settings(settings::Step::Password(_))
                | State::Registration(registration::Step::Prove(Choose { .. }))
                | State::Accounts(accounts::Step::Renew(Choose { .. }))
                | State::Settings(settings::Step::Email(settings::email::Step::StepUp {
                    proof: Choose { .. },
                    ..
                }))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_saved_as_tagged_json() {
        let json = serde_json::to_string(&State::Help(help::Step::Topics)).unwrap();
        assert_eq!(json, r#"{"flow":"help","step":"topics"}"#);
        assert_eq!(
            serde_json::to_string(&State::Menu).unwrap(),
            r#"{"flow":"menu"}"#
        );
        assert_eq!(
            serde_json::from_str::<State>(&json).unwrap(),
            State::Help(help::Step::Topics)
        );
    }

    #[test]
    fn password_questions_take_secrets_and_others_do_not() {
        let account = crate::billing::AccountNumber::parse("7701000000062").unwrap();
        assert!(
            State::Login(login::Step::AskPassword {
                account: account.clone()
            })
            .takes_secrets()
        );
        assert!(
            State::Registration(registration::Step::Prove(
                super::super::prove::Step::Choose { account }
            ))
            .takes_secrets()
        );
        assert!(!State::Login(login::Step::AskAccount).takes_secrets());
        assert!(!State::Menu.takes_secrets());
    }

    #[test]
    fn a_state_of_an_unknown_flow_does_not_decode() {
        assert!(serde_json::from_str::<State>(r#"{"flow":"gone","step":"x"}"#).is_err());
    }
}
