//! The small Russian pages the payer lands on after the bank's page.

use crate::billing::Money;
use crate::payments::sandbox::esc;
use crate::store::payment_orders::Order;

fn page(title: &str, body: &str, bot: Option<&str>) -> String {
    let back = match bot {
        Some(url) => format!(
            "<p><a id=\"back\" href=\"{}\" style=\"display:inline-block;padding:10px 16px;\
             background:#2a7ae2;color:#fff;text-decoration:none;border-radius:6px\">\
             Вернуться в бот</a></p>",
            esc(url)
        ),
        None => "<p>Вернитесь в чат с ботом.</p>".to_owned(),
    };
    format!(
        "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><h1 id=\"title\">{title}</h1>{body}{back}</body></html>",
        title = esc(title)
    )
}

fn details(order: &Order, amount: Money) -> String {
    format!(
        "<p>Сумма: <b id=\"amount\">{}</b></p><p>Лицевой счёт: <b id=\"account\">{}</b></p>",
        esc(&amount.to_string()),
        esc(&order.account_number)
    )
}

/// «Оплата прошла успешно».
pub fn paid(order: &Order, amount: Money, bot: Option<&str>) -> String {
    page(
        "Оплата прошла успешно",
        &format!(
            "{}<p>Платёж зачислен на лицевой счёт. Бот пришлёт сообщение с новым балансом.</p>",
            details(order, amount)
        ),
        bot,
    )
}

/// «Оплата не прошла».
pub fn declined(order: &Order, bot: Option<&str>) -> String {
    page(
        "Оплата не прошла",
        &format!(
            "{}<p>Деньги не списаны. Попробуйте ещё раз из бота или другой картой.</p>",
            details(order, order.amount)
        ),
        bot,
    )
}

/// Not confirmed yet (still in progress, or the gateway did not answer).
pub fn later(order: Option<&Order>, bot: Option<&str>) -> String {
    let details = order.map(|o| details(o, o.amount)).unwrap_or_default();
    page(
        "Платёж обрабатывается",
        &format!(
            "{details}<p>Банк ещё не подтвердил оплату. Как только подтвердит, платёж будет \
             зачислен, а бот пришлёт сообщение. Обычно это минута, иногда до суток; \
             платить повторно не нужно.</p>"
        ),
        bot,
    )
}

/// No such order.
pub fn unknown() -> String {
    page(
        "Заказ не найден",
        "<p>Такой оплаты мы не нашли. Если деньги списаны, обратитесь в контакт-центр.</p>",
        None,
    )
}
