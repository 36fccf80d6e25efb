# The My accounts section. Keys match locales/ru/accounts.ftl.

accounts-card = { $account } · { $holder }
    { $address }{ $status ->
        [current] {""}
            Current account.
        [current-renew] {""}
            Current account. The password has changed — please renew the link.
        [renew] {""}
            The password has changed — please renew the link.
       *[other] {""}
    }
accounts-pick-action = Choose an action:
accounts-use-button = Make current {$account}
accounts-renew-button = Renew the link {$account}
accounts-unlink-button = Unlink {$account}
accounts-add-button = Link another account
accounts-switched = Done: the current account is now { $account }.
accounts-not-linked = This account is not linked to this chat. Pick an account in My accounts.

## Linking another account, renewing a link

accounts-ask-number = Enter the account number — the 13 digits on your bill:
accounts-bad-number = An account number is 13 digits, as on your bill. Please enter it again:
accounts-unknown = Account { $account } was not found. Check the number on your bill and enter it again:
accounts-already-linked = Account { $account } is already linked to this chat; it is now the current one.
accounts-no-password = Account { $account } has no web-cabinet password. Link it through registration: you will need the holder's full name and phone.
accounts-ask-password = Enter the web-cabinet password of account { $account }:
accounts-ask-renewal = The password of account { $account } has changed. To use it in this chat again, enter the new password:
accounts-linked = Account { $account } ({ $holder }) is linked and is now the current one.
    Your message with the password stays in the Telegram chat history — please delete it.
accounts-renewed = The link of account { $account } is renewed; it is now the current one.
    Your message with the password stays in the Telegram chat history — please delete it.

## Unlinking

accounts-unlink-confirm = Unlink account { $account } from this chat? The account and its data stay; you can link it again with the password or through registration.
accounts-unlink-yes = Yes, unlink
accounts-unlinked = Account { $account } is unlinked from this chat.
accounts-unlinked-now-current = Account { $account } is unlinked from this chat. The current account is now { $current }.
accounts-unlinked-last = Account { $account } is unlinked. No accounts are linked to this chat any more.
