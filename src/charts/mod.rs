//! Charts for the histories, as PNG: payments per month (bars) and a month's charges by
//! service (a pie with a legend).
//!
//! Drawn with plotters into an RGB buffer at twice the size and scaled down by averaging 2×2
//! pixels: plotters does not anti-alias shapes, so this is what smooths pie edges and slanted
//! text. The font is the bundled DejaVu Sans ([`crate::fonts`]), registered as `sans-serif`,
//! never a system font. Money arrives as `Decimal` and becomes `f64` only for drawing.
//!
//! Drawing is CPU work (a few milliseconds): async callers run it with
//! `tokio::task::spawn_blocking`.

mod bar;
mod pie;

pub use bar::{Bar, BarChart};
pub use pie::{PieChart, Slice};

use plotters::style::{FontStyle, RGBColor, register_font};
use std::sync::OnceLock;

/// Width and height of a chart as sent, in pixels (a phone shows it full width).
pub const SIZE: (u32, u32) = (800, 560);
/// Drawn at this many times the size, then scaled down.
const SCALE: u32 = 2;
/// The font family the charts name.
const FAMILY: &str = "sans-serif";

/// Colours of bars and slices, in order: readable on white and in grey print.
const PALETTE: [RGBColor; 6] = [
    RGBColor(0x1f, 0x6f, 0xb4),
    RGBColor(0xf0, 0x8c, 0x28),
    RGBColor(0x3a, 0xa0, 0x4a),
    RGBColor(0xd6, 0x3a, 0x3a),
    RGBColor(0x8e, 0x5c, 0xb8),
    RGBColor(0x7f, 0x7f, 0x7f),
];

/// Why a chart could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// Nothing to draw: the caller says so in words instead.
    #[error("no data to chart")]
    Empty,
    #[error("the bundled font did not load")]
    Font,
    #[error("drawing failed: {0}")]
    Draw(String),
    #[error("PNG encoding failed: {0}")]
    Encode(#[from] png::EncodingError),
}

/// Registers the bundled faces once per process.
fn fonts() -> Result<(), ChartError> {
    static DONE: OnceLock<bool> = OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, crate::fonts::SANS).is_ok()
            && register_font(FAMILY, FontStyle::Bold, crate::fonts::SANS_BOLD).is_ok()
    });
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

/// A drawing error of plotters, which is generic over the backend's error.
fn draw_error(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// A buffer for drawing at [`SCALE`] times [`SIZE`].
fn canvas() -> (Vec<u8>, (u32, u32)) {
    let (w, h) = (SIZE.0 * SCALE, SIZE.1 * SCALE);
    (vec![255; (w * h * 3) as usize], (w, h))
}

/// Scales the big RGB buffer down by averaging each 2×2 block, and encodes it as PNG.
fn finish(big: &[u8]) -> Result<Vec<u8>, ChartError> {
    let (w, h) = SIZE;
    let big_w = (w * SCALE) as usize;
    let mut small = vec![0u8; (w * h * 3) as usize];
    for y in 0..h as usize {
        for x in 0..w as usize {
            for c in 0..3 {
                let at = |dx: usize, dy: usize| {
                    u32::from(big[((y * 2 + dy) * big_w + x * 2 + dx) * 3 + c])
                };
                let sum = at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1);
                small[(y * w as usize + x) * 3 + c] = ((sum + 2) / 4) as u8;
            }
        }
    }
    let mut png_bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png_bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Balanced);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&small)?;
    }
    Ok(png_bytes)
}

/// `1234567.8` → `1 234 568`: whole roubles with thin grouping, for axis labels.
fn whole_roubles(value: f64) -> String {
    let rounded = value.round();
    let digits = format!("{}", rounded.abs() as i64);
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    if rounded < 0.0 {
        format!("−{grouped}")
    } else {
        grouped
    }
}

#[cfg(test)]
mod tests;
