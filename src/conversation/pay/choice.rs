//! What to pay and how much: services ticked one by one, the recommended amount, or one's own
//! amount spread over the chosen services.

use super::payer::payer;
use super::{BadAmount, PayText, Step, data, parse_amount};
use crate::billing::{ALLOCATION_ORDER, Money, Service};
use crate::conversation::{Btn, Ctx, State, Turn, say};

/// The services as ticks, what is ticked so far and its sum; each tap edits this message.
pub(super) fn pick(due: Vec<(Service, Money)>, picked: Vec<Service>) -> Turn {
    let total: Money = due
        .iter()
        .filter(|(s, _)| picked.contains(s))
        .map(|(_, m)| *m)
        .sum();
    let mut rows: Vec<Vec<Btn>> = due
        .iter()
        .map(|(s, m)| {
            vec![Btn::new(
                PayText::PickItem {
                    picked: if picked.contains(s) { "yes" } else { "no" }.to_owned(),
                    service: s.code().to_owned(),
                    amount: *m,
                },
                format!("{}{}", data::TOGGLE, s.code()),
            )]
        })
        .collect();
    if !picked.is_empty() {
        rows.push(vec![Btn::new(
            PayText::PayPickedButton { amount: total },
            data::PICKED,
        )]);
    }
    rows.push(vec![Btn::back(data::BACK), Btn::cancel()]);
    Ok((
        State::Pay(Step::Pick { due, picked }),
        vec![say(PayText::Pick { amount: total }).buttons(rows).into()],
    ))
}

pub(super) fn ask_amount(due: Vec<(Service, Money)>, services: Vec<Service>) -> Turn {
    let recommended: Money = due
        .iter()
        .filter(|(s, _)| services.contains(s))
        .map(|(_, m)| *m)
        .sum();
    if recommended.is_zero() {
        return Ok((
            State::Pay(Step::TypeAmount { due, services }),
            vec![
                say(PayText::AskAdvance)
                    .buttons(vec![vec![Btn::cancel()]])
                    .into(),
            ],
        ));
    }
    let text = match services.as_slice() {
        [one] if due.len() > 1 => PayText::AskAmount {
            service: one.code().to_owned(),
            amount: recommended,
        },
        _ => PayText::AskAmountAll {
            amount: recommended,
        },
    };
    Ok((
        State::Pay(Step::Amount { due, services }),
        vec![
            say(text)
                .buttons(vec![
                    vec![Btn::new(
                        PayText::RecommendedButton {
                            amount: recommended,
                        },
                        data::RECOMMENDED,
                    )],
                    vec![Btn::new(PayText::OwnAmountButton, data::OWN)],
                    vec![Btn::back(data::BACK), Btn::cancel()],
                ])
                .into(),
        ],
    ))
}

pub(super) async fn typed_amount(
    ctx: &Ctx,
    link: &crate::store::chats::Link,
    due: Vec<(Service, Money)>,
    services: Vec<Service>,
    text: &str,
) -> Turn {
    let max = ctx
        .payments
        .as_ref()
        .map(|p| p.settings().max_amount)
        .unwrap_or(Money::ZERO);
    match parse_amount(text, max) {
        Ok(amount) => {
            let items = split(&due, &services, amount);
            payer(ctx, link, items).await
        }
        Err(bad) => {
            let why = match bad {
                BadAmount::NotANumber => PayText::AmountNotNumber,
                BadAmount::Zero => PayText::AmountZero,
                BadAmount::Negative => PayText::AmountNegative,
                BadAmount::Kopecks => PayText::AmountKopecks,
                BadAmount::TooLarge => PayText::AmountTooLarge { max },
            };
            Ok((
                State::Pay(Step::TypeAmount { due, services }),
                vec![say(why).buttons(vec![vec![Btn::cancel()]]).into()],
            ))
        }
    }
}

/// An own amount over the chosen services: their debts in the allocation order, what is left
/// over to the first of them (an advance for it).
pub fn split(
    due: &[(Service, Money)],
    services: &[Service],
    amount: Money,
) -> Vec<(Service, Money)> {
    let mut left = amount;
    let mut items: Vec<(Service, Money)> = Vec::new();
    for service in ALLOCATION_ORDER.iter().filter(|s| services.contains(s)) {
        let owed = due
            .iter()
            .find(|(s, _)| s == service)
            .map_or(Money::ZERO, |(_, m)| *m);
        let part = owed.min(left);
        if part.is_positive() {
            items.push((*service, part));
            left = left - part;
        }
    }
    if left.is_positive() {
        let first = ALLOCATION_ORDER
            .into_iter()
            .find(|s| services.contains(s))
            .unwrap_or(Service::Electricity);
        match items.iter_mut().find(|(s, _)| *s == first) {
            Some(item) => item.1 = item.1 + left,
            None => items.insert(0, (first, left)),
        }
    }
    items
}
