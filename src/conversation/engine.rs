//! The engine: one event of one chat in, the replies out, the chat's state kept in between.

use super::input::{self, Rejection};
use super::merge;
use super::texts::CommonText;
use super::{
    ChatCtx, Ctx, EngineError, Event, MAX_TEXT_CHARS, Out, Reply, State, render, router, say,
};

/// What the engine answers to one event.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Answer {
    pub replies: Vec<Reply>,
    /// The user's message held a secret: delete it from the chat.
    pub forget_input: bool,
    /// The pressed message (a notice) stays as it is: the answer comes as a new message.
    pub keep_pressed: bool,
}

/// The dialogue engine. Cheap to share; every channel calls [`Engine::handle`].
pub struct Engine {
    ctx: Ctx,
}

impl Engine {
    pub fn new(ctx: Ctx) -> Engine {
        Engine { ctx }
    }

    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    /// Handles one event of a chat and returns what to show, in order.
    pub async fn handle(&self, chat_id: i64, event: Event) -> Result<Vec<Reply>, EngineError> {
        Ok(self.answer(chat_id, event).await?.replies)
    }

    /// Handles one event of a chat: what to show, in order, and whether the user's message
    /// should be deleted (it held a password).
    ///
    /// A flow's failure is logged and answered with an apology, the state staying as it was.
    /// When Postgres or Redis is down or stops answering (a turn has
    /// [`EngineSettings::turn_timeout`](super::EngineSettings) to finish), the user is told
    /// «сервис временно недоступен» — what the turn was writing is rolled back with its
    /// transaction, so nothing is half-written. Events of one chat must come one at a time
    /// (the channel serialises them).
    pub async fn answer(&self, chat_id: i64, event: Event) -> Result<Answer, EngineError> {
        let limit = self.ctx.settings.turn_timeout;
        match tokio::time::timeout(limit, self.turn(chat_id, event)).await {
            Ok(Err(error)) if error.is_outage() => {
                tracing::error!(chat_id, %error, "the store or the sessions are unavailable");
                Ok(self.unavailable())
            }
            Ok(done) => done,
            Err(_) => {
                tracing::error!(chat_id, ?limit, "a turn ran out of time; it is abandoned");
                Ok(self.unavailable())
            }
        }
    }

    /// «Сервис временно недоступен»: in Russian, since the chat's language may be what could
    /// not be read.
    fn unavailable(&self) -> Answer {
        let text = self
            .ctx
            .i18n
            .render(Default::default(), &CommonText::Unavailable.into());
        Answer {
            replies: vec![Reply {
                text,
                ..Reply::default()
            }],
            forget_input: false,
            keep_pressed: false,
        }
    }

    async fn turn(&self, chat_id: i64, event: Event) -> Result<Answer, EngineError> {
        let ctx = &self.ctx;
        let chat = ChatCtx::load(&ctx.store, chat_id).await?;
        let (saved, state, lost) = self.load_state(chat_id).await?;
        let mut outs: Vec<Out> = Vec::new();
        if lost {
            outs.push(say(CommonText::SessionLost).into());
        }
        let typed = matches!(event, Event::Text(_));
        let mut secret_lost = false;
        let turn = match input::check(event) {
            Err(rejection) => Ok((state.clone(), rejected(rejection, &state))),
            // Only a command makes sense once the question it answered is forgotten.
            Ok(Event::Text(_) | Event::Button(_) | Event::Contact { .. }) if lost => {
                Ok((State::Menu, vec![Out::Menu]))
            }
            Ok(event) => router::route(ctx, &chat, state.clone(), event).await,
        };
        let next = match turn {
            Ok((next, said)) => {
                outs.extend(said);
                next
            }
            Err(EngineError::Busy) => {
                tracing::warn!(
                    chat_id,
                    "too much password work queued; the turn is refused"
                );
                outs.push(say(CommonText::Busy).into());
                secret_lost = typed && state.takes_secrets();
                state.clone()
            }
            Err(error) => {
                tracing::error!(chat_id, %error, "a dialogue turn failed");
                outs.push(
                    say(if error.is_outage() {
                        CommonText::Unavailable
                    } else {
                        CommonText::Failure
                    })
                    .into(),
                );
                secret_lost = typed && state.takes_secrets();
                state.clone()
            }
        };
        // A password typed into a turn that failed leaves the chat all the same.
        let forget_input = secret_lost || outs.contains(&Out::ForgetInput);
        let keep_pressed = outs.contains(&Out::KeepPressed);
        outs.retain(|out| ![Out::ForgetInput, Out::KeepPressed].contains(out));
        // A turn that leaves the state as it found it writes nothing. What the flow did is
        // committed by now: if the state cannot be saved, the user still hears about it (and
        // the next message meets the outage) rather than silence that makes them repeat it.
        if (saved || next != state)
            && let Err(error) = self.save_state(chat_id, &next).await
        {
            tracing::error!(chat_id, %error, "the dialogue state was not saved after the turn");
        }
        // Only a turn that changed the chat (its language, its links) needs it again.
        let chat = if chat.changed.get() {
            ChatCtx::load(&ctx.store, chat_id).await?
        } else {
            chat
        };
        let parts = outs
            .into_iter()
            .map(|out| merge::Part {
                menu: out == Out::Menu,
                reply: render::reply(&ctx.i18n, &chat, out),
            })
            .collect();
        let replies = merge::one_message(parts);
        Ok(Answer {
            replies,
            forget_input,
            keep_pressed,
        })
    }

    /// Whether a session was saved, the state it holds, and whether it was lost because it no
    /// longer decodes.
    async fn load_state(&self, chat_id: i64) -> Result<(bool, State, bool), EngineError> {
        let Some(saved) = self.ctx.sessions.load(chat_id).await? else {
            return Ok((false, State::Menu, false));
        };
        match serde_json::from_str(&saved) {
            Ok(state) => Ok((true, state, false)),
            Err(error) => {
                tracing::warn!(chat_id, %error, "a saved dialogue state no longer decodes");
                Ok((true, State::Menu, true))
            }
        }
    }

    async fn save_state(&self, chat_id: i64, state: &State) -> Result<(), EngineError> {
        let sessions = &self.ctx.sessions;
        if *state == State::Menu {
            sessions.clear(chat_id).await?;
        } else {
            let json = serde_json::to_string(state)
                .map_err(|e| EngineError::Internal(format!("state to JSON: {e}")))?;
            sessions.save(chat_id, &json).await?;
        }
        Ok(())
    }
}

fn rejected(rejection: Rejection, state: &State) -> Vec<Out> {
    let text = match rejection {
        Rejection::Empty => CommonText::EmptyInput,
        Rejection::TooLong => CommonText::TooLong {
            max: MAX_TEXT_CHARS,
        },
    };
    let mut outs = vec![say(text).into()];
    if *state == State::Menu {
        outs.push(Out::Menu);
    }
    outs
}
