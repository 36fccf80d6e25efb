//! A pie: each service's share of a month's charges, with a legend that names the service, its
//! amount and its share in words (the slices carry only the percentage).

use super::{ChartError, FAMILY, PALETTE, SCALE, SIZE, canvas, draw_error, finish, fonts};
use plotters::element::Pie;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// One slice: its legend line (`Электроэнергия — 1 234,56 ₽`) and its amount.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    pub legend: String,
    pub value: Decimal,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PieChart {
    pub title: String,
    pub slices: Vec<Slice>,
}

impl PieChart {
    /// The chart as PNG. Slices at or below zero (a recalculation in the consumer's favour) are
    /// left out of the pie; [`ChartError::Empty`] when none is left.
    pub fn png(&self) -> Result<Vec<u8>, ChartError> {
        let slices: Vec<(&Slice, f64)> = self
            .slices
            .iter()
            .map(|sl| (sl, sl.value.to_f64().unwrap_or(0.0)))
            .filter(|(_, v)| *v > 0.0)
            .take(PALETTE.len())
            .collect();
        if slices.is_empty() {
            return Err(ChartError::Empty);
        }
        fonts()?;
        let s = SCALE;
        let (mut buffer, size) = canvas();
        {
            let root = BitMapBackend::with_buffer(&mut buffer, size).into_drawing_area();
            root.fill(&WHITE).map_err(draw_error)?;
            let title = (FAMILY, 26 * s).into_font().style(FontStyle::Bold);
            root.draw_text(
                &self.title,
                &title.color(&BLACK),
                (20 * s as i32, 16 * s as i32),
            )
            .map_err(draw_error)?;
            let sizes: Vec<f64> = slices.iter().map(|(_, v)| *v).collect();
            let colors: Vec<RGBColor> = PALETTE.iter().copied().take(sizes.len()).collect();
            let blank: Vec<String> = vec![String::new(); sizes.len()];
            let radius = f64::from(170 * s);
            let center = ((200 * s) as i32, (300 * s) as i32);
            let mut pie = Pie::new(&center, &radius, &sizes, &colors, &blank);
            pie.start_angle(-90.0);
            root.draw(&pie).map_err(draw_error)?;
            // Shares on the slices big enough to hold one, in whole percent (plotters' own
            // labels print a decimal point, which reads wrong in Russian).
            let total: f64 = sizes.iter().sum();
            let share_font = (FAMILY, 20 * s)
                .into_font()
                .style(FontStyle::Bold)
                .color(&WHITE)
                .pos(Pos::new(HPos::Center, VPos::Center));
            let mut done = 0.0;
            for value in &sizes {
                let mid = (-90.0 + (done + value / 2.0) / total * 360.0_f64).to_radians();
                done += value;
                if value / total < 0.05 {
                    continue;
                }
                let at = (
                    center.0 + (radius * 0.62 * mid.cos()) as i32,
                    center.1 + (radius * 0.62 * mid.sin()) as i32,
                );
                let share = format!("{} %", (value / total * 100.0).round());
                root.draw_text(&share, &share_font, at)
                    .map_err(draw_error)?;
            }
            // The legend: a colour box and its line, right of the pie.
            let left = (410 * s) as i32;
            let mut y = (150 * s) as i32;
            let font = (FAMILY, 18 * s).into_font();
            for ((slice, value), color) in slices.iter().zip(&colors) {
                let boxed = [(left, y), (left + (22 * s) as i32, y + (22 * s) as i32)];
                root.draw(&Rectangle::new(boxed, color.filled()))
                    .map_err(draw_error)?;
                let share = (value / total * 100.0).round();
                let text_x = left + (32 * s) as i32;
                root.draw_text(&slice.legend, &font.color(&BLACK), (text_x, y))
                    .map_err(draw_error)?;
                let grey = RGBColor(0x55, 0x55, 0x55);
                root.draw_text(
                    &format!("{share} %"),
                    &(FAMILY, 16 * s).into_font().color(&grey),
                    (text_x, y + (24 * s) as i32),
                )
                .map_err(draw_error)?;
                y += (64 * s) as i32;
                if y > (SIZE.1 * s) as i32 - (40 * s) as i32 {
                    break;
                }
            }
            root.present().map_err(draw_error)?;
        }
        finish(&buffer)
    }
}
