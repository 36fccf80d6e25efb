# Registration, password login and access recovery. Keys match locales/ru/identification.ftl.

## Proving that an account is yours (shared by registration and access recovery)

ident-bad-account = A payment code is 13 digits printed on your bill (for example, 7701000000017). Please check it and enter it again.
ident-unknown-account = Account { $account } was not found. Please check the number on your bill and enter it again.
ident-ask-name = Account { $account }. Please enter the holder's full name (surname, first name, patronymic) as in the contract.
ident-bad-name = Please write the full name in letters, for example: Ivanov Ivan Ivanovich.
ident-ask-serial = The name does not match the account. You have one more option: enter the serial number of a meter installed on this account — it is printed on the meter's case.
ident-bad-serial = A serial number is digits, sometimes with Latin letters and a hyphen. Please check it and enter it again.
ident-wrong-serial = The meter number does not match the account either.
ident-wrong-name = The name does not match the account.
ident-go-to-office = We could not confirm in the bot that the account is yours. Please visit a customer office with your passport — they will help.
ident-locked = Too many attempts. Please try again after { $time }.
ident-locked-on = Too many attempts. Please try again after { $time } on { $date }.

## Registration

reg-start = Registration. Please enter your payment code — 13 digits printed on your bill (for example, 7701000000017).
reg-ask-phone = Thank you, the holder is confirmed. Now we need your mobile number: the login and password for the web account will be sent to it. Tap "Share my number" or type the number as +7 9XX XXX-XX-XX.
reg-share-button = Share my number
reg-not-own-contact = That is someone else's contact. Please share your own number with the "Share my number" button or type it.
reg-bad-phone = That does not look like a phone number. Please type your mobile number as +7 9XX XXX-XX-XX.
reg-not-mobile = We need a Russian mobile number: +7 9XX XXX-XX-XX.
reg-phone-accepted = Number for SMS: { $phone }.
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
login-wrong-password = The password is not right. Check the keyboard layout and Caps Lock and try again.
login-forgot-button = Forgot your password?
login-no-password = Account { $account } has no web account password yet. Please register — the login and password will come by SMS.
login-register-button = Register
login-done = Done! Account { $account } is now linked to this chat. You may want to delete the message with your password from the chat.

## Access recovery

rec-start = Access recovery for the web account. Please enter your payment code — 13 digits printed on your bill.
rec-sent-sms = A new temporary password was sent by SMS to { $phone }. The old password no longer works.
    Log in with the new one on the website or here ("Log in with password") and change it in the settings.
rec-sent-email = A new temporary password was sent by email to { $email }. The old password no longer works.
    Log in with the new one on the website or here ("Log in with password") and change it in the settings.
rec-sent-both = A new temporary password was sent by SMS to { $phone } and by email to { $email }. The old password no longer works.
    Log in with the new one on the website or here ("Log in with password") and change it in the settings.
rec-no-contacts = The account has neither a phone number nor an email address on file, so there is nowhere to send a new password.
