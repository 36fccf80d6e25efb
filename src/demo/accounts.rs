//! The demo consumers: each stands for a situation worth trying in the bot.

use super::history::{self, Anchor, Habits, Plan, Season};
use super::records::{AccountRecord, Batch, Company};
use super::timeline::Timeline;
use crate::billing::{AccountNumber, Category, TariffKind};
use argon2::password_hash::{PasswordHasher, SaltString};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The web-cabinet password of Кузнецов Олег Николаевич (account 7701000000062).
pub const KUZNETSOV_PASSWORD: &str = "Kuznetsov-2026";

/// A fixed salt, so that reseeding stores the very same hash. Fine for a published demo password;
/// real passwords get a random salt.
const DEMO_SALT: &str = "a2FiaW5ldC1kZW1vLXNhbHQ";

/// The town every demo address is in (fictional).
const TOWN: &str = "г. Новоозёрск";

/// One demo consumer, in a table-like shape. Addresses starting with a street are in [`TOWN`].
struct Demo {
    number: &'static str,
    holder: &'static str,
    address: &'static str,
    category: Category,
    odn_kwh: Decimal,
    phone: &'static str,
    email: Option<&'static str>,
    password: Option<&'static str>,
    serial: &'static str,
    kind: TariffKind,
    digits: i16,
    monthly_kwh: u32,
    season: Season,
    anchor: Anchor,
    habits: Habits,
}

/// The demo accounts of the issue, then a few more ordinary ones.
fn demos() -> Vec<Demo> {
    vec![
        Demo {
            number: "7701000000017",
            holder: "Иванов Иван Иванович",
            address: "ул. Энергетиков, д. 12, кв. 45",
            category: Category::Urban,
            odn_kwh: dec!(9.250),
            phone: "+79031234517",
            email: None,
            password: None,
            serial: "353425345",
            kind: TariffKind::Single,
            digits: 5,
            monthly_kwh: 160,
            season: Season::Home,
            anchor: Anchor::LastTotal(5910),
            habits: Habits::TIDY,
        },
        Demo {
            number: "7701000000024",
            holder: "Петрова Анна Сергеевна",
            address: "пр. Победы, д. 7, кв. 103",
            category: Category::ElectricStove,
            odn_kwh: dec!(11.480),
            phone: "+79267771024",
            email: Some("a.petrova@example.com"),
            password: None,
            serial: "411802736",
            kind: TariffKind::TwoZone,
            digits: 6,
            monthly_kwh: 290,
            season: Season::Home,
            anchor: Anchor::Start(18450),
            habits: Habits {
                card_percent: 80,
                ..Habits::TIDY
            },
        },
        Demo {
            number: "7701000000031",
            holder: "Петрова Анна Сергеевна",
            address: "Новоозёрский р-н, СНТ «Рассвет», уч. 118",
            category: Category::Rural,
            odn_kwh: Decimal::ZERO,
            phone: "+79267771024",
            email: Some("a.petrova@example.com"),
            password: None,
            serial: "508113947",
            kind: TariffKind::ThreeZone,
            digits: 6,
            monthly_kwh: 300,
            season: Season::Dacha,
            anchor: Anchor::Start(7320),
            habits: Habits {
                card_percent: 80,
                ..Habits::TIDY
            },
        },
        Demo {
            number: "7701000000048",
            holder: "Сидоров Пётр Алексеевич",
            address: "ул. Садовая, д. 3, кв. 17",
            category: Category::Urban,
            odn_kwh: dec!(8.730),
            phone: "+79051112048",
            email: None,
            password: None,
            serial: "362907154",
            kind: TariffKind::Single,
            digits: 5,
            monthly_kwh: 230,
            season: Season::Home,
            anchor: Anchor::Start(21735),
            habits: Habits {
                unpaid_months: 5,
                late_percent: 30,
                ..Habits::TIDY
            },
        },
        Demo {
            number: "7701000000055",
            holder: "Ёлкина Мария Фёдоровна",
            address: "ул. Лесная, д. 21, кв. 8",
            category: Category::Urban,
            odn_kwh: dec!(7.310),
            phone: "+79152345055",
            email: None,
            password: None,
            serial: "371554620",
            kind: TariffKind::Single,
            digits: 5,
            monthly_kwh: 180,
            season: Season::Home,
            anchor: Anchor::Start(9044),
            habits: Habits {
                silent_months: 4,
                ..Habits::TIDY
            },
        },
        Demo {
            number: "7701000000062",
            holder: "Кузнецов Олег Николаевич",
            address: "ул. Набережная, д. 5, кв. 64",
            category: Category::ElectricStove,
            odn_kwh: dec!(10.960),
            phone: "+79857654062",
            email: Some("o.kuznetsov@example.com"),
            password: Some(KUZNETSOV_PASSWORD),
            serial: "429630581",
            kind: TariffKind::TwoZone,
            digits: 6,
            monthly_kwh: 320,
            season: Season::Home,
            anchor: Anchor::Start(26100),
            habits: Habits {
                card_percent: 90,
                split_percent: 20,
                ..Habits::TIDY
            },
        },
        Demo {
            number: "7701000000079",
            holder: "Смирнова Елена Викторовна",
            address: "ул. Энергетиков, д. 14, кв. 2",
            category: Category::Urban,
            odn_kwh: dec!(9.100),
            phone: "+79033219079",
            email: Some("smirnova.ev@example.com"),
            password: None,
            serial: "388170264",
            kind: TariffKind::Single,
            digits: 5,
            monthly_kwh: 210,
            season: Season::Home,
            anchor: Anchor::Start(14388),
            habits: Habits {
                split_percent: 50,
                ..Habits::TIDY
            },
        },
        Demo {
            number: "7701000000086",
            holder: "Волков Дмитрий Павлович",
            address: "д. Берёзовка, ул. Полевая, д. 9",
            category: Category::Rural,
            odn_kwh: Decimal::ZERO,
            phone: "+79201234086",
            email: None,
            password: None,
            serial: "519476033",
            kind: TariffKind::Single,
            digits: 6,
            monthly_kwh: 420,
            season: Season::Home,
            anchor: Anchor::Start(48210),
            habits: Habits {
                late_percent: 20,
                ..Habits::TIDY
            },
        },
        Demo {
            number: "7701000000093",
            holder: "Морозова Ольга Николаевна",
            address: "пр. Победы, д. 11, кв. 56",
            category: Category::ElectricStove,
            odn_kwh: dec!(12.050),
            phone: "+79174560093",
            email: Some("morozova.on@example.com"),
            password: None,
            serial: "436201958",
            kind: TariffKind::ThreeZone,
            digits: 6,
            monthly_kwh: 270,
            season: Season::Home,
            anchor: Anchor::Start(31877),
            habits: Habits {
                inspector_percent: 30,
                ..Habits::TIDY
            },
        },
    ]
}

