## Telegram command menu and bot description

tg-cmd-start = Start over
tg-cmd-menu = Main menu
tg-cmd-lang = Language / Язык
tg-cmd-cancel = Cancel the current action
tg-description = The { -company } bot: submit meter readings, get your bill, pay for electricity and check your balance — no calls, no queues.
tg-short-description = Meter readings, bills and payments for electricity.
tg-private-only = I only work in private chats: here every member would see your name, address and passwords. Please message me directly. / Я работаю только в личных сообщениях.
tg-wait = One moment, I am still working on your previous message…
