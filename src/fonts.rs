//! The fonts Kabinet draws with, shipped in the repository (never read from the system):
//! DejaVu Sans, regular and bold, subset to Latin, Cyrillic and the signs receipts and
//! charts need (₽, №, «», dashes, arrows). Licence: `assets/fonts/LICENSE-DejaVu.txt`.
//! Made with `pyftsubset` (fonttools); the command is in `assets/fonts/README.md`.

/// DejaVu Sans (subset).
pub static SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold (subset).
pub static SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_are_truetype() {
        for font in [SANS, SANS_BOLD] {
            assert_eq!(&font[..4], &[0, 1, 0, 0], "a TrueType header");
            assert!(font.len() < 64 * 1024, "subset, not the whole face");
        }
    }
}
