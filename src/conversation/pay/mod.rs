//! «Оплатить»: the debt per service, what to pay and how much, the payer for the fiscal
//! receipt, the consent, then a link to the bank's page.
//!
//! ```text
//! > /pay
//! < Лицевой счёт 7701000000048. К оплате: … Что оплатить?
//! < [Всё: 7 512,30 ₽] [Пени: 123,45 ₽] … [Отмена]
//! > [Пени: 123,45 ₽]            (or [Выбрать несколько…], then tick services one by one)
//! < Пени — рекомендуемая сумма 123,45 ₽. Оплатить её или ввести свою?
//! > [Оплатить 123,45 ₽]
//! < Оплата 123,45 ₽ … подтвердите согласие … [Согласен, перейти к оплате]
//! > [Согласен, перейти к оплате]
//! < Оплата 123,45 ₽ … [Оплатить картой] http://…
//! ```

pub(crate) mod amount;
mod choice;
pub(crate) mod payer;
mod text;

pub use amount::{BadAmount, parse_amount};
pub use choice::split;

use choice::{ask_amount, pick, typed_amount};
pub use text::PayText;

use payer::{ask_contact, ask_name, consent, parse_contact, payer, register};

use super::{Btn, ChatCtx, Ctx, Event, State, Turn, say, stale_button, to_menu};
use crate::accounting::account_balance;
use crate::billing::{DueDay, DueSchedule, Money, Service, suggest_payment};
use crate::contact::FullName;
use crate::store::accounts::AccountId;
use serde::{Deserialize, Serialize};

/// What the pay flow waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The debt screen: all, one service, or an advance.
    Choose { due: Vec<(Service, Money)> },
    /// Several services ticked one by one, on one message.
    Pick {
        due: Vec<(Service, Money)>,
        picked: Vec<Service>,
    },
    /// The recommended amount or one's own.
    Amount {
        due: Vec<(Service, Money)>,
        services: Vec<Service>,
    },
    /// An amount typed in.
    TypeAmount {
        due: Vec<(Service, Money)>,
        services: Vec<Service>,
    },
    /// A name for the receipt typed in.
    TypeName { draft: Draft },
    /// A phone or email for the receipt typed in.
    TypeContact { draft: Draft },
    /// The payer shown; the consent asked.
    Consent { draft: Draft },
    /// An order for these services is still open: make another?
    Pending { draft: Draft },
}

/// The order being put together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub items: Vec<(Service, Money)>,
    pub name: String,
    /// `+7…` or an email; `None` until given.
    pub contact: Option<String>,
}

mod data {
    pub const ALL: &str = "pay:all";
    pub const SERVICE: &str = "pay:s:";
    pub const ADVANCE: &str = "pay:adv";
    pub const RECOMMENDED: &str = "pay:rec";
    pub const OWN: &str = "pay:own";
    pub const BACK: &str = "pay:back";
    pub const AGREE: &str = "pay:ok";
    pub const NAME: &str = "pay:name";
    pub const CONTACT: &str = "pay:contact";
    pub const NEW: &str = "pay:new";
    pub const SEVERAL: &str = "pay:several";
    pub const TOGGLE: &str = "pay:t:";
    pub const PICKED: &str = "pay:picked";
}

fn account(chat: &ChatCtx) -> Option<&crate::store::chats::Link> {
    chat.current.as_ref()
}

/// `/pay`, «Оплатить»: the debt per service with what to pay.
pub async fn start(ctx: &Ctx, chat: &ChatCtx, _args: &str) -> Turn {
    if ctx.payments.is_none() {
        return to_menu(PayText::Unavailable);
    }
    let Some(link) = account(chat) else {
        return to_menu(super::texts::CommonText::NeedAccount);
    };
    let due_schedule =
        DueSchedule::new(DueDay::new(ctx.settings.due_day).unwrap_or(DueDay::DEFAULT));
    let balance = account_balance(
        &ctx.store,
        AccountId(link.account_id),
        ctx.today(),
        &due_schedule,
        ctx.settings.utc_offset,
    )
    .await
    .map_err(|e| super::EngineError::Internal(e.to_string()))?;
    let due = suggest_payment(&balance.balances);
    choose(ctx, chat, due)
}

