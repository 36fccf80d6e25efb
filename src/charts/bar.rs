//! Bars: one amount per month (payments per month).

use super::{ChartError, FAMILY, PALETTE, SCALE, canvas, draw_error, finish, fonts, whole_roubles};
use plotters::prelude::*;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// One bar: its label under the axis (a short month name) and its amount.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Decimal,
}

/// A bar chart of amounts in roubles.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    pub title: String,
    /// The unit after the axis values, `₽`.
    pub unit: String,
    pub bars: Vec<Bar>,
}

impl BarChart {
    /// The chart as PNG; [`ChartError::Empty`] without a bar above zero.
    pub fn png(&self) -> Result<Vec<u8>, ChartError> {
        let values: Vec<f64> = self
            .bars
            .iter()
            .map(|b| b.value.to_f64().unwrap_or(0.0).max(0.0))
            .collect();
        let top = values.iter().copied().fold(0.0, f64::max);
        if top <= 0.0 {
            return Err(ChartError::Empty);
        }
        fonts()?;
        let s = SCALE;
        let (mut buffer, size) = canvas();
        {
            let root = BitMapBackend::with_buffer(&mut buffer, size).into_drawing_area();
            root.fill(&WHITE).map_err(draw_error)?;
            let n = self.bars.len();
            let mut chart = ChartBuilder::on(&root)
                .caption(
                    &self.title,
                    (FAMILY, 26 * s).into_font().style(FontStyle::Bold),
                )
                .margin(16 * s)
                .x_label_area_size(38 * s)
                .y_label_area_size(96 * s)
                .build_cartesian_2d((0..n).into_segmented(), 0.0..top * 1.15)
                .map_err(draw_error)?;
            let labels: Vec<&str> = self.bars.iter().map(|b| b.label.as_str()).collect();
            // Many months: label every other one so the names do not collide.
            let step = if n > 12 { 2 } else { 1 };
            let x_label = |v: &SegmentValue<usize>| match v {
                SegmentValue::CenterOf(i) if i % step == 0 => {
                    labels.get(*i).map(|l| (*l).to_owned()).unwrap_or_default()
                }
                _ => String::new(),
            };
            let unit = &self.unit;
            let y_label = |v: &f64| format!("{} {unit}", whole_roubles(*v));
            chart
                .configure_mesh()
                .disable_x_mesh()
                .light_line_style(WHITE)
                .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd).stroke_width(s))
                .axis_style(RGBColor(0x88, 0x88, 0x88).stroke_width(s))
                .x_labels(n)
                .y_labels(6)
                .x_label_formatter(&x_label)
                .y_label_formatter(&y_label)
                .label_style((FAMILY, 16 * s))
                .draw()
                .map_err(draw_error)?;
            chart
                .draw_series(
                    Histogram::vertical(&chart)
                        .style(PALETTE[0].filled())
                        .margin(if n > 12 { 3 * s } else { 8 * s })
                        .data(values.iter().enumerate().map(|(i, v)| (i, *v))),
                )
                .map_err(draw_error)?;
            root.present().map_err(draw_error)?;
        }
        finish(&buffer)
    }
}
