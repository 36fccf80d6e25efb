//! The terminal chat, scripted through its input.

use crate::support::Harness;
use kabinet::channels::console;

async fn chat(h: &Harness, input: &str) -> String {
    let mut output = Vec::new();
    console::run(&h.engine, input.as_bytes(), &mut output, false)
        .await
        .expect("the console runs");
    String::from_utf8(output).expect("UTF-8 output")
}

#[tokio::test]
async fn a_scripted_console_chat_prints_a_transcript_with_buttons() {
    let h = Harness::new().await;
    let out = chat(
        &h,
        "/start\n[Помощь]\n[Возврат платежа]\n[Нет такой]\n[Меню]\n/contact +79991234567\n",
    )
    .await;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "> /start");
    assert!(lines[1].starts_with("< Здравствуйте!"), "{out}");
    assert!(
        lines.contains(&"< [Регистрация] [Войти по паролю] [Восстановить доступ] [Помощь]"),
        "{out}"
    );
    assert!(lines.contains(&"< Помощь. Выберите тему:"), "{out}");
    assert!(out.contains("< Оплата картой зачисляется"), "{out}");
    assert!(lines.contains(&"(no button [Нет такой])"), "{out}");
    // A contact at the menu is not understood, but answered.
    let after_contact = out.split("> /contact +79991234567").nth(1).unwrap();
    assert!(after_contact.contains("< Не понял вас."), "{out}");
}

#[tokio::test]
async fn a_console_chat_survives_invalid_utf8_and_blank_lines() {
    let h = Harness::new().await;
    let mut output = Vec::new();
    let input: &[u8] = b"\xff\xfe\n\n/menu\n";
    console::run(&h.engine, input, &mut output, false)
        .await
        .unwrap();
    let out = String::from_utf8(output).unwrap();
    assert!(out.contains("< Сообщение пустое"), "{out}");
    assert!(out.contains("< Главное меню."), "{out}");
}
