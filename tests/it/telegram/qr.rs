//! Deep links as QR code PNGs: the image decodes, and the code reads back as the link.

use kabinet::channels::telegram::qr;

/// Decodes a PNG into (width, height, one grey byte per pixel).
fn decode_png(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
    let frame = reader.next_frame(&mut pixels).expect("a PNG frame");
    assert_eq!(frame.color_type, png::ColorType::Grayscale);
    pixels.truncate(frame.buffer_size());
    (frame.width as usize, frame.height as usize, pixels)
}

fn read_qr(bytes: &[u8]) -> String {
    let (w, h, pixels) = decode_png(bytes);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("a readable QR code").1
}

#[test]
fn the_qr_png_decodes_to_the_link() {
    let link = "https://t.me/kabinet_test_bot?start=cmVnaXN0cmF0aW9uLjc3MDEwMDAwMDAwMTcuMTc4MDAwMDAwMC5hYmNkZWY";
    let png = qr::png(link).unwrap();
    let (w, h, pixels) = decode_png(&png);
    assert_eq!(w, h, "square");
    assert_eq!(w % qr::SCALE, 0);
    // The quiet zone is white, and the code has dark modules.
    assert!(
        pixels[..w * qr::QUIET_ZONE * qr::SCALE]
            .iter()
            .all(|&p| p == 255)
    );
    assert!(pixels.contains(&0));
    assert_eq!(read_qr(&png), link);
}

#[test]
fn the_kabinet_link_command_writes_the_qr_code_next_to_the_link() {
    let dir = std::env::temp_dir().join(format!("kabinet-qr-{:x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("link.png");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kabinet"))
        .args(["link", "registration", "--account", "7701000000017", "--qr"])
        .arg(&file)
        .current_dir(&dir)
        .env("DEEPLINK_KEY", "test-deeplink-key-0123456789")
        .env("TELEGRAM_BOT_USERNAME", "kabinet_test_bot")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(
        link.starts_with("https://t.me/kabinet_test_bot?start="),
        "{link}"
    );
    let png = std::fs::read(&file).unwrap();
    assert_eq!(read_qr(&png), link);
    std::fs::remove_dir_all(&dir).unwrap();
}
