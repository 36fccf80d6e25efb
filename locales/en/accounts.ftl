# The My accounts section. Keys match locales/ru/accounts.ftl.

accounts-card = { $account } · { $holder }
    { $address }{ $status ->
        [current] {""}
            Current account.
       *[other] {""}
    }
accounts-stale-card = { $account }
    The sign-in details changed: renew the link to work with this account again.
accounts-pick-action = Choose an action:
accounts-use-button = Make current {$account}
accounts-renew-button = Renew the link {$account}
accounts-unlink-button = Unlink {$account}
accounts-add-button = Link another account
accounts-switched = Done: the current account is now { $account }.
accounts-not-linked = This account is not linked to this chat. Pick an account in My accounts.

## Linking another account, renewing a link

accounts-renewed = The link of account { $account } is renewed; it is now the current one.
## Unlinking

accounts-unlink-confirm = Unlink account { $account } from this chat? The account and its data stay; you can link it again by registering or logging in with the password.
accounts-unlink-yes = Yes, unlink
accounts-unlinked = Account { $account } is unlinked from this chat.
accounts-unlinked-now-current = Account { $account } is unlinked from this chat. The current account is now { $current }.
accounts-unlinked-last = Account { $account } is unlinked. No accounts are linked to this chat any more.

## Other chats

accounts-other-chats = Account { $account } is also linked in { $count ->
        [one] { $count } other chat
       *[other] { $count } other chats
    }: { $chats }. If that is not you, disconnect them.
accounts-disconnect-button = Disconnect other chats
accounts-disconnect-confirm = Disconnect the account from every other chat? This chat stays linked; the other chats will have to confirm the account is theirs again.
accounts-disconnect-yes = Yes, disconnect the others
accounts-disconnected = Done: { $count ->
        [one] { $count } other chat is disconnected
       *[other] { $count } other chats are disconnected
    }. The web account password did not change — if someone may know it, change it in the settings.
accounts-disconnect-raced = The sign-in details changed meanwhile. Please renew the link in My accounts.
