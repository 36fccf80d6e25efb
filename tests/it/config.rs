//! Settings: defaults, one message per bad variable, secrets that never print.

use kabinet::config::{ConfigError, GatewayEndpoint, LogFormat, Settings};
use std::collections::HashMap;
use std::time::Duration;

fn load(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Settings::from_lookup(|name| map.get(name).cloned())
}

fn failing_vars(vars: &[(&str, &str)]) -> Vec<&'static str> {
    load(vars).expect_err("settings must be refused").vars()
}

#[test]
fn defaults_apply_when_nothing_is_set() {
    let s = load(&[]).unwrap();
    assert!(s.demo_mode());
    assert!(s.redis_url.is_none() && s.telegram_token.is_none() && s.public_url.is_none());
    assert_eq!(s.gateway.endpoint, GatewayEndpoint::Sandbox);
    assert_eq!(
        (s.reading_window.start_day(), s.reading_window.end_day()),
        (15, 25)
    );
    assert_eq!(s.payment_due_day, 15);
    assert_eq!(s.session_ttl, Duration::from_secs(24 * 3600));
    assert_eq!(s.log_format, LogFormat::Text);
    assert_eq!(s.company.inn.len(), 10);
    assert_eq!(s.company.account.len(), 20);
}

#[test]
fn set_values_are_taken() {
    let s = load(&[
        ("DATABASE_URL", "postgres://kabinet:pw@db:5432/kabinet"),
        ("REDIS_URL", "redis://cache:6379"),
        ("PUBLIC_URL", "https://bot.example.ru/"),
        ("READING_WINDOW_START", "23"),
        ("READING_WINDOW_END", "25"),
        ("PAYMENT_DUE_DAY", "10"),
        ("SESSION_TTL_HOURS", "2"),
        ("LOG_FORMAT", "json"),
        ("COMPANY_INN", "7707083893"),
    ])
    .unwrap();
    assert!(!s.demo_mode());
    assert_eq!(
        s.database_url.unwrap().expose(),
        "postgres://kabinet:pw@db:5432/kabinet"
    );
    assert_eq!(s.public_url.as_deref(), Some("https://bot.example.ru"));
    assert!(s.reading_window.contains(24) && !s.reading_window.contains(26));
    assert_eq!(s.payment_due_day, 10);
    assert_eq!(s.session_ttl, Duration::from_secs(7200));
    assert_eq!(s.log_format, LogFormat::Json);
    assert_eq!(s.company.inn, "7707083893");
}

