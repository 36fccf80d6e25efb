# Choosing the period of a history. Keys match locales/ru/period.ftl.

period-ask = For which period? Choose a button or type the dates, for example: 01.09.2026 - 30.11.2026, 09.2026-11.2026, "from 1 September to 30 November" or "September–November 2026".
period-this-year = This year
period-last-months = { $months ->
        [one] Last month
       *[other] Last { $months } months
    }
period-all = All time
period-calendar = Calendar
period-pick-start = { $month }: tap the first day of the period, or type the dates.
period-pick-end = { $month }: from { $from }; tap the last day of the period.
period-prev = ◀ Earlier
period-next = Later ▶
period-weekday = { $day ->
        [1] Mo
        [2] Tu
        [3] We
        [4] Th
        [5] Fr
        [6] Sa
       *[7] Su
    }
period-day = { $day }
period-blank = ·
period-chosen = ✓{ $day }
period-not-understood = I could not read those dates. Type, for example, 01.09.2026 - 30.11.2026 or "September–November 2026", or choose a period with a button.
period-no-such-date = There is no such date in the calendar. Please check the day and the month.
period-start-after-end = The period starts ({ $from }) after it ends ({ $to }). Please give the earlier date first.
period-in-future = That period has not come yet: today is { $today }. Please choose a period in the past.
period-before-history = This account's history is kept from { $earliest }. Please choose a period after that date.
