//! Assembles the engine from the settings: one place shared by every channel and the CLI.

use crate::clock::{Clock, SystemClock};
use crate::config::Settings;
use crate::conversation::{Ctx, Engine, EngineSettings};
use crate::i18n::{I18n, LoadError};
use crate::payments::Payments;
use crate::sessions::{MemorySessions, RedisSessions, SessionError, SessionStore};
use crate::store::Store;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("loading the texts: {0}")]
    Texts(#[from] LoadError),
    #[error("connecting to Redis: {0}")]
    Sessions(#[from] SessionError),
}

/// The engine settings that follow from the process settings.
pub fn engine_settings(settings: &Settings) -> EngineSettings {
    let mut engine = EngineSettings {
        reading_window: settings.reading_window,
        due_day: settings.payment_due_day,
        utc_offset: settings.time_zone.offset(),
        sms_delivers: settings.outbox.sms_gateway.is_some(),
        company: settings.company.clone(),
        ..EngineSettings::default()
    };
    engine.links.user_agreement = settings.pay.agreement_url.clone();
    engine
}

/// Sessions in Redis when REDIS_URL is set, else in this process's memory.
pub async fn sessions(
    settings: &Settings,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn SessionStore>, AppError> {
    Ok(match &settings.redis_url {
        Some(url) => Arc::new(RedisSessions::new(
            crate::sessions::redis_manager(url.expose(), settings.redis_timeout).await?,
            &settings.redis_prefix,
            settings.session_ttl,
        )),
        None => Arc::new(MemorySessions::new(settings.session_ttl, clock)),
    })
}

/// The conversation engine over `store`, on the system clock.
pub async fn engine(store: Store, settings: &Settings) -> Result<Engine, AppError> {
    engine_with(store, settings, engine_settings(settings), None).await
}

/// The engine with card payments through `payments`.
pub async fn engine_paying(
    store: Store,
    settings: &Settings,
    payments: Payments,
    terminal: bool,
) -> Result<Engine, AppError> {
    let mut engine_settings = engine_settings(settings);
    engine_settings.sms_delivers |= terminal;
    engine_with(store, settings, engine_settings, Some(payments)).await
}

/// The engine of the terminal chat: SMS and emails are printed into the chat, so a code
/// always reaches the person at the terminal.
pub async fn chat_engine(store: Store, settings: &Settings) -> Result<Engine, AppError> {
    let engine_settings = EngineSettings {
        sms_delivers: true,
        ..engine_settings(settings)
    };
    engine_with(store, settings, engine_settings, None).await
}

async fn engine_with(
    store: Store,
    settings: &Settings,
    engine_settings: EngineSettings,
    payments: Option<Payments>,
) -> Result<Engine, AppError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    Ok(Engine::new(Ctx {
        store,
        settings: engine_settings,
        sessions: sessions(settings, clock.clone()).await?,
        i18n: Arc::new(I18n::new()?),
        clock,
        payments,
    }))
}
