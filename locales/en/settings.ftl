# The Settings section: email and web-cabinet password. Keys match locales/ru/settings.ftl.

settings-overview = Settings of account { $account }:
    Email: { $email ->
        [none] not set
       *[other] { $email }
    }
    Phone: { $phone ->
        [none] not set
       *[other] { $phone }
    }
    Web-cabinet password: { $password ->
        [set] set
       *[unset] not set
    }
    The phone number is changed at an office, with your passport.
settings-email-button = Change email
settings-password-button = Change password
settings-pick-action = Please choose what to change with a button below.
settings-renew-first = The sign-in details of account { $account } changed after this chat was linked. Please renew the link first: My accounts → Renew the link.
settings-not-linked = This account is no longer linked to this chat.

## Changing the email

settings-email-ask = Enter your new email address:
settings-email-bad = That does not look like an email address (it looks like name@example.com). Please enter it again:
settings-email-same = This address is already on the account. Enter another one or press Cancel.
settings-email-repeat = Enter the same address once more, to be sure:
settings-email-mismatch = The addresses do not match. Let's start over: enter your new email address:
settings-email-code-sent = We have sent an email with a confirmation code to { $email }. Enter the code from the email — 6 digits. The code is valid for 10 minutes.
    If there is no email, check the Spam folder.
settings-email-code-format = The confirmation code is the 6 digits from the email. Please enter it again:
settings-email-code-wrong = Wrong code. { $left ->
        [one] { $left } attempt left.
       *[other] { $left } attempts left.
    } Please enter the code again:
settings-email-code-exhausted = This code no longer works. Let us start again: enter the new email address:
settings-email-other-address = Use another address
settings-email-changed = Email changed: { $email }.

## Changing the password

settings-password-none = This account has no web-cabinet password yet. You can get one with Recover access: a temporary password comes by SMS or to the email on the account.
settings-password-ask-current = Enter your current web-cabinet password:
settings-password-wrong = Wrong password. Check the keyboard layout and Caps Lock, and enter the password again:
settings-password-ask-new = Choose a new password: at least 8 characters, letters and digits, no spaces. Enter it:
settings-password-too-short = The password is too short: it needs at least { $min } { $min ->
        [one] character
       *[other] characters
    }. Please choose another:
settings-password-too-long = The password is too long: at most { $max } { $max ->
        [one] character
       *[other] characters
    }. Please choose another:
settings-password-letters-digits = The password needs both letters and digits. Please choose another:
settings-password-bad-characters = The password must not contain spaces. Please choose another:
settings-password-same = The new password is the same as the current one. Please choose another:
settings-password-repeat = Enter the new password once more:
settings-password-mismatch = The passwords do not match. Please enter the new password again from the start:
settings-password-raced = The password was changed elsewhere while you were typing. Please start again.
settings-password-changed = Password changed. This chat stays linked; other chats linked with the old password will ask for the new one.
    Your messages with passwords stay in the Telegram chat history — please delete them.
