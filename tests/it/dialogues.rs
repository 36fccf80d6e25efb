//! Replays every script in `dialogues/` through the engine and compares what the bot says.
//!
//! Format (one line each): `# title`; `given …` (set-up, before the first message);
//! `> text` what the user sends (`[Label]` presses a button, `/contact +7…` shares the own
//! contact, `{10000 × я}` repeats, `\u{7}` is a control character, `{код из письма}` is the
//! code of the latest SMS or letter the bot sent (`{код из SMS}` alike), `{не тот код}` six
//! other digits; SMS and letters show in the bot's lines as `[SMS → +7 903 ***-**-17] …`); `< text` a line the bot must say, in order, after the last `>` (lines in between
//! may be skipped; a line ending in `…` matches
//! by its beginning; `< [A] [B]` is a message's keyboard).

use crate::support::{Harness, fixtures, transcript};
use chrono::{NaiveDate, Utc};
use kabinet::billing::{Period, ReadingSource, Zone};
use kabinet::channels::console::mailbox::Mailbox;
use kabinet::channels::console::{parse_line, remember_buttons};
use kabinet::conversation::{MAX_BUTTON_DATA, Press, Reply};
use kabinet::credentials::hash_password;
use kabinet::i18n::Lang;
use kabinet::store::Store;
use kabinet::store::accounts::AccountId;
use kabinet::store::chats;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// The chat the scripts talk in.
const CHAT: i64 = 7_000_001;
/// Another chat of the same holder (`given account N linked in another chat`).
const OTHER_CHAT: i64 = 7_000_999;

enum Line {
    Given(String),
    User(String),
    Bot(String),
}

struct Script {
    path: PathBuf,
    title: String,
    lines: Vec<(usize, Line)>,
}

fn parse(path: &Path) -> Result<Script, String> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut title = String::new();
    let mut lines = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let n = i + 1;
        let text = raw.trim_end();
        if text.trim().is_empty() {
            continue;
        }
        if let Some(t) = text.strip_prefix('#') {
            if title.is_empty() {
                title = t.trim().to_owned();
            }
        } else if let Some(g) = text.strip_prefix("given ") {
            lines.push((n, Line::Given(g.trim().to_owned())));
        } else if let Some(u) = text.strip_prefix('>') {
            lines.push((n, Line::User(u.strip_prefix(' ').unwrap_or(u).to_owned())));
        } else if let Some(b) = text.strip_prefix('<') {
            lines.push((n, Line::Bot(b.trim().to_owned())));
        } else {
            return Err(format!(
                "{}:{n}: a line starts with #, given, > or <",
                path.display()
            ));
        }
    }
    if title.is_empty() {
        return Err(format!("{}: no `# title` line", path.display()));
    }
    Ok(Script {
        path: path.to_owned(),
        title,
        lines,
    })
}

