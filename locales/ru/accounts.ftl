# Раздел «Мои лицевые счета». Ключи совпадают с locales/en/accounts.ftl.

accounts-card = { $account } · { $holder }
    { $address }{ $status ->
        [current] {""}
            Текущий счёт.
       *[other] {""}
    }
accounts-stale-card = { $account }
    Данные для входа изменились — обновите подключение, чтобы снова работать с этим счётом.
accounts-pick-action = Выберите действие:
accounts-use-button = Сделать текущим { $account }
accounts-renew-button = Обновить подключение { $account }
accounts-unlink-button = Отключить { $account }
accounts-add-button = Подключить другой счёт
accounts-switched = Готово: текущий лицевой счёт — { $account }.
accounts-not-linked = Этот лицевой счёт не подключён к чату. Выберите счёт в «Мои лицевые счета».

## Подключение другого счёта и обновление подключения

accounts-renewed = Подключение лицевого счёта { $account } обновлено; теперь он текущий.
## Отключение

accounts-unlink-confirm = Отключить лицевой счёт { $account } от этого чата? Сам счёт и его данные останутся; подключить его снова можно через регистрацию или вход по паролю.
accounts-unlink-yes = Да, отключить
accounts-unlinked = Лицевой счёт { $account } отключён от этого чата.
accounts-unlinked-now-current = Лицевой счёт { $account } отключён от этого чата. Текущий счёт теперь — { $current }.
accounts-unlinked-last = Лицевой счёт { $account } отключён. К этому чату больше не подключено ни одного счёта.

## Другие чаты

accounts-other-chats = Лицевой счёт { $account } подключён ещё { $count ->
        [one] в { $count } чате
       *[other] в { $count } чатах
    }: { $chats }. Если это не вы — отключите их.
accounts-disconnect-button = Отключить другие чаты
accounts-disconnect-confirm = Отключить лицевой счёт от всех других чатов? Этот чат останется подключённым; в других чатах придётся снова подтвердить, что счёт ваш.
accounts-disconnect-yes = Да, отключить другие
accounts-disconnected = Готово: { $count ->
        [one] { $count } другой чат отключён
       *[other] другие чаты отключены ({ $count })
    }. Пароль от личного кабинета не изменился — если его могли узнать, смените его в настройках.
accounts-disconnect-raced = Данные для входа изменились, пока вы решали. Обновите подключение в «Мои лицевые счета».
