//! Words and numbers as the receipt prints them, and the width of a string in a font (for
//! right-aligned columns: krilla places text but does not measure it).

use crate::billing::{Money, Period, Service, Zone};
use rust_decimal::Decimal;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// Measures strings in one font.
pub struct Measure<'a> {
    font: FontRef<'a>,
    metrics: skrifa::metrics::GlyphMetrics<'a>,
    charmap: skrifa::charmap::Charmap<'a>,
    units_per_em: f32,
}

impl<'a> Measure<'a> {
    /// `None` when the bytes are not a font.
    pub fn new(bytes: &'a [u8]) -> Option<Measure<'a>> {
        let font = FontRef::new(bytes).ok()?;
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        let charmap = font.charmap();
        Some(Measure {
            font,
            metrics,
            charmap,
            units_per_em,
        })
    }

    /// The advance width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let _ = &self.font;
        let units: f32 = text
            .chars()
            .map(|c| {
                let glyph = self.charmap.map(c).unwrap_or_default();
                self.metrics.advance_width(glyph).unwrap_or(0.0)
            })
            .sum();
        units * size / self.units_per_em
    }

    /// Whether the font draws every character of `text`.
    #[cfg(test)]
    pub fn covers(&self, text: &str) -> bool {
        text.chars()
            .all(|c| c.is_whitespace() || self.charmap.map(c).is_some())
    }
}

const MONTHS: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
const MONTHS_IN: [&str; 12] = [
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
];

/// «октябрь 2026».
pub fn month(p: Period) -> String {
    format!("{} {}", MONTHS[p.month() as usize - 1], p.year())
}

/// «в октябре 2026».
pub fn in_month(p: Period) -> String {
    format!("в {} {}", MONTHS_IN[p.month() as usize - 1], p.year())
}

/// `15.11.2026`.
pub fn date(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// `1 234,56` (the ₽ is in the column's heading).
pub fn rub(m: Money) -> String {
    let s = m.to_string();
    s.trim_end_matches('₽')
        .trim_end_matches('\u{a0}')
        .replace('\u{a0}', " ")
        .replace('−', "-")
}

/// A decimal with a comma and no trailing zeros: `6,7735`, `180`.
pub fn number(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

pub fn zone(z: Zone) -> &'static str {
    match z {
        Zone::Total => "сутки",
        Zone::Day => "день",
        Zone::Night => "ночь",
        Zone::Peak => "пик",
        Zone::SemiPeak => "полупик",
    }
}

/// The name of a charge line's service, with its zone when it has one.
pub fn service(s: Service, z: Option<Zone>) -> String {
    let name = match s {
        Service::Electricity => "Электроэнергия (инд. потребление)",
        Service::Odn => "Электроэнергия на ОДН",
        Service::Penalty => "Пени",
        Service::Other => "Прочие услуги",
    };
    match z {
        Some(z) if z != Zone::Total => format!("{name}, {}", zone(z)),
        _ => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_and_numbers_print_the_russian_way() {
        assert_eq!(rub(Money::from_decimal(dec!(12345.6))), "12 345,60");
        assert_eq!(rub(Money::from_decimal(dec!(-120))), "-120,00");
        assert_eq!(number(dec!(6.7735)), "6,7735");
        assert_eq!(number(dec!(180.000)), "180");
        assert_eq!(month("2026-10".parse().unwrap()), "октябрь 2026");
        assert_eq!(in_month("2026-05".parse().unwrap()), "в мае 2026");
    }

    #[test]
    fn the_bundled_fonts_draw_every_letter_of_a_receipt() {
        for font in [crate::fonts::SANS, crate::fonts::SANS_BOLD] {
            let m = Measure::new(font).unwrap();
            assert!(m.covers("ЁЙЩЪЭЮЯ ёйщъэюя № «» — ·"));
            assert!(m.width("Итого", 10.0) > m.width("Ито", 10.0));
        }
    }
}
