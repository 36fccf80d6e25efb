## Messages the bot sends by SMS, email and chat (outbox)

outbox-web-credentials = { -company(case: "genitive") } online account: login { $login }, password { $password }. Change the password after your first sign-in.
outbox-temporary-password = Temporary password for account { $login }: { $password }. Change it after signing in. If you did not ask for it, call us.
outbox-email-confirmation = Email confirmation code for account { $account }: { $code }. It is valid for 10 minutes. Do not share it with anyone.
outbox-email-changed = The email address of account { $account } was changed to { $new_email }. If it was not you, call us.
outbox-password-changed = The password of account { $account } was changed. If it was not you, call us.

## Email subjects
outbox-subject-web-credentials = Your online account access
outbox-subject-temporary-password = Temporary password
outbox-subject-email-confirmation = Email confirmation code
outbox-subject-email-changed = Email address changed
outbox-subject-password-changed = Password changed
outbox-one-time-code = Confirmation code: { $code }. Do not share it with anyone, not even our staff. Account { $account }.
outbox-subject-one-time-code = Confirmation code
outbox-credentials-undelivered = We could not deliver the { $channel ->
    [sms] text message
   *[email] email
} with the password to account { $account }. If the password did not reach you another way, recover access with /recover or call us.
outbox-subject-credentials-undelivered = Password not delivered
