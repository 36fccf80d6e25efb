//! Email by SMTP: a fake server on a local port takes what the outbox worker sends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use chrono::{Duration, Utc};
use kabinet::clock::ManualClock;
use kabinet::config::{ConfigError, Settings, Smtp};
use kabinet::i18n::I18n;
use kabinet::outbox::{Outgoing, SendError, Sender, Senders, SmtpSender, Worker};
use kabinet::store::outbox::{Channel, NewMessage};
use kabinet::store::testing::TestDb;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as the server received it.
#[derive(Clone, Debug, Default)]
struct Received {
    mail_from: String,
    rcpt_to: Vec<String>,
    /// Headers and body, dot-unstuffed, without the final `.` line.
    data: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<String> {
        let (headers, _) = self.data.split_once("\r\n\r\n")?;
        // Unfold continuation lines first.
        let unfolded = headers.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }

    /// The body decoded from its transfer encoding (base64 or quoted-printable without `=XX`).
    fn body(&self) -> String {
        let (_, body) = self.data.split_once("\r\n\r\n").unwrap();
        match self.header("Content-Transfer-Encoding").as_deref() {
            Some("base64") => {
                let packed: String = body.split_whitespace().collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(packed)
                    .unwrap();
                String::from_utf8(bytes).unwrap()
            }
            Some("quoted-printable") => body.replace("=\r\n", ""),
            _ => body.to_owned(),
        }
    }
}

