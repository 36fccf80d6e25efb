//! The receipt as one A4 page of PDF, drawn with krilla: black on white (it prints on any
//! printer), text in the bundled DejaVu faces (subset into the file, so the text extracts),
//! the payment QR code as vector modules.

use super::draw::{Canvas, Face, Fonts};
use super::{Receipt, payment_string, text};
use krilla::Document;
use krilla::page::PageSettings;
use std::sync::OnceLock;

/// Why a receipt could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the bundled fonts do not load")]
    Fonts,
    #[error("the payment string does not fit a QR code: {0:?}")]
    Qr(fast_qr::qr::QRCodeError),
    #[error("writing the PDF: {0:?}")]
    Pdf(krilla::error::KrillaError),
}

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 40.0;
const RIGHT: f32 = PAGE_W - 40.0;
/// Right edges of the charge table's number columns: volume, rate, amount.
const COLS: [f32; 3] = [360.0, 450.0, RIGHT];
const BODY: f32 = 9.0;
const SMALL: f32 = 7.5;
const ROW: f32 = 13.0;

fn fonts() -> Result<&'static Fonts, RenderError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(Fonts::load)
        .as_ref()
        .ok_or(RenderError::Fonts)
}

/// The receipt's PDF. Pure and deterministic: the same receipt gives the same bytes.
/// Takes about 10 ms: call it off the async threads.
pub fn render(receipt: &Receipt) -> Result<Vec<u8>, RenderError> {
    let fonts = fonts()?;
    let qr = fast_qr::QRBuilder::new(payment_string(receipt))
        .ecl(fast_qr::ECL::M)
        .build()
        .map_err(RenderError::Qr)?;
    let mut document = Document::new();
    let mut page = document
        .start_page_with(PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 has a positive size"));
    {
        let mut c = Canvas::new(page.surface(), fonts);
        let mut y = header(&mut c, receipt);
        y = charges(&mut c, receipt, y + 18.0);
        y = readings(&mut c, receipt, y + 18.0);
        y = balance(&mut c, receipt, y + 18.0);
        let side = 150.0_f32;
        let top = (y + 20.0).max(PAGE_H - 40.0 - side - 20.0);
        c.rule(LEFT, RIGHT, top - 8.0, 0.8);
        c.text(
            LEFT,
            top + 6.0,
            Face::Bold,
            BODY,
            "Оплата по QR-коду в приложении банка",
        );
        c.qr(LEFT - 6.0, top + 12.0, side, qr.size, |x, y| {
            qr.data[y * qr.size + x].value()
        });
        payment_slip(&mut c, receipt, LEFT + side + 10.0, top + 26.0);
        c.surface.finish();
    }
    page.finish();
    document.finish().map_err(RenderError::Pdf)
}

/// The title, the supplier and the payer; returns the `y` below them.
fn header(c: &mut Canvas, r: &Receipt) -> f32 {
    let s = &r.supplier;
    let mut y = 56.0;
    c.text(LEFT, y, Face::Bold, 14.0, "ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ");
    let title = format!("за {}", text::month(r.period));
    c.text_right(RIGHT, y, Face::Bold, 14.0, &title);
    y += 20.0;
    c.text(
        LEFT,
        y,
        Face::Bold,
        BODY,
        &format!("Исполнитель: {}", s.name),
    );
    for line in [
        format!("ИНН {}, КПП {}", s.inn, s.kpp),
        format!(
            "Р/с {} в {}, БИК {}, к/с {}",
            s.account, s.bank, s.bic, s.corr_account
        ),
        format!("Адрес: {}", s.address),
        format!("Телефон: {}; сайт: {}", s.phone, s.site),
    ] {
        y += 11.0;
        c.text(LEFT, y, Face::Regular, SMALL + 0.5, &line);
    }
    y += 10.0;
    c.rule(LEFT, RIGHT, y, 0.8);
    y += 16.0;
    c.text(LEFT, y, Face::Regular, BODY, "Плательщик:");
    c.text(LEFT + 90.0, y, Face::Bold, 10.0, &r.holder);
    y += ROW;
    c.text(LEFT, y, Face::Regular, BODY, "Адрес:");
    c.text(LEFT + 90.0, y, Face::Regular, BODY, &r.address);
    y += ROW;
    c.text(LEFT, y, Face::Regular, BODY, "Лицевой счёт:");
    c.text(LEFT + 90.0, y, Face::Bold, 10.0, r.account.as_str());
    c.text_right(
        RIGHT,
        y,
        Face::Regular,
        BODY,
        &format!("Период: {}", text::month(r.period)),
    );
    y
}

/// A table's title and column headings; returns the `y` of the first row.
fn table_head(c: &mut Canvas, y: f32, title: &str, cols: &[(f32, &str)]) -> f32 {
    c.text(LEFT, y, Face::Bold, 10.0, title);
    let y = y + 14.0;
    for &(right, heading) in cols {
        if right <= LEFT {
            c.text(LEFT, y, Face::Bold, SMALL, heading);
        } else {
            c.text_right(right, y, Face::Bold, SMALL, heading);
        }
    }
    c.rule(LEFT, RIGHT, y + 4.0, 0.5);
    y + ROW + 2.0
}

/// The month's charges with the penalty and their total; returns the `y` below.
fn charges(c: &mut Canvas, r: &Receipt, y: f32) -> f32 {
    let heads = [
        (LEFT, "Услуга"),
        (COLS[0], "Объём, кВт·ч"),
        (COLS[1], "Тариф, ₽/кВт·ч"),
        (COLS[2], "Сумма, ₽"),
    ];
    let mut y = table_head(
        c,
        y,
        &format!("Начислено за {}", text::month(r.period)),
        &heads,
    );
    for line in &r.lines {
        let mut name = if line.is_recalculation() {
            format!(
                "Перерасчёт: {}",
                text::service(line.service, line.zone).to_lowercase()
            )
        } else {
            text::service(line.service, line.zone)
        };
        if line.estimated {
            name.push_str(" *");
        }
        c.text(LEFT, y, Face::Regular, BODY, &name);
        let volume = line.volume.map(text::number).unwrap_or_default();
        let rate = line.rate.map(text::number).unwrap_or_default();
        c.text_right(COLS[0], y, Face::Regular, BODY, &volume);
        c.text_right(COLS[1], y, Face::Regular, BODY, &rate);
        c.text_right(COLS[2], y, Face::Regular, BODY, &text::rub(line.amount));
        y += ROW;
    }
    c.text(LEFT, y, Face::Regular, BODY, "Пени (ч. 14 ст. 155 ЖК РФ)");
    c.text_right(COLS[2], y, Face::Regular, BODY, &text::rub(r.penalty));
    c.rule(LEFT, RIGHT, y + 4.0, 0.5);
    y += ROW + 2.0;
    c.text(LEFT, y, Face::Bold, BODY, "Итого начислено");
    c.text_right(COLS[2], y, Face::Bold, BODY, &text::rub(r.charged()));
    if r.has_estimates() {
        y += ROW;
        let note =
            "* объём определён расчётным путём (без показаний: по среднему или по нормативу)";
        c.text(LEFT, y, Face::Regular, SMALL, note);
    }
    y
}

/// Previous and current readings per meter and zone; returns the `y` below.
fn readings(c: &mut Canvas, r: &Receipt, y: f32) -> f32 {
    let cols = [
        (LEFT, "Счётчик № / зона"),
        (270.0, "Предыдущие"),
        (370.0, "Текущие"),
        (RIGHT, "Расход, кВт·ч"),
    ];
    let mut y = table_head(c, y, "Показания приборов учёта", &cols);
    if r.meters.is_empty() {
        c.text(LEFT, y, Face::Regular, BODY, "Приборов учёта нет");
        return y;
    }
    for m in &r.meters {
        c.text(
            LEFT,
            y,
            Face::Regular,
            BODY,
            &format!("{}, {}", m.serial, text::zone(m.zone)),
        );
        let previous = m.previous.map_or("—".to_owned(), text::number);
        let current = m.current.map_or("нет показаний *".to_owned(), text::number);
        c.text_right(270.0, y, Face::Regular, BODY, &previous);
        c.text_right(370.0, y, Face::Regular, BODY, &current);
        if let (Some(p), Some(n)) = (m.previous, m.current)
            && n >= p
        {
            c.text_right(RIGHT, y, Face::Regular, BODY, &text::number(n - p));
        }
        y += ROW;
    }
    y - ROW
}

/// Opening balance, charges, payments, total due and the due date; returns the `y` below.
fn balance(c: &mut Canvas, r: &Receipt, y: f32) -> f32 {
    let mut y = table_head(
        c,
        y,
        "Расчёт суммы к оплате",
        &[(LEFT, ""), (RIGHT, "Сумма, ₽")],
    );
    let start = text::date(r.period.first_day());
    let opening = if r.opening.is_negative() {
        (format!("Аванс на {start}"), text::rub(-r.opening))
    } else {
        (format!("Задолженность на {start}"), text::rub(r.opening))
    };
    let mut rows = vec![
        opening,
        (
            format!("Начислено за {}", text::month(r.period)),
            text::rub(r.charged()),
        ),
        (
            format!("Оплачено {}", text::in_month(r.period)),
            text::rub(r.paid()),
        ),
    ];
    for p in &r.payments {
        rows.push((
            format!("    {} ({})", text::date(p.date), source(p.source)),
            text::rub(p.amount),
        ));
    }
    for (label, amount) in rows {
        c.text(LEFT, y, Face::Regular, BODY, &label);
        c.text_right(RIGHT, y, Face::Regular, BODY, &amount);
        y += ROW;
    }
    c.rule(LEFT, RIGHT, y - 9.0, 0.5);
    y += 4.0;
    c.text(LEFT, y, Face::Bold, 12.0, "ИТОГО К ОПЛАТЕ");
    c.text_right(
        RIGHT,
        y,
        Face::Bold,
        12.0,
        &format!("{} ₽", text::rub(r.total_due())),
    );
    y += 16.0;
    c.text(
        LEFT,
        y,
        Face::Bold,
        BODY,
        &format!("Оплатить до {}", text::date(r.due_date)),
    );
    if r.closing().is_negative() {
        let next = text::date(r.period.next().first_day());
        let advance = format!("Аванс на {next}: {} ₽", text::rub(-r.closing()));
        c.text_right(RIGHT, y, Face::Regular, BODY, &advance);
    }
    y
}

/// What the QR code pays, beside it in words.
fn payment_slip(c: &mut Canvas, r: &Receipt, x: f32, y: f32) {
    let lines = [
        (Face::Regular, format!("Получатель: {}", r.supplier.name)),
        (Face::Regular, format!("Лицевой счёт: {}", r.account)),
        (Face::Regular, format!("Плательщик: {}", r.holder)),
        (Face::Regular, format!("Период: {}", text::month(r.period))),
        (
            Face::Bold,
            format!("К оплате: {} ₽", text::rub(r.total_due())),
        ),
        (
            Face::Regular,
            format!("в т. ч. пени: {} ₽", text::rub(r.penalty)),
        ),
        (
            Face::Bold,
            format!("Срок оплаты: до {}", text::date(r.due_date)),
        ),
    ];
    let mut y = y;
    for (face, line) in lines {
        c.text(x, y, face, BODY, &line);
        y += ROW + 1.0;
    }
    let note = "Отсканируйте код в приложении банка: реквизиты и сумма заполнятся сами.";
    c.text(x, y + 4.0, Face::Regular, SMALL, note);
}

fn source(s: crate::store::payments::PaymentSource) -> &'static str {
    use crate::store::payments::PaymentSource::*;
    match s {
        Card => "картой",
        Bank => "через банк",
        Cash => "в кассе",
        Post => "почтой",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::sample;

    #[test]
    fn a_receipt_is_one_small_pdf_and_the_same_receipt_gives_the_same_bytes() {
        let r = sample::receipt();
        let pdf = render(&r).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 100 * 1024, "{} bytes", pdf.len());
        assert_eq!(render(&r).unwrap(), pdf);
    }
}
