# Раздел «История»: платежи, показания, начисления и оплаты. Ключи совпадают с locales/en/history.ftl.
# $service — код услуги: electricity, odn, penalty, other или all (платёж за всё);
# $source — откуда платёж: card, bank, cash, post; показание: chat, web, inspector, estimate;
# $zone — зона: total, day, night, peak, semi_peak (none — без зоны).

history-kinds = Какую историю показать?
history-choose-kind = Выберите историю кнопкой ниже.
history-kind-payments = Платежи
history-kind-readings = Показания
history-kind-statement = Начисления и оплаты
history-csv = Скачать CSV
history-other-period = Другой период
history-chart-caption = График к таблице выше.
history-csv-caption = Таблица с { $from } по { $to }: откроется в Excel, LibreOffice или «Таблицах».
history-prev-page = ◀ Предыдущая
history-next-page = Следующая ▶
history-page = Страница { $page } из { $pages }.
history-table = { $rows }
history-month-short = { $month ->
        [1] янв
        [2] фев
        [3] мар
        [4] апр
        [5] май
        [6] июн
        [7] июл
        [8] авг
        [9] сен
        [10] окт
        [11] ноя
       *[12] дек
    } { $year }
history-service = { $service ->
        [electricity] Электроэнергия
        [odn] ОДН
        [penalty] Пени
        [all] За всё
       *[other] Прочее
    }
history-source = { $source ->
        [card] картой
        [bank] через банк
        [cash] в кассе
        [post] на почте
       *[other] другое
    }

## Платежи

history-payments-title = Платежи с { $from } по { $to }: { $count } { $count ->
        [one] платёж
        [few] платежа
       *[many] платежей
    } на сумму { $total }.
history-payment-row = { $date } · { $service ->
        [electricity] электроэнергия
        [odn] ОДН
        [penalty] пени
        [all] за всё
       *[other] прочее
    } · { $amount } · { $source ->
        [card] картой
        [bank] через банк
        [cash] в кассе
        [post] на почте
       *[other] другое
    }
history-no-payments = С { $from } по { $to } платежей не было.
history-chart-payments = Платежи по месяцам
history-csv-payments = Дата;Услуга;Сумма, ₽;Способ оплаты

## Показания

history-zone = { $zone ->
        [day] день
        [night] ночь
        [peak] пик
        [semi_peak] полупик
       *[total] круглосуточно
    }
history-reading-source = { $source ->
        [chat] в боте
        [web] на сайте
        [inspector] контролёр
        [estimate] расчётное
       *[other] другое
    }
history-readings-title = Показания с { $from } по { $to }: { $count } { $count ->
        [one] запись
        [few] записи
       *[many] записей
    }.
history-reading-row = { $date } · { $serial }{ $zone ->
        [day] , день
        [night] , ночь
        [peak] , пик
        [semi_peak] , полупик
       *[total] {""}
    } · { $value } (+{ $volume } кВт·ч) · { $source ->
        [chat] в боте
        [web] на сайте
        [inspector] контролёр
        [estimate] расчётное
       *[other] другое
    }
history-reading-row-first = { $date } · { $serial }{ $zone ->
        [day] , день
        [night] , ночь
        [peak] , пик
        [semi_peak] , полупик
       *[total] {""}
    } · { $value } · { $source ->
        [chat] в боте
        [web] на сайте
        [inspector] контролёр
        [estimate] расчётное
       *[other] другое
    }
history-no-readings = С { $from } по { $to } показаний не было.
history-sort-by = { $by ->
        [meter] По счётчику
        [value] По показанию
       *[date] По дате
    }
history-sort-chosen = ✓ { $by ->
        [meter] По счётчику
        [value] По показанию
       *[date] По дате
    }
history-csv-readings = Счётчик;Зона;Дата;Показание;Расход, кВт·ч;Откуда

## Начисления и оплаты

history-statement-title = Начисления и оплаты с { $from } по { $to }. Остаток со знаком минус — переплата.
history-statement-row = { $month }
    на начало { $opening } · начислено { $charged } · оплачено { $paid } · на конец { $closing }
history-no-charges = С { $from } по { $to } не было ни начислений, ни оплат.
history-open-month = Нажмите месяц, чтобы увидеть начисления по услугам.
history-month-button = { $month }
history-csv-statement = Месяц;На начало, ₽;Начислено, ₽;Оплачено, ₽;На конец, ₽
history-month-title = { $month }: начислено { $total }.
history-no-charges-in-month = За { $month } начислений нет.
history-volume-line = { $service ->
        [odn] ОДН
       *[electricity] Электроэнергия
    }{ $zone ->
        [day] , день
        [night] , ночь
        [peak] , пик
        [semi_peak] , полупик
       *[total] {""}
    }: { $volume } кВт·ч × { $rate } ₽ = { $amount }{ $estimated ->
        [yes] {" "}(по среднему или нормативу — без показаний)
       *[no] {""}
    }
history-amount-line = { $service ->
        [electricity] Электроэнергия
        [odn] ОДН
        [penalty] Пени
       *[other] Прочее
    }: { $amount }
history-penalty-line = Пени за { $days } { $days ->
        [one] день
        [few] дня
       *[many] дней
    } просрочки: { $amount }
history-legend = { $service ->
        [electricity] Электроэнергия
        [odn] ОДН
        [penalty] Пени
       *[other] Прочее
    } — { $amount }
history-chart-month = { $month }: { $total }