fn choose(ctx: &Ctx, chat: &ChatCtx, due: Vec<(Service, Money)>) -> Turn {
    let Some(link) = account(chat) else {
        return stale_button();
    };
    if due.is_empty() {
        let text = PayText::NothingDue {
            account: link.number.to_string(),
        };
        let _ = ctx;
        return Ok((
            State::Pay(Step::TypeAmount {
                due,
                services: vec![Service::Electricity],
            }),
            vec![
                say(text).into(),
                say(PayText::AskAdvance)
                    .buttons(vec![vec![Btn::cancel()]])
                    .into(),
            ],
        ));
    }
    let total: Money = due.iter().map(|(_, m)| *m).sum();
    let lines: Vec<String> = due
        .iter()
        .map(|(s, m)| {
            ctx.i18n.render(
                chat.lang,
                &PayText::DebtLine {
                    service: s.code().to_owned(),
                    amount: *m,
                }
                .into(),
            )
        })
        .collect();
    let mut rows = vec![vec![Btn::new(
        PayText::AllButton { amount: total },
        data::ALL,
    )]];
    if due.len() > 1 {
        for (s, m) in &due {
            rows.push(vec![Btn::new(
                PayText::OneButton {
                    service: s.code().to_owned(),
                    amount: *m,
                },
                format!("{}{}", data::SERVICE, s.code()),
            )]);
        }
    }
    // With two services «several» is «all».
    if due.len() > 2 {
        rows.push(vec![Btn::new(PayText::SeveralButton, data::SEVERAL)]);
    }
    rows.push(vec![Btn::cancel()]);
    Ok((
        State::Pay(Step::Choose { due }),
        vec![
            say(PayText::Debt {
                account: link.number.to_string(),
                lines: lines.join("\n"),
                total,
            })
            .buttons(rows)
            .into(),
        ],
    ))
}

