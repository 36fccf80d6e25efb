## Сообщения, которые бот отправляет по SMS, почте и в чат (outbox)

outbox-web-credentials = Личный кабинет { -company(case: "genitive") }: логин { $login }, пароль { $password }. Смените пароль после первого входа.
outbox-temporary-password = Временный пароль к лицевому счёту { $login }: { $password }. Смените его после входа. Если вы его не запрашивали, позвоните нам.
outbox-email-confirmation = Код подтверждения адреса для лицевого счёта { $account }: { $code }. Код действует 10 минут. Никому его не сообщайте.
outbox-email-changed = Адрес почты для лицевого счёта { $account } заменён на { $new_email }. Если это были не вы, позвоните нам.
outbox-password-changed = Пароль к лицевому счёту { $account } изменён. Если это были не вы, позвоните нам.

## Темы писем
outbox-subject-web-credentials = Доступ в личный кабинет
outbox-subject-temporary-password = Временный пароль
outbox-subject-email-confirmation = Код подтверждения адреса почты
outbox-subject-email-changed = Адрес почты изменён
outbox-subject-password-changed = Пароль изменён
outbox-one-time-code = Код подтверждения: { $code }. Никому его не сообщайте, даже сотрудникам Энергосбыта. Лицевой счёт { $account }.
outbox-subject-one-time-code = Код подтверждения
outbox-credentials-undelivered = Не удалось доставить { $channel ->
    [sms] SMS
   *[email] письмо
} с паролем к лицевому счёту { $account }. Если пароль не пришёл другим способом, восстановите доступ: /recover — или позвоните нам.
outbox-subject-credentials-undelivered = Пароль не доставлен