#[test]
fn each_malformed_value_names_its_variable() {
    let cases = [
        ("DATABASE_URL", "mysql://root@db/kabinet"),
        ("REDIS_URL", "127.0.0.1:6379"),
        ("PUBLIC_URL", "bot.example.ru"),
        ("GATEWAY_URL", "ftp://gateway"),
        ("COMPANY_NAME", "Энергосбыт | Плюс"),
        ("COMPANY_INN", "7707083894"),
        ("COMPANY_INN", "770708389"),
        ("COMPANY_KPP", "77010100"),
        ("COMPANY_BANK", &"Б".repeat(46)),
        ("COMPANY_BIC", "04452522"),
        ("COMPANY_ACCOUNT", "4070281020000000000"),
        ("COMPANY_ACCOUNT", "40702810300000000001"),
        ("COMPANY_CORR_ACCOUNT", "30101810500000000225"),
        ("COMPANY_SITE", "energo"),
        ("READING_WINDOW_START", "0"),
        ("READING_WINDOW_START", "fifteen"),
        ("READING_WINDOW_END", "29"),
        ("PAYMENT_DUE_DAY", "31"),
        ("PAYMENT_DUE_DAY", "-1"),
        ("SESSION_TTL_HOURS", "0"),
        ("LOG_FORMAT", "xml"),
    ];
    for (var, value) in cases {
        assert_eq!(failing_vars(&[(var, value)]), vec![var], "{var}={value}");
        let message = load(&[(var, value)]).unwrap_err().to_string();
        assert!(
            message.contains("expected") || message.contains("must"),
            "{message}"
        );
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let err = load(&[
        ("PAYMENT_DUE_DAY", "99"),
        ("COMPANY_BIC", "x"),
        ("REDIS_URL", "nope"),
    ])
    .unwrap_err();
    assert_eq!(
        err.vars(),
        vec!["REDIS_URL", "COMPANY_BIC", "PAYMENT_DUE_DAY"]
    );
    let message = err.to_string();
    assert!(
        message.contains("PAYMENT_DUE_DAY: expected a whole number from 1 to 28, got \"99\""),
        "{message}"
    );
}

#[test]
fn reading_window_must_not_end_before_it_starts() {
    let vars = [("READING_WINDOW_START", "20"), ("READING_WINDOW_END", "18")];
    assert_eq!(failing_vars(&vars), vec!["READING_WINDOW_END"]);
    assert!(load(&[("READING_WINDOW_START", "20"), ("READING_WINDOW_END", "20")]).is_ok());
}

#[test]
fn a_real_gateway_needs_a_user_and_a_password() {
    let url = ("GATEWAY_URL", "https://3dsec.sberbank.ru/payment/rest");
    assert_eq!(
        failing_vars(&[url]),
        vec!["GATEWAY_USER", "GATEWAY_PASSWORD"]
    );
    let s = load(&[
        url,
        ("GATEWAY_USER", "shop-api"),
        ("GATEWAY_PASSWORD", "pw"),
    ])
    .unwrap();
    assert_eq!(
        s.gateway.endpoint,
        GatewayEndpoint::Rest("https://3dsec.sberbank.ru/payment/rest/".into())
    );
}

#[test]
fn empty_values_count_as_unset() {
    let s = load(&[
        ("DATABASE_URL", ""),
        ("PAYMENT_DUE_DAY", "  "),
        ("TELEGRAM_TOKEN", ""),
    ])
    .unwrap();
    assert!(s.demo_mode());
    assert_eq!(s.payment_due_day, 15);
    assert!(s.telegram_token.is_none());
}

#[test]
fn telegram_token_is_required_only_when_asked_for() {
    let s = load(&[]).unwrap();
    let err = s.require_telegram_token().unwrap_err();
    assert_eq!(err.vars(), vec!["TELEGRAM_TOKEN"]);
    let s = load(&[("TELEGRAM_TOKEN", "123:abc")]).unwrap();
    assert_eq!(s.require_telegram_token().unwrap().expose(), "123:abc");
}

#[test]
fn secrets_never_show_in_debug_output() {
    let s = load(&[
        (
            "DATABASE_URL",
            "postgres://kabinet:DbPass1@db/kabinet?password=DbPass1",
        ),
        ("REDIS_URL", "redis://:RedisPass2@cache:6379"),
        ("TELEGRAM_TOKEN", "123456:TokenSecret3"),
        ("GATEWAY_URL", "https://3dsec.sberbank.ru/payment/rest/"),
        ("GATEWAY_USER", "shop-api"),
        ("GATEWAY_PASSWORD", "GatewayPass4"),
        ("GATEWAY_CALLBACK_KEY", "CallbackKey5"),
    ])
    .unwrap();
    let shown = format!("{s:?} {s:#?}");
    for secret in [
        "DbPass1",
        "RedisPass2",
        "TokenSecret3",
        "GatewayPass4",
        "CallbackKey5",
    ] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(
        shown.contains("postgres://kabinet:***@db/kabinet"),
        "{shown}"
    );
    assert!(shown.contains("shop-api"));
}

#[test]
fn a_malformed_secret_is_not_echoed_in_the_error() {
    let message = load(&[("DATABASE_URL", "mysql://root:TopSecret@db")])
        .unwrap_err()
        .to_string();
    assert!(message.contains("DATABASE_URL"), "{message}");
    assert!(!message.contains("TopSecret"), "{message}");
}

const GOOD_SECRET: &str = "0123456789abcdef0123456789ABCDEF_-xyz";

#[test]
fn a_webhook_secret_shorter_than_32_characters_is_refused_by_name() {
    for bad in [
        "hook-Secret_1",
        &"a".repeat(31),
        &"a".repeat(257),
        "0123456789abcdef0123456789abcdef!",
    ] {
        let err = load(&[
            ("PUBLIC_URL", "https://bot.example.ru"),
            ("TELEGRAM_WEBHOOK_SECRET", bad),
        ])
        .unwrap_err();
        assert_eq!(err.vars(), vec!["TELEGRAM_WEBHOOK_SECRET"], "{bad}");
        let message = err.to_string();
        assert!(message.contains("32 to 256 characters"), "{message}");
        assert!(
            !message.contains(bad),
            "the secret is not echoed: {message}"
        );
    }
    let s = load(&[("TELEGRAM_WEBHOOK_SECRET", GOOD_SECRET)]).unwrap();
    assert_eq!(s.require_webhook_secret().unwrap().expose(), GOOD_SECRET);
    let s = load(&[("TELEGRAM_WEBHOOK_SECRET", &"Z".repeat(256))]).unwrap();
    assert!(s.telegram.webhook_secret.is_some());
}

#[test]
fn the_webhook_secret_is_required_only_when_asked_for() {
    let s = load(&[("PUBLIC_URL", "https://bot.example.ru")]).unwrap();
    let err = s.require_webhook_secret().unwrap_err();
    assert_eq!(err.vars(), vec!["TELEGRAM_WEBHOOK_SECRET"]);
}

#[test]
fn metrics_listen_apart_from_the_webhook() {
    let s = load(&[]).unwrap();
    assert_eq!(s.metrics_addr.to_string(), "127.0.0.1:9090");
    assert_eq!(s.telegram.listen_addr.to_string(), "127.0.0.1:8080");
    let s = load(&[("METRICS_ADDR", "0.0.0.0:9100")]).unwrap();
    assert_eq!(s.metrics_addr.to_string(), "0.0.0.0:9100");
    assert_eq!(
        failing_vars(&[("METRICS_ADDR", "localhost")]),
        vec!["METRICS_ADDR"]
    );

    // In webhook mode the two listeners cannot share a port.
    let webhook = [
        ("PUBLIC_URL", "https://bot.example.ru"),
        ("TELEGRAM_WEBHOOK_SECRET", GOOD_SECRET),
        ("LISTEN_ADDR", "0.0.0.0:8080"),
    ];
    for clash in ["127.0.0.1:8080", "0.0.0.0:8080"] {
        let vars = [webhook.as_slice(), &[("METRICS_ADDR", clash)]].concat();
        let err = load(&vars).unwrap_err();
        assert_eq!(err.vars(), vec!["METRICS_ADDR"], "{clash}");
        assert!(err.to_string().contains("must differ from LISTEN_ADDR"));
    }
    let vars = [webhook.as_slice(), &[("METRICS_ADDR", "127.0.0.1:9090")]].concat();
    assert!(load(&vars).is_ok());
    // Polling has no webhook listener to clash with.
    assert!(
        load(&[
            ("LISTEN_ADDR", "127.0.0.1:9090"),
            ("METRICS_ADDR", "127.0.0.1:9090")
        ])
        .is_ok()
    );
}

#[test]
fn the_redis_prefix_defaults_to_kabinet_and_must_end_with_a_colon() {
    assert_eq!(load(&[]).unwrap().redis_prefix, "kabinet:");
    let s = load(&[("REDIS_PREFIX", "kabinet-staging:")]).unwrap();
    assert_eq!(s.redis_prefix, "kabinet-staging:");
    for bad in [
        "staging",
        "two words:",
        "ключ:",
        &format!("{}:", "a".repeat(64)),
    ] {
        let err = load(&[("REDIS_PREFIX", bad)]).unwrap_err();
        assert_eq!(err.vars(), vec!["REDIS_PREFIX"], "{bad}");
        assert!(err.to_string().contains("ending with ':'"), "{err}");
    }
}

#[test]
fn the_time_zone_is_moscow_unless_set_and_an_unknown_one_is_refused() {
    assert_eq!(load(&[]).unwrap().time_zone.name(), "Europe/Moscow");
    let samara = load(&[("TIMEZONE", "Europe/Samara")]).unwrap();
    assert_eq!(samara.time_zone.offset().local_minus_utc(), 4 * 3600);
    assert_eq!(
        failing_vars(&[("TIMEZONE", "Europe/Berlin")]),
        vec!["TIMEZONE"]
    );
}
