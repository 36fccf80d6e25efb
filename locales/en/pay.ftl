# Card and SBP payments (issue 10). Company details, offices and phones come from settings.

pay-service = { $service ->
    [electricity] Electricity
    [odn] Common-area electricity
    [penalty] Late-payment penalty
   *[other] Other services
}
pay-balance-line = { pay-service }: { $amount }
pay-nothing-owed = Nothing is owed.

outbox-payment-credited = Your payment of { $amount } has been credited to account { $account }. Thank you!
    Still to pay:
    { $balances }
outbox-payment-declined = The payment of { $amount } for account { $account } did not go through; no money was taken. You can try again.
notice-pay-again-button = Try again
outbox-subject-payment = Payment

pay-unavailable = Card payments are not available right now. Please pay by the receipt at a bank or try later.
pay-debt = Account { $account }. Amount due:
    { $lines }
    Total: { $total }
    What would you like to pay?
pay-debt-line = • { pay-service }: { $amount }
pay-nothing-due = Account { $account }: nothing is owed. You can pay in advance; it will cover the next charges.
pay-all-button = Everything: { $amount }
pay-one-button = { pay-service }: { $amount }
pay-several-button = Choose several…
pay-pick = Tick what to pay: a tap ticks or unticks a service. Ticked: { $amount }.
pay-pick-item = { $picked ->
    [yes] ☑
   *[no] ☐
} { pay-service }: { $amount }
pay-picked-button = Pay the ticked: { $amount }
pay-ask-amount = { pay-service }: the recommended amount is { $amount }. Pay it or enter your own?
pay-ask-amount-all = The recommended amount is { $amount }. Pay it or enter your own?
pay-ask-advance = Enter the advance in roubles, for example 1500 or 1 500.50.
pay-recommended-button = Pay { $amount }
pay-own-amount-button = Another amount
pay-type-amount = Enter the amount in roubles, for example 1500 or 1 500.50.
pay-amount-not-number = I could not read the amount. Enter a number in roubles, for example 1500 or 1 500.50.
pay-amount-zero = The amount must be more than zero. Enter the amount in roubles.
pay-amount-negative = The amount cannot be negative. Enter the amount in roubles.
pay-amount-kopecks = At most two digits after the decimal point, for example 1500.50. Please enter the amount again.
pay-amount-too-large = The bot accepts at most { $max } per payment. Please enter a smaller amount.
pay-change-name-button = Change the name
pay-type-name = Enter the payer's full name.
pay-bad-name = That name will not do: letters, 2 to 200 characters. Enter the payer's full name.
pay-ask-contact-none = Where should the electronic receipt go? Enter a phone number (+7…) or an email address.
pay-change-contact-button = Change the phone or email
pay-type-contact = Enter a phone number (+7…) or an email address for the receipt.
pay-bad-contact = That looks like neither a phone number nor an email address. Enter, for example, +7 903 123-45-67 or ivanov@mail.ru.
pay-consent = Payment of { $amount } for account { $account }.
    Payer: { $name }, receipt to: { $contact }.
    To continue, please agree to the Personal Data Policy ({ $privacy }) and the User Agreement ({ $agreement }).
pay-consent-button = I agree, go to payment
pay-consent-required = You cannot pay through the bot without agreeing to the policy and the agreement. Press «I agree» or «Cancel».
pay-link = Payment of { $amount } for account { $account }. Press the button and pay on the bank's page.
    Crediting takes from a minute to a day; the bot will tell you when it is credited. A mistaken payment is refunded on a written application at a service office; the money comes back within 30 days.
pay-link-sbp = { pay-link }
    Pay by SBP in your bank's app: { $sbp }
pay-card-button = Pay by card
pay-pending = This account already has an unpaid order of { $amount } (made at { $time }). If you have paid it, please wait for it to be credited. Make a new order?
pay-new-order-button = Make a new one
pay-failed = The bank is not taking orders right now. Please try again in a few minutes.
pay-press-button = Please press one of the buttons under the message.
