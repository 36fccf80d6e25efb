//! Synthetic consumers for measurements: as many as asked, each a pure function of its index, so
//! any chunk can be generated alone, in any order, with the same result.

use super::history::{self, Anchor, Habits, Plan, Season};
use super::records::{AccountRecord, Batch, Company};
use super::rng::SplitMix64;
use super::timeline::Timeline;
use crate::billing::{AccountNumber, Category, TariffKind};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Synthetic account numbers are `78` and the index in 11 digits: the demo ones start with `77`.
pub const SYNTHETIC_PREFIX: &str = "78";

/// The most synthetic accounts there can be: their meter serials are `8` and the index in 10
/// digits, longer than any demo serial.
pub const SYNTHETIC_MAX: usize = 10_000_000_000;

/// Picks the synthetic consumers' streams apart from every other use of the generator.
const FAMILY: u64 = 0x5EED_0078_0000_0001;

const SURNAMES: [&str; 30] = [
    "Смирнов",
    "Иванов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
];
const MALE_NAMES: [&str; 16] = [
    "Александр",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Алексей",
    "Максим",
    "Евгений",
    "Иван",
    "Михаил",
    "Николай",
    "Владимир",
    "Павел",
    "Олег",
    "Юрий",
    "Виктор",
    "Пётр",
];
const FEMALE_NAMES: [&str; 16] = [
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Анна",
    "Мария",
    "Екатерина",
    "Марина",
    "Юлия",
    "Галина",
    "Людмила",
    "Надежда",
    "Валентина",
    "Вера",
];
/// A father's name as a son's and as a daughter's patronymic.
const PATRONYMICS: [(&str, &str); 14] = [
    ("Александрович", "Александровна"),
    ("Сергеевич", "Сергеевна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Андреевич", "Андреевна"),
    ("Алексеевич", "Алексеевна"),
    ("Иванович", "Ивановна"),
    ("Михайлович", "Михайловна"),
    ("Николаевич", "Николаевна"),
    ("Владимирович", "Владимировна"),
    ("Павлович", "Павловна"),
    ("Викторович", "Викторовна"),
    ("Петрович", "Петровна"),
    ("Васильевич", "Васильевна"),
    ("Анатольевич", "Анатольевна"),
];
const TOWN_STREETS: [&str; 12] = [
    "ул. Ленина",
    "ул. Садовая",
    "ул. Лесная",
    "ул. Набережная",
    "ул. Энергетиков",
    "пр. Победы",
    "ул. Гагарина",
    "ул. Мира",
    "ул. Молодёжная",
    "ул. Заводская",
    "ул. Строителей",
    "бул. Озёрный",
];
const VILLAGES: [&str; 6] = [
    "д. Берёзовка",
    "с. Никольское",
    "д. Сосновка",
    "с. Покровское",
    "д. Заречье",
    "п. Луговой",
];
const VILLAGE_STREETS: [&str; 5] = [
    "ул. Полевая",
    "ул. Центральная",
    "ул. Луговая",
    "ул. Новая",
    "ул. Садовая",
];
const GARDENS: [&str; 4] = [
    "СНТ «Рассвет»",
    "СНТ «Энергетик»",
    "СНТ «Ромашка»",
    "СНТ «Озёрное»",
];

/// Synthetic accounts `start..start + len` with their meters, two years of readings and payments,
/// as seen on `today`. The same arguments always give the same records.
pub fn synthetic_chunk(start: usize, len: usize, today: NaiveDate) -> Batch {
    assert!(
        start + len <= SYNTHETIC_MAX,
        "at most {SYNTHETIC_MAX} synthetic accounts"
    );
    let company = Company::demo();
    let timeline = Timeline::new(today);
    let mut batch = Batch::default();
    for index in start..start + len {
        history::generate(&plan(index as u64), &company, &timeline, &mut batch);
    }
    batch
}

/// The account number of synthetic consumer `index`.
pub fn synthetic_number(index: usize) -> String {
    format!("{SYNTHETIC_PREFIX}{index:011}")
}

