# Уведомления, которые бот присылает сам (issue 12). Каждое называет лицевой счёт.

notice-readings-open = Лицевой счёт { $account }: открыт приём показаний за период «{ $period }». Передайте их до { $until } — иначе начисление будет по среднему, а затем по нормативу.
notice-readings-closing = Лицевой счёт { $account }: приём показаний за период «{ $period }» закрывается { $until }, а показаний ещё нет. Передайте их, чтобы начисление было по счётчику.
notice-receipt-ready = Лицевой счёт { $account }: квитанция за период «{ $period }» готова. Начислено за месяц { $total }, всего к оплате { $to_pay } до { $due }.
notice-receipt-ready-paid = Лицевой счёт { $account }: квитанция за период «{ $period }» готова. Начислено за месяц { $total }; уже оплачено, к оплате ничего.
notice-payment-due = Лицевой счёт { $account }: к оплате { $amount }, срок — до { $due }.
notice-penalty-ahead = Лицевой счёт { $account }: долг за период «{ $period }» — { $amount }. Через 5 дней, с { $from }, начнут начисляться пени: { $per_day } в день.
notice-announcement = Лицевой счёт { $account }. { $text }
notice-send-readings-button = Передать показания
notice-pay-button = Оплатить
notice-receipt-button = Квитанция
outbox-subject-notice = Уведомление

settings-notices-button = Уведомления
settings-notices = Уведомления по лицевому счёту { $account }. Нажатие включает или выключает:
settings-notices-topic = { $on ->
    [yes] ✅
   *[no] ❌
} { $topic ->
    [readings] Показания: напоминания
    [receipt] Квитанция готова
    [payment_due] Срок оплаты
    [penalty] Пени впереди
   *[announcements] Объявления
}
