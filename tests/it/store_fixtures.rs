//! Small builders for the store tests.

use chrono::NaiveDate;
use kabinet::billing::{AccountNumber, Category, TariffKind};
use kabinet::store::Store;
use kabinet::store::accounts::{Account, NewAccount};
use kabinet::store::meters::{Meter, NewMeter};
use kabinet::store::testing::TestDb;
use rust_decimal_macros::dec;

pub async fn db() -> TestDb {
    TestDb::new().await.expect("test database")
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub fn new_account(number: &str) -> NewAccount {
    NewAccount {
        number: AccountNumber::parse(number).expect("13 digits"),
        holder: "Иванов Иван Иванович".into(),
        address: "г. Москва, ул. Примерная, д. 1, кв. 1".into(),
        category: Category::Urban,
        odn_kwh: dec!(12.5),
        norm_kwh: dec!(80),
        phone: Some("+79161234567".into()),
        email: Some("ivanov@mail.ru".into()),
    }
}

pub async fn account(store: &Store, number: &str) -> Account {
    store
        .insert_account(&new_account(number))
        .await
        .expect("account")
}

pub async fn meter(store: &Store, account: &Account, serial: &str, kind: TariffKind) -> Meter {
    store
        .insert_meter(&NewMeter {
            account_id: account.id,
            serial: serial.into(),
            kind,
            digits: 5,
            fraction_digits: 0,
            installed_on: day(2020, 1, 15),
            verified_until: Some(day(2036, 1, 15)),
        })
        .await
        .expect("meter")
}