/// Set-up lines. A new kind of `given` is one more arm here.
async fn given(h: &Harness, what: &str) -> Result<(), String> {
    let words: Vec<&str> = what.split_whitespace().collect();
    let store = &h.db.store;
    let failed = |e: &dyn std::fmt::Display| format!("given {what}: {e}");
    match words.as_slice() {
        // Another chat (id 7000999) holds a valid link to the account.
        ["account", number, "linked", "in", "another", "chat"] => {
            let id = demo_account(store, number).await.map_err(|e| failed(&e))?;
            let epoch = store
                .account(AccountId(id))
                .await
                .map_err(|e| failed(&e))?
                .map_or(0, |a| a.credential_epoch);
            chats::ensure(store.pool(), OTHER_CHAT)
                .await
                .map_err(|e| failed(&e))?;
            chats::link(store.pool(), OTHER_CHAT, id, epoch)
                .await
                .map_err(|e| failed(&e))
        }
        // The bank declined a payment of 58,89 ₽ for the account: its notice to this chat
        // (as `payments::credit` queues it) shows after the first turn.
        ["a", "payment", "for", number, "declined"] => store
            .enqueue(&kabinet::store::outbox::NewMessage {
                channel: kabinet::store::outbox::Channel::Telegram,
                recipient: CHAT.to_string(),
                template: kabinet::payments::templates::DECLINED.into(),
                payload: serde_json::json!({
                    "lang": "ru", "amount": "58,89\u{a0}₽", "account": number
                }),
            })
            .await
            .map(drop)
            .map_err(|e| failed(&e)),
        // `account N linked`: linked by registration (no password epoch) and made current;
        // `… also linked`: the current account stays current; `… by password`: linked with
        // the web-cabinet password, as «Войти по паролю» does.
        ["account", number, how @ ..] => {
            let (also, by_password) = match how {
                ["linked"] => (false, false),
                ["linked", "by", "password"] => (false, true),
                ["also", "linked"] => (true, false),
                ["also", "linked", "by", "password"] => (true, true),
                _ => return Err(format!("unknown given: {what}")),
            };
            let id = demo_account(store, number).await.map_err(|e| failed(&e))?;
            // Every link is made under the account's epoch (by password, a code or a contact).
            let _ = by_password;
            let epoch = store
                .account(AccountId(id))
                .await
                .map_err(|e| failed(&e))?
                .map_or(0, |a| a.credential_epoch);
            let user = chats::ensure(store.pool(), CHAT)
                .await
                .map_err(|e| failed(&e))?;
            chats::link(store.pool(), CHAT, id, epoch)
                .await
                .map_err(|e| failed(&e))?;
            if let (true, Some(current)) = (also, user.current_account_id) {
                chats::set_current(store.pool(), CHAT, current)
                    .await
                    .map_err(|e| failed(&e))?;
            }
            Ok(())
        }
        // The account has no phone on file (registration then proves a new one).
        ["no", "phone", "on", number] => {
            let id = demo_account(store, number).await.map_err(|e| failed(&e))?;
            store
                .set_phone(AccountId(id), None)
                .await
                .map_err(|e| failed(&e))
        }
        // The password changed elsewhere (on the web site, in another chat).
        ["password", "of", number, "changed", "to", password] => {
            let id = demo_account(store, number).await.map_err(|e| failed(&e))?;
            let hash = hash_password(password).map_err(|e| failed(&e))?;
            store
                .set_credential(AccountId(id), &hash)
                .await
                .map(drop)
                .map_err(|e| failed(&e))
        }
        ["language", code] => {
            let lang = Lang::from_code(code).ok_or_else(|| format!("given {what}: ru or en"))?;
            chats::set_language(store.pool(), CHAT, lang)
                .await
                .map_err(|e| failed(&e))
        }
        ["today", date] => {
            let date: NaiveDate = date.parse().map_err(|e| failed(&e))?;
            // 10:00 in the company's time zone, as the scripts' usual day.
            let offset = h.engine.ctx().settings.utc_offset;
            let now = date
                .and_hms_opt(10, 0, 0)
                .and_then(|t| t.and_local_timezone(offset).single())
                .ok_or_else(|| format!("given {what}: no such local time"))?;
            h.clock.set(now.with_timezone(&Utc));
            Ok(())
        }
        ["reading", serial, value, "on", date] => {
            let meter = store
                .meter_by_serial(serial)
                .await
                .map_err(|e| failed(&e))?
                .ok_or_else(|| format!("given {what}: no such meter"))?;
            let value: Decimal = value.parse().map_err(|e| failed(&e))?;
            let date: NaiveDate = date.parse().map_err(|e| failed(&e))?;
            let values: Vec<(Zone, Decimal)> = meter.zones().iter().map(|&z| (z, value)).collect();
            store
                .record_readings(
                    meter.id,
                    date,
                    Period::of(date),
                    ReadingSource::Web,
                    &values,
                )
                .await
                .map_err(|e| failed(&e))
        }
        // The day's notices queued as `kabinet notify run --today DATE` does (they show after
        // the first turn, as the terminal chat's mailbox shows them).
        ["notices", "run", "on", date] => {
            let date: NaiveDate = date.parse().map_err(|e| failed(&e))?;
            let settings = kabinet::notify::NotifySettings::default();
            kabinet::notify::run(
                store,
                &settings,
                date,
                kabinet::clock::Clock::now(h.clock.as_ref()),
                false,
            )
            .await
            .map(drop)
            .map_err(|e| failed(&e))
        }
        ["state", "garbage"] => h
            .sessions()
            .save(CHAT, r#"{"flow":"registration","step":{"ask_nmae":17}"#)
            .await
            .map_err(|e| failed(&e)),
        _ => Err(format!("unknown given: {what}")),
    }
}

/// The id of a demo account.
async fn demo_account(store: &Store, number: &str) -> Result<i64, String> {
    fixtures::account_id(store, number)
        .await
        .ok_or_else(|| format!("no demo account {number}"))
}

/// The code of the latest SMS or letter with one, as the user reads it in the transcript
/// (`[SMS → …] Код подтверждения: 482913 …`). `{код из SMS}` and `{код из письма}` stand for it,
/// `{не тот код}` for another six digits.
fn with_code(line: String, last_code: Option<&str>) -> Result<String, String> {
    const RIGHT: [&str; 2] = ["{код из SMS}", "{код из письма}"];
    const WRONG: &str = "{не тот код}";
    if !RIGHT.iter().any(|r| line.contains(r)) && !line.contains(WRONG) {
        return Ok(line);
    }
    let code = last_code.ok_or("no SMS or letter with a code so far")?;
    let number: u32 = code.parse().map_err(|_| format!("a code {code:?}"))?;
    let wrong = format!("{:06}", (number + 1) % 1_000_000);
    Ok(RIGHT
        .iter()
        .fold(line, |line, right| line.replace(right, code))
        .replace(WRONG, &wrong))
}

/// The first run of exactly six digits in a line (a code; account numbers have thirteen).
fn six_digits(line: &str) -> Option<String> {
    line.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .map(str::to_owned)
}

/// What the user line stands for: `{N × s}` repeats `s`, `\u{XXXX}` is that character.
fn expand(line: &str) -> String {
    if let Some((count, what)) = line
        .strip_prefix('{')
        .and_then(|l| l.strip_suffix('}'))
        .and_then(|l| l.split_once(" × "))
        && let Ok(n) = count.trim().parse::<usize>()
    {
        return what.repeat(n);
    }
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 3..];
        let decoded = tail.find('}').and_then(|end| {
            let c = u32::from_str_radix(&tail[..end], 16)
                .ok()
                .and_then(char::from_u32)?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push_str("\\u{");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Spaces of any width compare equal: money prints with no-break spaces.
fn normalize(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ").trim_end().to_owned()
}

fn matches(expected: &str, actual: &str) -> bool {
    let (expected, actual) = (normalize(expected), normalize(actual));
    match expected.strip_suffix('…') {
        Some(prefix) => actual.starts_with(prefix.trim_end()),
        None => actual == expected,
    }
}

fn show(line: &str) -> String {
    let count = line.chars().count();
    if count > 300 {
        format!(
            "{}… ({count} characters)",
            line.chars().take(200).collect::<String>()
        )
    } else {
        line.to_owned()
    }
}

async fn replay(script: &Script) -> Result<(), String> {
    let h = Harness::new().await;
    let name = script
        .path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy();
    let place = |n: usize| format!("dialogues/{name}:{n} («{}»)", script.title);
    let mut seen: Vec<(String, Press)> = Vec::new();
    let mut mailbox = Mailbox::open(&h.db.store, CHAT)
        .await
        .map_err(|e| format!("the outbox: {e}"))?;
    let mut last_code: Option<String> = None;
    // The last user line, the bot's lines after it and how far the expectations got.
    let mut turn: Option<(usize, String, Vec<String>, usize)> = None;
    for (n, line) in &script.lines {
        match line {
            Line::Given(what) => {
                if turn.is_some() {
                    return Err(format!("{}: `given` after the first message", place(*n)));
                }
                given(&h, what)
                    .await
                    .map_err(|e| format!("{}: {e}", place(*n)))?;
            }
            Line::User(said) => {
                let typed = with_code(expand(said), last_code.as_deref())
                    .map_err(|e| format!("{}: {e}", place(*n)))?;
                let event = parse_line(&typed, &seen).map_err(|e| format!("{}: {e}", place(*n)))?;
                let replies = h
                    .engine
                    .handle(CHAT, event)
                    .await
                    .map_err(|e| format!("{}: the engine failed: {e}", place(*n)))?;
                check_buttons(&replies).map_err(|e| format!("{}: {e}", place(*n)))?;
                remember_buttons(&mut seen, &replies);
                let mut lines = transcript(&replies);
                let sent = mailbox
                    .collect(&h.db.store, &h.engine.ctx().i18n)
                    .await
                    .map_err(|e| format!("{}: the outbox: {e}", place(*n)))?;
                remember_buttons(&mut seen, &sent);
                let sent = transcript(&sent);
                if let Some(code) = sent.iter().rev().find_map(|l| six_digits(l)) {
                    last_code = Some(code);
                }
                lines.extend(sent);
                turn = Some((*n, said.clone(), lines, 0));
            }
            Line::Bot(expected) => {
                let Some((said_at, said, actual, from)) = turn.as_mut() else {
                    return Err(format!("{}: `<` before any `>`", place(*n)));
                };
                match actual[*from..].iter().position(|a| matches(expected, a)) {
                    Some(i) => *from += i + 1,
                    None => {
                        let mut report = format!(
                            "{}: after «> {}» (line {said_at})\n  expected: < {expected}\n  the bot said:\n",
                            place(*n),
                            show(said)
                        );
                        for (i, a) in actual.iter().enumerate() {
                            let mark = if i < *from { "  (matched)" } else { "" };
                            report.push_str(&format!("    < {}{mark}\n", show(a)));
                        }
                        return Err(report);
                    }
                }
            }
        }
    }
    Ok(())
}

fn check_buttons(replies: &[Reply]) -> Result<(), String> {
    for (label, press) in replies.iter().flat_map(Reply::buttons) {
        if let Press::Data(data) = press
            && data.len() > MAX_BUTTON_DATA
        {
            return Err(format!("button [{label}] has {} bytes of data", data.len()));
        }
    }
    Ok(())
}

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogues");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("dialogues/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
}

#[tokio::test]
async fn every_dialogue_script_passes() {
    let paths = scripts();
    assert!(!paths.is_empty(), "no scripts in dialogues/");
    let mut failures = Vec::new();
    for path in &paths {
        let outcome = match parse(path) {
            Ok(script) => replay(&script).await,
            Err(e) => Err(e),
        };
        if let Err(report) = outcome {
            failures.push(report);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} dialogue scripts failed:\n\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n")
    );
}

#[test]
fn script_lines_expand_repeats_and_escapes() {
    assert_eq!(expand("{3 × я}"), "яяя");
    assert_eq!(expand("a\\u{7}b"), "a\u{7}b");
    assert_eq!(expand("plain {text}"), "plain {text}");
    assert_eq!(
        six_digits("[SMS → +7 903 ***-**-17] Код: 048213. Счёт 7701000000017.").as_deref(),
        Some("048213")
    );
    assert_eq!(
        with_code("{не тот код}".into(), Some("999999")).unwrap(),
        "000000"
    );
    assert!(matches("Сумма 1 234,56 ₽", "Сумма 1\u{a0}234,56\u{a0}₽"));
    assert!(matches("Главное меню…", "Главное меню. Чтобы…"));
    assert!(!matches("Главное меню", "Главное меню. Чтобы…"));
}

/// Prints what the bot says to the user lines of the script named by `DIALOGUE` (its `<` lines
/// are ignored): a draft for a new or changed script. Run with
/// `DIALOGUE=dialogues/20_registration.txt cargo test --test it record_dialogue -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "a tool for writing scripts, not a test"]
async fn record_dialogue() {
    let Ok(path) = std::env::var("DIALOGUE") else {
        return;
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let script = parse(&path).unwrap();
    let h = Harness::new().await;
    let mut seen: Vec<(String, Press)> = Vec::new();
    let mut mailbox = Mailbox::open(&h.db.store, CHAT).await.unwrap();
    let mut last_code: Option<String> = None;
    let mut out = format!("# {}\n", script.title);
    for (_, line) in &script.lines {
        match line {
            Line::Given(what) => {
                given(&h, what).await.unwrap();
                out.push_str(&format!("given {what}\n"));
            }
            Line::User(said) => {
                let typed = with_code(expand(said), last_code.as_deref()).unwrap();
                out.push_str(&format!("\n> {said}\n"));
                let event = match parse_line(&typed, &seen) {
                    Ok(event) => event,
                    Err(e) => {
                        out.push_str(&format!("(!) {e}\n"));
                        continue;
                    }
                };
                let replies = h.engine.handle(CHAT, event).await.unwrap();
                remember_buttons(&mut seen, &replies);
                let mut lines = transcript(&replies);
                let sent = mailbox
                    .collect(&h.db.store, &h.engine.ctx().i18n)
                    .await
                    .unwrap();
                remember_buttons(&mut seen, &sent);
                let sent = transcript(&sent);
                if let Some(code) = sent.iter().rev().find_map(|l| six_digits(l)) {
                    last_code = Some(code);
                }
                lines.extend(sent);
                for l in lines.iter().filter(|l| !l.trim().is_empty()) {
                    out.push_str(&format!("< {l}\n"));
                }
            }
            Line::Bot(_) => {}
        }
    }
    println!("=====\n{out}=====");
}
