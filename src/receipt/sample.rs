//! A receipt for unit tests: a debtor's month with a penalty, ОДН, a recalculation and a
//! payment.

use super::{Line, MeterRow, Paid, Receipt};
use crate::billing::{AccountNumber, Money, Period, Service, Zone};
use crate::config::Company;
use crate::store::payments::PaymentSource;
use chrono::NaiveDate;
use rust_decimal_macros::dec;

pub fn receipt() -> Receipt {
    Receipt {
        supplier: Company::default(),
        account: AccountNumber::parse("7701000000048").unwrap(),
        holder: "Сидоров Пётр Алексеевич".into(),
        address: "Новоозёрск, ул. Садовая, д. 3, кв. 41".into(),
        period: Period::new(2026, 10).unwrap(),
        lines: vec![
            Line {
                service: Service::Electricity,
                zone: Some(Zone::Day),
                volume: Some(dec!(180)),
                rate: Some(dec!(6.7735)),
                amount: Money::from_decimal(dec!(1219.23)),
                estimated: false,
            },
            Line {
                service: Service::Electricity,
                zone: Some(Zone::Night),
                volume: Some(dec!(90)),
                rate: Some(dec!(2.356)),
                amount: Money::from_decimal(dec!(212.04)),
                estimated: true,
            },
            Line {
                service: Service::Odn,
                zone: None,
                volume: Some(dec!(4.5)),
                rate: Some(dec!(5.89)),
                amount: Money::from_decimal(dec!(26.51)),
                estimated: false,
            },
            Line {
                service: Service::Electricity,
                zone: None,
                volume: None,
                rate: None,
                amount: Money::from_decimal(dec!(-120.00)),
                estimated: false,
            },
        ],
        penalty: Money::from_decimal(dec!(48.37)),
        meters: vec![
            MeterRow {
                serial: "362907154".into(),
                zone: Zone::Day,
                previous: Some(dec!(12040)),
                current: Some(dec!(12220)),
            },
            MeterRow {
                serial: "362907154".into(),
                zone: Zone::Night,
                previous: Some(dec!(5010)),
                current: None,
            },
        ],
        opening: Money::from_decimal(dec!(5120.40)),
        payments: vec![Paid {
            date: NaiveDate::from_ymd_opt(2026, 10, 12).unwrap(),
            amount: Money::from_decimal(dec!(1000)),
            source: PaymentSource::Bank,
        }],
        due_date: NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(),
    }
}
