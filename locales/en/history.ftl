# The «History» section: payments, readings, charges and payments. Keys match locales/ru/history.ftl.
# $service: electricity, odn, penalty, other, or all (a payment for everything);
# $source of a payment: card, bank, cash, post; of a reading: chat, web, inspector, estimate;
# $zone: total, day, night, peak, semi_peak (none: no zone).

history-kinds = Which history would you like to see?
history-choose-kind = Please choose a history with a button below.
history-kind-payments = Payments
history-kind-readings = Readings
history-kind-statement = Charges and payments
history-csv = Download CSV
history-other-period = Another period
history-chart-caption = The chart for the table above.
history-csv-caption = The table from { $from } to { $to }: it opens in Excel, LibreOffice or Google Sheets.
history-prev-page = ◀ Previous
history-next-page = Next ▶
history-page = Page { $page } of { $pages }.
history-table = { $rows }
history-month-short = { $month ->
        [1] Jan
        [2] Feb
        [3] Mar
        [4] Apr
        [5] May
        [6] Jun
        [7] Jul
        [8] Aug
        [9] Sep
        [10] Oct
        [11] Nov
       *[12] Dec
    } { $year }
history-service = { $service ->
        [electricity] Electricity
        [odn] Common-area electricity
        [penalty] Late-payment penalty
        [all] Everything owed
       *[other] Other
    }
history-source = { $source ->
        [card] by card
        [bank] via a bank
        [cash] in cash
        [post] at the post office
       *[other] other
    }

## Payments

history-payments-title = Payments from { $from } to { $to }: { $count } { $count ->
        [one] payment
       *[other] payments
    } totalling { $total }.
history-payment-row = { $date } · { $service ->
        [electricity] electricity
        [odn] common areas
        [penalty] penalty
        [all] everything owed
       *[other] other
    } · { $amount } · { $source ->
        [card] by card
        [bank] via a bank
        [cash] in cash
        [post] at the post office
       *[other] other
    }
history-no-payments = There were no payments from { $from } to { $to }.
history-chart-payments = Payments by month
history-csv-payments = Date;Service;Amount, RUB;Paid

## Readings

history-zone = { $zone ->
        [day] day
        [night] night
        [peak] peak
        [semi_peak] semi-peak
       *[total] round the clock
    }
history-reading-source = { $source ->
        [chat] in the bot
        [web] on the website
        [inspector] inspector
        [estimate] estimated
       *[other] other
    }
history-readings-title = Readings from { $from } to { $to }: { $count } { $count ->
        [one] entry
       *[other] entries
    }.
history-reading-row = { $date } · { $serial }{ $zone ->
        [day] , day
        [night] , night
        [peak] , peak
        [semi_peak] , semi-peak
       *[total] {""}
    } · { $value } (+{ $volume } kWh) · { $source ->
        [chat] in the bot
        [web] on the website
        [inspector] inspector
        [estimate] estimated
       *[other] other
    }
history-reading-row-first = { $date } · { $serial }{ $zone ->
        [day] , day
        [night] , night
        [peak] , peak
        [semi_peak] , semi-peak
       *[total] {""}
    } · { $value } · { $source ->
        [chat] in the bot
        [web] on the website
        [inspector] inspector
        [estimate] estimated
       *[other] other
    }
history-no-readings = There were no readings from { $from } to { $to }.
history-sort-by = { $by ->
        [meter] By meter
        [value] By value
       *[date] By date
    }
history-sort-chosen = ✓ { $by ->
        [meter] By meter
        [value] By value
       *[date] By date
    }
history-csv-readings = Meter;Zone;Date;Reading;Usage, kWh;Source

## Charges and payments

history-statement-title = Charges and payments from { $from } to { $to }. A balance with a minus sign is money paid in advance.
history-statement-row = { $month }
    opening { $opening } · charged { $charged } · paid { $paid } · closing { $closing }
history-no-charges = There were no charges and no payments from { $from } to { $to }.
history-open-month = Tap a month to see its charges by service.
history-month-button = { $month }
history-csv-statement = Month;Opening, RUB;Charged, RUB;Paid, RUB;Closing, RUB
history-month-title = { $month }: { $total } charged.
history-no-charges-in-month = There are no charges for { $month }.
history-volume-line = { $service ->
        [odn] Common-area electricity
       *[electricity] Electricity
    }{ $zone ->
        [day] , day
        [night] , night
        [peak] , peak
        [semi_peak] , semi-peak
       *[total] {""}
    }: { $volume } kWh × { $rate } ₽ = { $amount }{ $estimated ->
        [yes] {" "}(estimated by average or norm, no reading)
       *[no] {""}
    }
history-amount-line = { $service ->
        [electricity] Electricity
        [odn] Common-area electricity
        [penalty] Late-payment penalty
       *[other] Other
    }: { $amount }
history-penalty-line = Late-payment penalty for { $days } { $days ->
        [one] day
       *[other] days
    }: { $amount }
history-legend = { $service ->
        [electricity] Electricity
        [odn] Common areas
        [penalty] Penalty
       *[other] Other
    } — { $amount }
history-chart-month = { $month }: { $total }
