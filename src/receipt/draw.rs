//! Drawing primitives for the receipt on a krilla surface: text (left or right aligned) in the
//! two bundled faces, rules, and the QR code as merged module runs.

use super::text::Measure;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

/// Regular or bold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

/// The fonts and their metrics, loaded once per process.
pub struct Fonts {
    regular: Font,
    bold: Font,
    regular_metrics: Measure<'static>,
    bold_metrics: Measure<'static>,
}

impl Fonts {
    /// The bundled DejaVu faces; `None` only if the bundled bytes were not fonts.
    pub fn load() -> Option<Fonts> {
        use crate::fonts::{SANS, SANS_BOLD};
        Some(Fonts {
            regular: Font::new(SANS.into(), 0)?,
            bold: Font::new(SANS_BOLD.into(), 0)?,
            regular_metrics: Measure::new(SANS)?,
            bold_metrics: Measure::new(SANS_BOLD)?,
        })
    }

    fn get(&self, face: Face) -> (&Font, &Measure<'static>) {
        match face {
            Face::Regular => (&self.regular, &self.regular_metrics),
            Face::Bold => (&self.bold, &self.bold_metrics),
        }
    }
}

/// A page surface with the fonts at hand. Coordinates are points from the top left; `y` of
/// text is its baseline.
pub struct Canvas<'s, 'f> {
    pub surface: Surface<'s>,
    fonts: &'f Fonts,
}

impl<'s, 'f> Canvas<'s, 'f> {
    pub fn new(surface: Surface<'s>, fonts: &'f Fonts) -> Canvas<'s, 'f> {
        Canvas { surface, fonts }
    }

    pub fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        self.fonts.get(face).1.width(text, size)
    }

    /// Text starting at `x`.
    pub fn text(&mut self, x: f32, y: f32, face: Face, size: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        let font = self.fonts.get(face).0.clone();
        self.surface.draw_text(
            Point::from_xy(x, y),
            font,
            size,
            text,
            false,
            TextDirection::LeftToRight,
        );
    }

    /// Text ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, face: Face, size: f32, text: &str) {
        let w = self.width(face, size, text);
        self.text(right - w, y, face, size, text);
    }

    /// A horizontal rule of `width` points.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32) {
        let mut pb = PathBuilder::new();
        pb.move_to(x1, y);
        pb.line_to(x2, y);
        let Some(path) = pb.finish() else { return };
        self.surface.set_fill(None);
        self.surface.set_stroke(Some(Stroke {
            paint: luma::Color::black().into(),
            width,
            ..Stroke::default()
        }));
        self.surface.draw_path(&path);
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(Fill::default()));
    }

    /// A QR matrix (`dark(x, y)` for `n`×`n` modules) in a square of `side` points at
    /// (`x`, `y`), quiet zone included. Each row's dark runs become one rectangle in module
    /// units under one scaling transform: whole-number coordinates keep the content stream
    /// short (one rectangle per module in points made it three times longer).
    pub fn qr(&mut self, x: f32, y: f32, side: f32, n: usize, dark: impl Fn(usize, usize) -> bool) {
        const QUIET: usize = 4;
        let module = side / (n + 2 * QUIET) as f32;
        let mut pb = PathBuilder::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if !dark(col, row) {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && dark(col, row) {
                    col += 1;
                }
                let (x0, x1) = ((start + QUIET) as f32, (col + QUIET) as f32);
                let (y0, y1) = ((row + QUIET) as f32, (row + QUIET + 1) as f32);
                pb.move_to(x0, y0);
                pb.line_to(x1, y0);
                pb.line_to(x1, y1);
                pb.line_to(x0, y1);
                pb.close();
            }
        }
        let Some(path) = pb.finish() else { return };
        self.surface
            .push_transform(&Transform::from_row(module, 0.0, 0.0, module, x, y));
        self.surface.set_fill(Some(Fill {
            paint: luma::Color::black().into(),
            opacity: NormalizedF32::ONE,
            rule: FillRule::NonZero,
        }));
        self.surface.draw_path(&path);
        self.surface.pop();
    }
}
