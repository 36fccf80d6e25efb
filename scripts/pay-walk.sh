#!/usr/bin/env bash
# The pay walk in the terminal chat, on a fresh demo database (`dropdb kabinet_demo` first) and a
# release build: link 7701000000048 by its own contact, pay the пени alone by card in the sandbox
# (curl fills the card page), then the rest; the chat is told each time; the history shows both.
set -u
BIN=${BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/release/kabinet}
OUT=/tmp/walk.out
rm -f /tmp/walk.in $OUT; mkfifo /tmp/walk.in
cd /tmp
$BIN chat < /tmp/walk.in > $OUT 2>/tmp/walk.err &
CHAT=$!
exec 3>/tmp/walk.in
send() { echo "$1" >&3; sleep "${2:-1.5}"; }
button() { grep -o "\[$1[^]]*\]" $OUT | tail -1; }
pay_card() {
  url=$(grep -o "\[Оплатить картой\] http[^ ]*" $OUT | tail -1 | awk '{print $NF}')
  echo "card page: $url"
  curl -s "$url" | grep -o 'Сумма: <b id="amount">[^<]*' 
  curl -s -L -X POST --data-urlencode pan=4111111111111111 --data-urlencode expiry=12/30 \
       --data-urlencode cvc=123 "$url" | grep -o '<h1>[^<]*</h1>\|Сумма[^<]*<[^>]*>[^<]*' | head -3
}
send "/start" 25   # the first run seeds the demo database
send "[Регистрация]"
send "7701000000048"
send "Сидоров Пётр Алексеевич"
send "/contact +79051112048"
send "[Пропустить]"
send "/pay"
send "$(button 'Пени')"
send "$(button 'Оплатить ')"
send "[Согласен, перейти к оплате]"
pay_card
sleep 3
send "/menu" 3
send "/pay"
send "$(button 'Всё')"
send "$(button 'Оплатить ')"
send "[Согласен, перейти к оплате]"
pay_card
sleep 3
send "/menu" 3
send "/history"
send "[Платежи]" 
send "$(button '3 месяца')" 3
exec 3>&-
sleep 3
kill $CHAT 2>/dev/null
cat $OUT
