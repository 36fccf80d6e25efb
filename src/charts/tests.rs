use super::*;
use rust_decimal_macros::dec;

/// Decodes a PNG and returns its size, failing the test if it does not decode.
fn decoded_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut pixels).expect("the image data");
    assert!(
        pixels.iter().any(|&p| p < 128),
        "something dark is drawn, not a blank page"
    );
    (info.width, info.height)
}

fn months() -> BarChart {
    BarChart {
        title: "Платежи по месяцам, ₽".into(),
        unit: "₽".into(),
        bars: ["июн", "июл", "авг", "сен", "окт", "ноя"]
            .iter()
            .zip([
                dec!(1234.56),
                dec!(0),
                dec!(980.10),
                dec!(1500),
                dec!(2100.4),
                dec!(75),
            ])
            .map(|(label, value)| Bar {
                label: (*label).to_owned(),
                value,
            })
            .collect(),
    }
}

fn services() -> PieChart {
    PieChart {
        title: "Октябрь 2026 г.: 1 611,07 ₽".into(),
        slices: vec![
            Slice {
                legend: "Электроэнергия — 1 290,45 ₽".into(),
                value: dec!(1290.45),
            },
            Slice {
                legend: "ОДН — 120,62 ₽".into(),
                value: dec!(120.62),
            },
            Slice {
                legend: "Пени — 200,00 ₽".into(),
                value: dec!(200),
            },
            Slice {
                legend: "Перерасчёт — −15,00 ₽".into(),
                value: dec!(-15),
            },
        ],
    }
}

#[test]
fn a_bar_chart_is_a_png_of_the_promised_size_and_small() {
    let png = months().png().unwrap();
    assert_eq!(decoded_size(&png), SIZE);
    assert!(png.len() < 150_000, "{} bytes", png.len());
    if let Ok(dir) = std::env::var("CHART_DIR") {
        std::fs::write(format!("{dir}/bars.png"), &png).unwrap();
    }
}

#[test]
fn a_pie_chart_is_a_png_of_the_promised_size_and_small() {
    let png = services().png().unwrap();
    assert_eq!(decoded_size(&png), SIZE);
    assert!(png.len() < 150_000, "{} bytes", png.len());
    if let Ok(dir) = std::env::var("CHART_DIR") {
        std::fs::write(format!("{dir}/pie.png"), &png).unwrap();
    }
}

#[test]
fn nothing_to_draw_is_an_error_not_an_empty_chart() {
    let mut bars = months();
    for bar in &mut bars.bars {
        bar.value = dec!(0);
    }
    assert!(matches!(bars.png(), Err(ChartError::Empty)));
    let pie = PieChart {
        title: "—".into(),
        slices: vec![],
    };
    assert!(matches!(pie.png(), Err(ChartError::Empty)));
}

#[test]
fn a_long_history_of_bars_still_draws() {
    let bars = BarChart {
        title: "Платежи".into(),
        unit: "₽".into(),
        bars: (0..25)
            .map(|i| Bar {
                label: format!("{i:02}.25"),
                value: Decimal::from(i * 100),
            })
            .collect(),
    };
    assert_eq!(decoded_size(&bars.png().unwrap()), SIZE);
}

#[test]
fn axis_roubles_are_grouped_by_thousands() {
    assert_eq!(whole_roubles(1_234_567.8), "1\u{a0}234\u{a0}568");
    assert_eq!(whole_roubles(0.4), "0");
    assert_eq!(whole_roubles(999.0), "999");
}
use rust_decimal::Decimal;
