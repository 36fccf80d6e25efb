//! What the history flow says. Codes (`service`, `source`, `zone`) are chosen by name in the
//! locale files, so a table row is one message in either language.

use crate::billing::{Money, Period};
use crate::i18n::texts;
use chrono::NaiveDate;
use rust_decimal::Decimal;

texts! {
    /// The history flow's messages, buttons, table rows, chart titles and CSV headers.
    pub enum HistoryText {
        Kinds => "history-kinds",
        ChooseKind => "history-choose-kind",
        KindPayments => "history-kind-payments",
        KindReadings => "history-kind-readings",
        KindStatement => "history-kind-statement",
        Csv => "history-csv",
        OtherPeriod => "history-other-period",
        ChartCaption => "history-chart-caption",
        CsvCaption { from: NaiveDate, to: NaiveDate } => "history-csv-caption",
        PrevPage => "history-prev-page",
        NextPage => "history-next-page",
        Page { page: i64, pages: i64 } => "history-page",
        /// Rows rendered one by one and joined.
        Table { rows: String } => "history-table",
        /// A month on a chart's axis; `year` in two digits.
        MonthShort { month: i64, year: String } => "history-month-short",
        /// `service`: a service code or `all`.
        Service { service: String } => "history-service",
        /// `source`: card, bank, cash, post.
        Source { source: String } => "history-source",
        PaymentsTitle { from: NaiveDate, to: NaiveDate, count: usize, total: Money } => "history-payments-title",
        PaymentRow { date: NaiveDate, service: String, amount: Money, source: String } => "history-payment-row",
        NoPayments { from: NaiveDate, to: NaiveDate } => "history-no-payments",
        ChartPayments => "history-chart-payments",
        CsvPayments => "history-csv-payments",
        /// `zone`: total, day, night, peak, semi_peak.
        Zone { zone: String } => "history-zone",
        /// `source`: chat, web, inspector, estimate.
        ReadingSource { source: String } => "history-reading-source",
        ReadingsTitle { from: NaiveDate, to: NaiveDate, count: usize } => "history-readings-title",
        ReadingRow { serial: String, zone: String, date: NaiveDate, value: Decimal, volume: Decimal, source: String } => "history-reading-row",
        /// The first reading of a zone: no volume to show.
        ReadingRowFirst { serial: String, zone: String, date: NaiveDate, value: Decimal, source: String } => "history-reading-row-first",
        NoReadings { from: NaiveDate, to: NaiveDate } => "history-no-readings",
        /// `by`: date, meter, value.
        SortBy { by: String } => "history-sort-by",
        SortChosen { by: String } => "history-sort-chosen",
        CsvReadings => "history-csv-readings",
        StatementTitle { from: NaiveDate, to: NaiveDate } => "history-statement-title",
        StatementRow { month: Period, opening: Money, charged: Money, paid: Money, closing: Money } => "history-statement-row",
        NoCharges { from: NaiveDate, to: NaiveDate } => "history-no-charges",
        OpenMonth => "history-open-month",
        MonthButton { month: Period } => "history-month-button",
        CsvStatement => "history-csv-statement",
        MonthTitle { month: Period, total: Money } => "history-month-title",
        NoChargesInMonth { month: Period } => "history-no-charges-in-month",
        /// `zone`: a zone code or `none`; `estimated`: yes or no.
        VolumeLine { service: String, zone: String, volume: Decimal, rate: Decimal, amount: Money, estimated: String } => "history-volume-line",
        AmountLine { service: String, amount: Money } => "history-amount-line",
        PenaltyLine { amount: Money, days: i64 } => "history-penalty-line",
        Legend { service: String, amount: Money } => "history-legend",
        ChartMonth { month: Period, total: Money } => "history-chart-month",
    }
}