pub async fn step(ctx: &Ctx, chat: &ChatCtx, state: Step, event: Event) -> Turn {
    let Some(link) = account(chat).cloned() else {
        return to_menu(super::texts::CommonText::NeedAccount);
    };
    match (state, event) {
        (Step::Choose { due }, Event::Button(b)) => {
            let services: Vec<Service> = if b == data::ALL {
                due.iter().map(|(s, _)| *s).collect()
            } else if let Some(code) = b.strip_prefix(data::SERVICE) {
                match due.iter().find(|(s, _)| s.code() == code) {
                    Some((s, _)) => vec![*s],
                    None => return stale_button(),
                }
            } else if b == data::ADVANCE {
                vec![Service::Electricity]
            } else if b == data::SEVERAL {
                return pick(due, Vec::new());
            } else {
                return stale_button();
            };
            ask_amount(due, services)
        }
        (Step::Pick { due, mut picked }, Event::Button(b)) => {
            if let Some(code) = b.strip_prefix(data::TOGGLE) {
                let Some((service, _)) = due.iter().find(|(s, _)| s.code() == code) else {
                    return stale_button();
                };
                match picked.iter().position(|s| s == service) {
                    Some(at) => {
                        picked.remove(at);
                    }
                    None => picked.push(*service),
                }
                pick(due, picked)
            } else if b == data::PICKED && !picked.is_empty() {
                ask_amount(due, picked)
            } else if b == data::BACK {
                choose(ctx, chat, due)
            } else {
                stale_button()
            }
        }
        (Step::Pick { due, picked }, _) => {
            let (state, mut outs) = pick(due, picked)?;
            outs.insert(0, say(PayText::PressButton).into());
            Ok((state, outs))
        }
        (Step::Choose { due }, _) => {
            let (state, mut outs) = choose(ctx, chat, due)?;
            outs.insert(0, say(PayText::PressButton).into());
            Ok((state, outs))
        }
        (Step::Amount { due, services }, Event::Button(b)) => match b.as_str() {
            data::RECOMMENDED => {
                let items: Vec<(Service, Money)> = due
                    .iter()
                    .filter(|(s, _)| services.contains(s))
                    .copied()
                    .collect();
                payer(ctx, &link, items).await
            }
            data::OWN => Ok((
                State::Pay(Step::TypeAmount { due, services }),
                vec![
                    say(PayText::TypeAmount)
                        .buttons(vec![vec![Btn::back(data::BACK), Btn::cancel()]])
                        .into(),
                ],
            )),
            data::BACK => choose(ctx, chat, due),
            _ => stale_button(),
        },
        (Step::Amount { due, services }, Event::Text(t))
        | (Step::TypeAmount { due, services }, Event::Text(t)) => {
            typed_amount(ctx, &link, due, services, &t).await
        }
        (Step::TypeAmount { due, .. }, Event::Button(b)) if b == data::BACK => {
            choose(ctx, chat, due)
        }
        (Step::Amount { due, services }, _) | (Step::TypeAmount { due, services }, _) => Ok((
            State::Pay(Step::TypeAmount { due, services }),
            vec![
                say(PayText::TypeAmount)
                    .buttons(vec![vec![Btn::cancel()]])
                    .into(),
            ],
        )),
        (Step::TypeName { mut draft }, Event::Text(t)) => match FullName::parse(&t) {
            Ok(name) => {
                draft.name = name.as_str().to_owned();
                consent(ctx, &link, draft)
            }
            Err(_) => ask_name(draft, PayText::BadName),
        },
        (Step::TypeContact { mut draft }, Event::Text(t)) => match parse_contact(&t) {
            Some(contact) => {
                draft.contact = Some(contact);
                consent(ctx, &link, draft)
            }
            None => ask_contact(draft, PayText::BadContact),
        },
        (Step::TypeName { draft }, _) => ask_name(draft, PayText::TypeName),
        (Step::TypeContact { draft }, _) => ask_contact(draft, PayText::TypeContact),
        (Step::Consent { draft }, Event::Button(b)) => match b.as_str() {
            data::AGREE => {
                let services: Vec<Service> = draft.items.iter().map(|(s, _)| *s).collect();
                let pending = match &ctx.payments {
                    Some(p) => p
                        .pending_for(AccountId(link.account_id), &services)
                        .await
                        .map_err(|e| super::EngineError::Internal(e.to_string()))?,
                    None => return to_menu(PayText::Unavailable),
                };
                match pending {
                    Some(order) => Ok((
                        State::Pay(Step::Pending { draft }),
                        vec![
                            say(PayText::Pending {
                                amount: order.amount,
                                time: order
                                    .created_at
                                    .with_timezone(&ctx.settings.utc_offset)
                                    .time(),
                            })
                            .buttons(vec![vec![
                                Btn::new(PayText::NewOrderButton, data::NEW),
                                Btn::cancel(),
                            ]])
                            .into(),
                        ],
                    )),
                    None => register(ctx, chat, &link, draft).await,
                }
            }
            data::NAME => ask_name(draft, PayText::TypeName),
            data::CONTACT => ask_contact(draft, PayText::TypeContact),
            _ => stale_button(),
        },
        (Step::Consent { draft }, _) => {
            let (state, mut outs) = consent(ctx, &link, draft)?;
            outs.insert(0, say(PayText::ConsentRequired).into());
            Ok((state, outs))
        }
        (Step::Pending { draft }, Event::Button(b)) if b == data::NEW => {
            register(ctx, chat, &link, draft).await
        }
        (Step::Pending { .. }, Event::Button(_)) => stale_button(),
        (Step::Pending { draft }, _) => Ok((
            State::Pay(Step::Pending { draft }),
            vec![
                say(PayText::PressButton)
                    .buttons(vec![vec![
                        Btn::new(PayText::NewOrderButton, data::NEW),
                        Btn::cancel(),
                    ]])
                    .into(),
            ],
        )),
    }
}
