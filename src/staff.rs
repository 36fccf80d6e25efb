//! The staff look-up (`kabinet account NUMBER`): what a call-center operator checks on the phone.

use crate::accounting::{AccountBalance, AccountingError, account_balance};
use crate::billing::DueSchedule;
use crate::billing::{AccountNumber, Category, Money, ReadingSource, Service, TariffKind, Zone};
use crate::contact::{mask_email, mask_phone};
use crate::store::Store;
use crate::store::accounts::Account;
use crate::store::meters::Meter;
use crate::store::readings::Reading;
use chrono::NaiveDate;
use std::fmt;

/// An account with its meters, their last readings and its balance.
#[derive(Clone, Debug)]
pub struct AccountCard {
    pub account: Account,
    /// Each meter with its last actual reading per zone (up to and including the day looked at).
    pub meters: Vec<(Meter, Vec<Reading>)>,
    pub balance: AccountBalance,
}

impl AccountCard {
    /// Gathers the card of `number` as of `today`; `None` when there is no such account.
    /// Payments count on their day in the company's zone (`zone`, see `TIMEZONE`).
    pub async fn load(
        store: &Store,
        number: &AccountNumber,
        today: NaiveDate,
        due: &DueSchedule,
        zone: chrono::FixedOffset,
    ) -> Result<Option<AccountCard>, AccountingError> {
        let Some(account) = store.account_by_number(number).await? else {
            return Ok(None);
        };
        let tomorrow = today.succ_opt().unwrap_or(today);
        let mut meters = Vec::new();
        for meter in store.meters_of(account.id).await? {
            let mut readings = store.last_actual_readings(meter.id, tomorrow).await?;
            readings.sort_by_key(|r| meter.zones().iter().position(|z| *z == r.zone));
            meters.push((meter, readings));
        }
        let balance = account_balance(store, account.id, today, due, zone).await?;
        Ok(Some(AccountCard {
            account,
            meters,
            balance,
        }))
    }
}

fn category(c: Category) -> &'static str {
    match c {
        Category::Urban => "городское население (газовые плиты)",
        Category::ElectricStove => "городское население (электроплиты)",
        Category::Rural => "сельское население",
    }
}

fn kind(k: TariffKind) -> &'static str {
    match k {
        TariffKind::Single => "однотарифный",
        TariffKind::TwoZone => "двухтарифный",
        TariffKind::ThreeZone => "трёхтарифный",
    }
}

fn zone(z: Zone) -> &'static str {
    match z {
        Zone::Total => "сутки",
        Zone::Day => "день",
        Zone::Night => "ночь",
        Zone::Peak => "пик",
        Zone::SemiPeak => "полупик",
    }
}

fn source(s: ReadingSource) -> &'static str {
    match s {
        ReadingSource::Chat => "чат",
        ReadingSource::Web => "сайт",
        ReadingSource::Inspector => "контролёр",
        ReadingSource::Estimate => "расчёт",
    }
}

fn service(s: Service) -> &'static str {
    match s {
        Service::Electricity => "электроэнергия",
        Service::Odn => "ОДН",
        Service::Penalty => "пени",
        Service::Other => "прочее",
    }
}

fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

impl fmt::Display for AccountCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.account;
        writeln!(f, "Лицевой счёт {}", a.number)?;
        writeln!(f, "  Владелец:  {}", a.holder)?;
        writeln!(f, "  Адрес:     {}", a.address)?;
        writeln!(f, "  Категория: {}", category(a.category))?;
        let phone = a.phone.as_deref().map_or("—".into(), mask_phone);
        let email = a.email.as_deref().map_or("—".into(), mask_email);
        writeln!(f, "  Телефон:   {phone}")?;
        writeln!(f, "  Email:     {email}")?;
        let cabinet = if a.credential_hash.is_some() {
            "есть пароль"
        } else {
            "не зарегистрирован"
        };
        writeln!(f, "  Кабинет:   {cabinet}")?;
        writeln!(f, "Счётчики:")?;
        if self.meters.is_empty() {
            writeln!(f, "  нет")?;
        }
        for (meter, readings) in &self.meters {
            let removed = meter
                .removed_on
                .map_or(String::new(), |d| format!(", снят {}", date(d)));
            writeln!(
                f,
                "  № {} — {}, {} разрядов, установлен {}{removed}",
                meter.serial,
                kind(meter.kind),
                meter.digits,
                date(meter.installed_on)
            )?;
            if readings.is_empty() {
                writeln!(f, "    показаний нет")?;
            }
            for r in readings {
                writeln!(
                    f,
                    "    {:<8} {} кВт·ч на {} ({})",
                    zone(r.zone),
                    r.value.normalize().to_string().replace('.', ","),
                    date(r.taken_on),
                    source(r.source)
                )?;
            }
        }
        writeln!(f, "Баланс по услугам (плюс — долг, минус — аванс):")?;
        for (s, amount) in self.balance.balances.iter() {
            if !amount.is_zero() {
                writeln!(f, "  {:<16} {:>14}", service(s), amount.to_string())?;
            }
        }
        let advance = self.balance.balances.unassigned_advance();
        if !advance.is_zero() {
            writeln!(f, "  {:<16} {:>14}", "аванс за всё", (-advance).to_string())?;
        }
        if !self.balance.accrued_penalty.is_zero() {
            writeln!(
                f,
                "  {:<16} {:>14}  (начислены с {}, ещё не в счёте)",
                "пени к начислению",
                self.balance.accrued_penalty.to_string(),
                self.balance
                    .last_closed
                    .map_or(String::new(), |p| date(p.next().first_day()))
            )?;
        }
        let total: Money = self.balance.total_due();
        write!(f, "  {:<16} {:>14}", "ИТОГО к оплате", total.to_string())
    }
}