/// Monthly norm, kWh, by category (a flat of two with a gas or an electric stove, a rural house).
fn norm(category: Category) -> Decimal {
    match category {
        Category::Urban => dec!(140),
        Category::ElectricStove => dec!(180),
        Category::Rural => dec!(220),
    }
}

/// The argon2 PHC string of a demo password (argon2id with the crate's default cost).
pub fn password_hash(password: &str) -> String {
    let salt = SaltString::from_b64(DEMO_SALT).expect("the demo salt is valid base64");
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password with default parameters")
        .to_string()
}

/// [`password_hash`], remembered: argon2 is slow on purpose, and the demo hashes are fixed.
fn cached_hash(password: &str) -> String {
    static HASHES: Mutex<BTreeMap<String, String>> = Mutex::new(BTreeMap::new());
    let mut hashes = HASHES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    hashes
        .entry(password.to_owned())
        .or_insert_with(|| password_hash(password))
        .clone()
}

/// The demo accounts with two years of readings and payments, as seen on `today`.
pub fn demo_batch(company: &Company, today: chrono::NaiveDate) -> Batch {
    let timeline = Timeline::new(today);
    let mut batch = Batch::default();
    for demo in demos() {
        let number = AccountNumber::parse(demo.number).expect("demo numbers have 13 digits");
        let address = if demo.address.starts_with("ул.") || demo.address.starts_with("пр.") {
            format!("{TOWN}, {}", demo.address)
        } else {
            demo.address.to_owned()
        };
        let plan = Plan {
            seed: demo.number.parse().expect("digits"),
            account: AccountRecord {
                number,
                holder: demo.holder.to_owned(),
                address,
                category: demo.category,
                odn_kwh: demo.odn_kwh,
                norm_kwh: norm(demo.category),
                credential_hash: demo.password.map(cached_hash),
                phone: Some(demo.phone.to_owned()),
                email: demo.email.map(str::to_owned),
            },
            serial: demo.serial.to_owned(),
            kind: demo.kind,
            digits: demo.digits,
            monthly_kwh: demo.monthly_kwh,
            season: demo.season,
            anchor: demo.anchor,
            habits: demo.habits,
        };
        history::generate(&plan, company, &timeline, &mut batch);
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::Period;
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    use chrono::NaiveDate;

    fn days() -> impl Iterator<Item = NaiveDate> {
        let first = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        (0..500)
            .step_by(7)
            .map(move |d| first + chrono::Days::new(d))
    }

    #[test]
    fn ivanov_s_last_reading_is_5910_whatever_the_day() {
        for today in days() {
            let batch = demo_batch(&Company::demo(), today);
            let last = batch
                .readings
                .iter()
                .filter(|r| r.meter_serial == "353425345")
                .max_by_key(|r| r.taken_on)
                .unwrap();
            assert_eq!(last.value, dec!(5910), "on {today}");
            assert!(last.taken_on < today);
        }
    }

    #[test]
    fn yolkina_sent_no_readings_in_the_last_four_months() {
        for today in days() {
            let batch = demo_batch(&Company::demo(), today);
            let last = batch
                .readings
                .iter()
                .filter(|r| r.meter_serial == "371554620")
                .map(|r| r.period)
                .max()
                .unwrap();
            assert_eq!(last, Period::of(today).plus(-5), "on {today}");
        }
    }

    #[test]
    fn sidorov_paid_nothing_in_the_last_five_months() {
        for today in days() {
            let batch = demo_batch(&Company::demo(), today);
            let since = Period::of(today).plus(-4).first_day();
            let sidorov: Vec<_> = batch
                .payments
                .iter()
                .filter(|p| p.account.as_str() == "7701000000048")
                .collect();
            assert!(sidorov.len() >= 15, "on {today}");
            assert!(sidorov.iter().all(|p| p.paid_at.date_naive() < since));
        }
    }

    #[test]
    fn kuznetsov_s_password_verifies_against_the_stored_hash() {
        let hash = password_hash(KUZNETSOV_PASSWORD);
        assert_eq!(hash, password_hash(KUZNETSOV_PASSWORD));
        let parsed = PasswordHash::new(&hash).unwrap();
        let argon = argon2::Argon2::default();
        assert!(
            argon
                .verify_password(KUZNETSOV_PASSWORD.as_bytes(), &parsed)
                .is_ok()
        );
        assert!(argon.verify_password(b"kuznetsov-2026", &parsed).is_err());
    }
}
