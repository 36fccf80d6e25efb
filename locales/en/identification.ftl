# Registration, password login and access recovery. Keys match locales/ru/identification.ftl.

## Proving that an account is yours (shared by registration and access recovery)

ident-bad-account = A payment code is 13 digits printed on your bill (for example, 7701000000017). Please check it and enter it again.
ident-ask-name = Account { $account }. Please enter the holder's full name (surname, first name, patronymic) as in the contract.
ident-bad-name = Please write the full name in letters, for example: Ivanov Ivan Ivanovich.
ident-ask-serial = We could not confirm the holder by the name. You have one more option: enter the serial number of a meter installed on this account — it is printed on the meter's case.
ident-bad-serial = A serial number is digits, sometimes with Latin letters and a hyphen. Please check it and enter it again.
ident-wrong-serial = We could not confirm the holder by the meter number either.
ident-go-to-office = We could not confirm in the bot that the account is yours. Please visit a customer office with your passport — they will help.
ident-locked = Too many attempts. Please try again after { $time }.
ident-locked-on = Too many attempts. Please try again after { $time } on { $date }.

## Registration

reg-start = Registration. Please enter your payment code — 13 digits printed on your bill (for example, 7701000000017).
reg-ask-phone = The contract of this account has no phone number. Tap "Share my number" — Telegram then confirms the number is yours — or type it as +7 9XX XXX-XX-XX and we will send a code to it.
reg-share-button = Share my number
reg-not-own-contact = That is someone else's contact. Please share your own number with the "Share my number" button or type it.
reg-bad-phone = That does not look like a phone number. Please type your mobile number as +7 9XX XXX-XX-XX.
reg-not-mobile = We need a Russian mobile number: +7 9XX XXX-XX-XX.
reg-phone-accepted = Number { $phone } confirmed.
reg-ask-email = Please type your email address — the login details will go there too. Email is optional: you can tap "Skip".
reg-skip-button = Skip
reg-bad-email = An email address looks like name@example.com. Please check it and type it again, or tap "Skip".
reg-done = Done! Account { $account } is now linked to this chat.
    The login and password for the web account were sent by SMS to { $phone }. Do not share them with anyone, and change the password when you first log in: Settings → Change password.
reg-done-email = Done! Account { $account } is now linked to this chat.
    The login and password for the web account were sent by SMS to { $phone } and by email to { $email }. Do not share them with anyone, and change the password when you first log in: Settings → Change password.
reg-on-web = Account { $account } is already registered in the web account, and now it is linked to this chat too.
    Log in on the website with your password; if you have forgotten it, send /recover.
reg-already-linked = Account { $account } is already linked to this chat.

## Password login

login-start = Log in with your web account password. Please enter your account number — 13 digits from your bill.
login-ask-password = Please enter the web account password for account { $account }.
login-wrong = The account number or the password is not right. Check the keyboard layout and Caps Lock and enter the password again.
    If you have never registered in the web account, tap "Register"; if you forgot the password, tap "Forgot your password?".
login-forgot-button = Forgot your password?
login-register-button = Register
login-done = Done! Account { $account } is now linked to this chat. We deleted the message with your password from the chat.
## Access recovery

rec-start = Access recovery for the web account. Please enter your payment code — 13 digits printed on your bill.
rec-sent-sms = A new temporary password was sent by SMS to { $phone }. The old password no longer works; this chat is linked to the account, other chats will ask to confirm it again.
    Please change the temporary password in the settings.
rec-sent-both = A new temporary password was sent by SMS to { $phone } and by email to { $email }. The old password no longer works; this chat is linked to the account, other chats will ask to confirm it again.
    Please change the temporary password in the settings.
reg-phone-code-sent = We sent a code by SMS to { $phone }. Please enter it — 6 digits. The code is valid for 10 minutes.
rec-too-soon = The password of this account was reset a moment ago. The next reset is possible after { $time }.
rec-too-soon-on = The password of this account was reset a moment ago. The next reset is possible after { $time } on { $date }.

## Proving the account is yours (possession, not knowledge: the number and the name are on every bill)

prove-choose = Please confirm that the account is yours.{ $phone ->
        [none] {""}
       *[other] {" "}The phone number in the contract: { $phone }. If it is yours, tap "Share my number" and we link at once, or get a code by SMS to that number.
    }{ $password ->
        [yes] {" "}Or enter your web account password.
       *[no] {""}
    }
prove-share-button = Share my number
prove-code-button = Get a code by SMS
prove-code-sent = The code was sent by SMS to { $phone }. Please enter it — 6 digits. The code is valid for 10 minutes.
prove-code-format = The code is the 6 digits from the SMS. Enter it again, or tap "Get a code by SMS" for a new one.
prove-code-wrong = Wrong code. { $left ->
        [one] { $left } attempt left.
       *[other] { $left } attempts left.
    } Please enter the code again:
prove-code-gone = This code no longer works. Please get a new one.
prove-contact-mismatch = This number differs from the one in the contract. Get a code by SMS to the number in the contract, or visit an office with your passport to change the number.
prove-not-own-contact = That is someone else's contact. Please share your own number with the "Share my number" button.
prove-wrong-password = The password is not right. Check the keyboard layout and Caps Lock and try again — or get a code by SMS.
prove-codes-limited = Codes have been sent several times already. The next one is available after { $time }.
prove-codes-limited-on = Codes have been sent several times already. The next one is available after { $time } on { $date }.
prove-no-sms = We cannot send SMS right now: no SMS gateway is configured. Share your number if it is the one in the contract, or visit an office.
prove-no-way = The account has no phone number on file to send a code to.
prove-proven = Thank you, confirmed.
