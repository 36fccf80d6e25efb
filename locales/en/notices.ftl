# Notices the bot sends on its own (issue 12). Each names its account.

notice-readings-open = Account { $account }: meter readings for { $period } are open. Send yours by { $until }, or the charge will be estimated from your average and then the standard rate.
notice-readings-closing = Account { $account }: readings for { $period } close on { $until } and none has arrived yet. Send yours so the charge follows your meter.
notice-receipt-ready = Account { $account }: the bill for { $period } is ready. Charged for the month { $total }; { $to_pay } to pay in all, by { $due }.
notice-receipt-ready-paid = Account { $account }: the bill for { $period } is ready. Charged for the month { $total }; already paid, nothing to pay.
notice-payment-due = Account { $account }: { $amount } is due by { $due }.
notice-penalty-ahead = Account { $account }: { $amount } is overdue for { $period }. In 5 days, from { $from }, late fees of { $per_day } a day start.
notice-announcement = Account { $account }. { $text }
notice-send-readings-button = Send readings
notice-pay-button = Pay
notice-receipt-button = Bill
outbox-subject-notice = Notice

settings-notices-button = Notifications
settings-notices = Notifications for account { $account }. Tap one to turn it on or off:
settings-notices-topic = { $on ->
    [yes] ✅
   *[no] ❌
} { $topic ->
    [readings] Meter reading reminders
    [receipt] Bill ready
    [payment_due] Payment due
    [penalty] Late fees ahead
   *[announcements] Announcements
}
