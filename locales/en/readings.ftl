# The "Submit readings" section. Keys match locales/ru/readings.ftl.
# $zone is the zone's code: total (single-rate), day, night, peak, semi_peak.

readings-no-meters = There are no meters on this account to submit readings for. If a meter is installed, please contact our office.

## Meters as the web cabinet lists them: service, tariff, serial, date and value of the previous reading

readings-row = Electricity{ $zone ->
        [day] , day
        [night] , night
        [peak] , peak
        [semi_peak] , semi-peak
       *[total] {""}
    } · rate { $rate }/kWh · { $serial } · { $date } · { $value }
readings-row-unread = Electricity{ $zone ->
        [day] , day
        [night] , night
        [peak] , peak
        [semi_peak] , semi-peak
       *[total] {""}
    } · rate { $rate }/kWh · { $serial } · no readings yet

readings-ask = Please enter the current reading of meter { $serial }{ $zone ->
        [day] , day zone
        [night] , night zone
        [peak] , peak zone
        [semi_peak] , semi-peak zone
       *[total] {""}
    } (at most { $digits } { $digits ->
        [one] digit
       *[other] digits
    }).

## Input errors

readings-not-a-number = A reading is written in digits only, as the meter shows it, for example 5952. Please try again.
readings-negative = A reading cannot be negative. Please enter the digits shown on the meter.
readings-too-many-digits = This meter shows at most { $max } { $max ->
        [one] digit
       *[other] digits
    } before the decimal point. Please check the reading and try again.
readings-fraction-not-allowed = This meter shows whole kWh: please enter the reading without a decimal part.
readings-too-many-fraction-digits = This meter shows at most { $max } { $max ->
        [one] digit
       *[other] digits
    } after the decimal point. Please check the reading and try again.
readings-below-previous = The reading { $value } is below the previous one: { $previous } on { $date }. Please check it and try again.

## Confirming an unusual reading

readings-rollover = The reading { $value } is below the previous one ({ $previous }). If the meter went past its maximum and started again from zero, the consumption is { $volume } kWh. Is that right?
readings-unusual-jump = The reading { $value } means { $volume } kWh consumed, much more than usual (on average { $average } kWh a month). Is the reading right?
readings-yes-button = Yes, that's right
readings-fix-button = Correct it

## The charge before submitting

readings-line = { $zone ->
        [day] Day: { $volume } kWh
        [night] Night: { $volume } kWh
        [peak] Peak: { $volume } kWh
        [semi_peak] Semi-peak: { $volume } kWh
       *[total] { $volume } kWh
    } × { $rate } = { $amount }
readings-line-part = { $zone ->
        [day] Day: { $volume } kWh
        [night] Night: { $volume } kWh
        [peak] Peak: { $volume } kWh
        [semi_peak] Semi-peak: { $volume } kWh
       *[total] { $volume } kWh
    } × { $rate } = { $amount } ({ $from } to { $to })
readings-volume-only = { $zone ->
        [day] Day: { $volume } kWh
        [night] Night: { $volume } kWh
        [peak] Peak: { $volume } kWh
        [semi_peak] Semi-peak: { $volume } kWh
       *[total] { $volume } kWh
    } consumed. The amount will be on your bill.
readings-first-reading = { $zone ->
        [day] Day: the reading
        [night] Night: the reading
        [peak] Peak: the reading
        [semi_peak] Semi-peak: the reading
       *[total] The reading
    } { $value } is the first for this meter; consumption will be counted from the next one.
readings-next-period = Readings submitted after day { $day } of the month count towards the bill for { $period }.
readings-early-period = Readings submitted before day { $day } of the month count towards the bill for { $period }.
readings-review = Total: { $total }. Submit the readings?
readings-review-no-amount = Submit the readings?
readings-submit-button = Submit readings
readings-saved = Thank you. Your readings have been recorded.
readings-press-button = Please press one of the buttons under the message.
readings-meters-changed = The meter data changed while you were entering readings. Please open "Submit readings" again.