/// Just enough SMTP for a client without TLS or authentication; `RCPT` is refused with 550
/// when `refuse_rcpt` is set.
struct FakeSmtp {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl FakeSmtp {
    async fn start(refuse_rcpt: bool) -> FakeSmtp {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = session(stream, refuse_rcpt, store).await;
                });
            }
        });
        FakeSmtp { port, received }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn session(
    stream: tokio::net::TcpStream,
    refuse_rcpt: bool,
    store: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 fake.smtp ESMTP\r\n").await?;
    let mut current = Received::default();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let verb = command
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250-fake.smtp\r\n250 8BITMIME\r\n",
            "MAIL" => {
                current = Received {
                    mail_from: address(&command),
                    ..Received::default()
                };
                b"250 OK\r\n"
            }
            "RCPT" if refuse_rcpt => b"550 no such mailbox\r\n",
            "RCPT" => {
                current.rcpt_to.push(address(&command));
                b"250 OK\r\n"
            }
            "DATA" => {
                write.write_all(b"354 go ahead\r\n").await?;
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                    current.data.push_str(unstuffed);
                }
                store.lock().unwrap().push(std::mem::take(&mut current));
                b"250 queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            "RSET" | "NOOP" => b"250 OK\r\n",
            _ => b"502 not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// The address between `<` and `>` of `MAIL FROM:<…>` or `RCPT TO:<…>`.
fn address(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command.rfind('>').unwrap_or(command.len());
    command[start..end].to_owned()
}

fn smtp_settings(url: &str, from: &str) -> Smtp {
    load(&[("SMTP_URL", url), ("SMTP_FROM", from)])
        .unwrap()
        .outbox
        .smtp
        .expect("SMTP is configured")
}

fn load(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_lookup(|name| map.get(name).cloned())
}

async fn deliver_one(smtp: &FakeSmtp, payload: serde_json::Value) -> Received {
    let db = TestDb::new().await.unwrap();
    db.store
        .enqueue(&NewMessage {
            channel: Channel::Email,
            recipient: "a.petrova@example.com".into(),
            template: "email-confirmation".into(),
            payload,
        })
        .await
        .unwrap();
    let sender = SmtpSender::new(&smtp_settings(
        &smtp.url(),
        "Энергосбыт <noreply@example.ru>",
    ))
    .unwrap();
    let senders = Senders {
        email: Arc::new(sender),
        ..Senders::default()
    };
    let clock = Arc::new(ManualClock::new(Utc::now() + Duration::seconds(1)));
    let pass = Worker::new(
        db.store.clone(),
        Arc::new(I18n::new().unwrap()),
        senders,
        clock,
    )
    .run_once()
    .await
    .unwrap();
    assert_eq!(pass.delivered, 1, "{pass:?}");
    let received = smtp.received();
    assert_eq!(received.len(), 1);
    received[0].clone()
}

#[tokio::test]
async fn an_email_confirmation_reaches_the_smtp_server() {
    let smtp = FakeSmtp::start(false).await;
    let payload = json!({ "code": "482913", "account": "7701000000017", "lang": "en" });
    let got = deliver_one(&smtp, payload).await;
    assert_eq!(got.mail_from, "noreply@example.ru");
    assert_eq!(got.rcpt_to, vec!["a.petrova@example.com".to_owned()]);
    assert_eq!(
        got.header("Subject").as_deref(),
        Some("Email confirmation code")
    );
    assert_eq!(got.header("To").as_deref(), Some("a.petrova@example.com"));
    assert!(
        got.header("Content-Type")
            .unwrap()
            .eq_ignore_ascii_case("text/plain; charset=utf-8")
    );
    let body = got.body();
    assert!(
        body.contains("Email confirmation code for account 7701000000017: 482913"),
        "{body}"
    );
}

#[tokio::test]
async fn a_russian_email_arrives_in_utf8_with_its_subject_encoded() {
    let smtp = FakeSmtp::start(false).await;
    let payload = json!({ "code": "482913", "account": "7701000000017" });
    let got = deliver_one(&smtp, payload).await;
    let body = got.body();
    assert!(
        body.contains("Код подтверждения адреса для лицевого счёта 7701000000017: 482913"),
        "{body}"
    );
    // Non-ASCII headers travel as RFC 2047 encoded words, never raw.
    let subject = got.header("Subject").unwrap();
    assert!(
        subject.is_ascii() && subject.starts_with("=?utf-8?"),
        "{subject}"
    );
    assert!(got.header("From").unwrap().contains("<noreply@example.ru>"));
}

#[tokio::test]
async fn a_refused_recipient_is_a_failed_send_with_the_server_status() {
    let smtp = FakeSmtp::start(true).await;
    let sender = SmtpSender::new(&smtp_settings(&smtp.url(), "noreply@example.ru")).unwrap();
    let outgoing = Outgoing {
        id: 1,
        channel: Channel::Email,
        recipient: "nobody@example.com".into(),
        template: "email-confirmation".into(),
        subject: "s".into(),
        text: "x".into(),
        buttons: Vec::new(),
    };
    assert!(matches!(
        sender.send(&outgoing).await,
        Err(SendError::Status(550))
    ));
    let bad = Outgoing {
        recipient: "not an address".into(),
        ..outgoing
    };
    assert!(matches!(
        sender.send(&bad).await,
        Err(SendError::BadRecipient(_))
    ));
    assert!(smtp.received().is_empty());
}

#[test]
fn smtp_url_and_smtp_from_are_set_both_or_neither() {
    assert!(load(&[]).unwrap().outbox.smtp.is_none());
    let url_only = load(&[("SMTP_URL", "smtp://127.0.0.1:2525")]).unwrap_err();
    assert_eq!(url_only.vars(), vec!["SMTP_FROM"]);
    let from_only = load(&[("SMTP_FROM", "noreply@example.ru")]).unwrap_err();
    assert_eq!(from_only.vars(), vec!["SMTP_URL"]);
    let smtp = smtp_settings(
        "smtps://robot:s3cret@smtp.example.ru:465",
        "Энергосбыт <noreply@example.ru>",
    );
    assert_eq!(smtp.from.email.to_string(), "noreply@example.ru");
    assert_eq!(smtp.from.name.as_deref(), Some("Энергосбыт"));
    assert!(!format!("{smtp:?}").contains("s3cret"));
}

#[test]
fn malformed_smtp_settings_name_their_variable_without_the_secret() {
    let err = load(&[
        ("SMTP_URL", "http://robot:s3cret@smtp.example.ru"),
        ("SMTP_FROM", "not an address"),
    ])
    .unwrap_err();
    assert_eq!(err.vars(), vec!["SMTP_URL", "SMTP_FROM"]);
    assert!(!err.to_string().contains("s3cret"), "{err}");
}
