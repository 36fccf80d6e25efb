## The receipt (ЕПД) as a PDF. A month comes as its number ($month, $first_month: 1–12) and a year.

receipt-pick = Receipts for account { $account }. Choose a month:
# A month's button: "October 2026"
receipt-month-button = { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }
receipt-older = Earlier »
receipt-newer = « Later
receipt-sent = Receipt for { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }, account { $account }: { $total } due by { $due }.
receipt-sent-nothing-due = Receipt for { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }, account { $account }: nothing to pay, thank you.
receipt-none-yet = There are no receipts for this account yet: nothing has been charged so far.
receipt-not-closed = The receipt for { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year } is not ready yet: it is made once the month is over.
receipt-before-account = There is no receipt for { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }: this account has been billed since { $first_month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $first_year }.
receipt-no-charges = Nothing was charged for { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }, so there is no receipt.
receipt-not-understood = Sorry, which month? Press a month's button or type it, for example 09.2026 or September 2026.