/// The synthetic consumer number `index`.
fn plan(index: u64) -> Plan {
    let mut rng = SplitMix64::keyed(FAMILY, index);
    let roll = rng.between(0, 99);
    let category = match roll {
        0..60 => Category::Urban,
        60..85 => Category::ElectricStove,
        _ => Category::Rural,
    };
    let dacha = category == Category::Rural && rng.chance(40);
    let house = category == Category::Rural && !dacha;
    let (address, season, monthly_kwh) = if dacha {
        let address = format!(
            "Новоозёрский р-н, {}, уч. {}",
            rng.pick(&GARDENS),
            rng.between(1, 400)
        );
        (address, Season::Dacha, rng.between(150, 400))
    } else if house {
        let address = format!(
            "{}, {}, д. {}",
            rng.pick(&VILLAGES),
            rng.pick(&VILLAGE_STREETS),
            rng.between(1, 80)
        );
        (address, Season::Home, rng.between(250, 500))
    } else {
        let address = format!(
            "г. Новоозёрск, {}, д. {}, кв. {}",
            rng.pick(&TOWN_STREETS),
            rng.between(1, 60),
            rng.between(1, 180)
        );
        (address, Season::Home, rng.between(150, 350))
    };
    let kind = match (category, rng.between(0, 99)) {
        (Category::Urban, 0..75) | (Category::ElectricStove, 0..50) | (Category::Rural, 0..70) => {
            TariffKind::Single
        }
        (Category::Urban, 75..93)
        | (Category::ElectricStove, 50..85)
        | (Category::Rural, 70..90) => TariffKind::TwoZone,
        _ => TariffKind::ThreeZone,
    };
    let odn_kwh = if dacha || house {
        Decimal::ZERO
    } else {
        Decimal::new(i64::from(rng.between(4_000, 25_000)), 3)
    };
    let digits = rng.between(5, 8) as i16;
    let start = rng.between(300, 10u32.pow(digits as u32) / 10 * 6);
    let phone = rng
        .chance(80)
        .then(|| format!("+79{:09}", rng.next_u64() % 1_000_000_000));
    let email = rng
        .chance(30)
        .then(|| format!("abonent{index}@example.com"));
    let holder = holder(&mut rng);
    let habits = habits(&mut rng);
    Plan {
        seed: rng.next_u64(),
        account: AccountRecord {
            number: AccountNumber::parse(&synthetic_number(index as usize)).expect("13 digits"),
            holder,
            address,
            category,
            odn_kwh,
            norm_kwh: Decimal::from(rng.between(90, 300)),
            credential_hash: None,
            phone,
            email,
        },
        serial: format!("8{index:010}"),
        kind,
        digits,
        monthly_kwh,
        season,
        anchor: Anchor::Start(start),
        habits,
    }
}

fn holder(rng: &mut SplitMix64) -> String {
    let surname = rng.pick(&SURNAMES);
    let (son, daughter) = rng.pick(&PATRONYMICS);
    if rng.chance(50) {
        format!("{surname} {} {son}", rng.pick(&MALE_NAMES))
    } else {
        format!("{surname}а {} {daughter}", rng.pick(&FEMALE_NAMES))
    }
}

/// Most consumers are tidy; the rest are late, pay in part, stopped paying, stopped reading or
/// forget readings now and then — the cases period close has to handle.
fn habits(rng: &mut SplitMix64) -> Habits {
    let tidy = Habits {
        card_percent: rng.between(20, 80),
        gap_percent: 2,
        ..Habits::TIDY
    };
    match rng.between(0, 99) {
        0..80 => tidy,
        80..88 => Habits {
            late_percent: 60,
            ..tidy
        },
        88..92 => Habits {
            paid_share_percent: rng.between(70, 90),
            ..tidy
        },
        92..95 => Habits {
            unpaid_months: rng.between(2, 8) as i32,
            ..tidy
        },
        95..98 => Habits {
            silent_months: rng.between(1, 6) as i32,
            ..tidy
        },
        _ => Habits {
            gap_percent: 25,
            ..tidy
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn a_chunk_is_the_same_whether_made_alone_or_within_a_larger_one() {
        let whole = synthetic_chunk(0, 20, today());
        let tail = synthetic_chunk(10, 10, today());
        assert_eq!(whole.accounts[10..], tail.accounts[..]);
        assert_eq!(whole.meters[10..], tail.meters[..]);
    }

    #[test]
    fn synthetic_numbers_and_serials_do_not_look_like_demo_ones() {
        let batch = synthetic_chunk(123, 1, today());
        assert_eq!(batch.accounts[0].number.as_str(), "7800000000123");
        assert_eq!(batch.meters[0].serial, "80000000123");
    }

    #[test]
    fn every_kind_of_meter_and_category_appears() {
        let batch = synthetic_chunk(0, 300, today());
        for kind in [
            TariffKind::Single,
            TariffKind::TwoZone,
            TariffKind::ThreeZone,
        ] {
            assert!(batch.meters.iter().any(|m| m.tariff_kind == kind), "{kind}");
        }
        for category in [Category::Urban, Category::ElectricStove, Category::Rural] {
            assert!(
                batch.accounts.iter().any(|a| a.category == category),
                "{category}"
            );
        }
    }

    #[test]
    fn readings_never_go_down() {
        let batch = synthetic_chunk(0, 200, today());
        let mut last = std::collections::HashMap::new();
        for r in &batch.readings {
            if let Some((value, day)) =
                last.insert((&r.meter_serial, r.zone), (r.value, r.taken_on))
            {
                assert!(
                    value <= r.value && day < r.taken_on,
                    "{r:?} after {value} on {day}"
                );
            }
        }
        assert!(last.len() >= 200);
    }
}
