# Texts shared by every section of the bot. Keys match locales/ru/main.ftl.

-company = Energosbyt

## Common words and answers

button-cancel = Cancel
button-menu = Menu
button-back = Back
cancelled = Cancelled.
nothing-to-cancel = There is nothing to cancel.
coming-soon = This section is coming soon to the bot. Meanwhile, please use the web cabinet or visit an office.
stale-button = This button is out of date: it belongs to an earlier conversation. Please choose from the menu.
session-lost = Sorry, the bot has been updated and the conversation in progress was lost. Please start again.
not-understood = Sorry, I did not understand. Choose from the menu or send /help.
unknown-command = There is no such command. Commands: /menu — menu, /help — help, /lang — language, /cancel — cancel.
empty-input = The message is empty. Please answer with text or send /cancel.
too-long = The message is too long: at most { $max } { $max ->
        [one] character
       *[other] characters
    }. Please send a shorter one or /cancel.
failure = Something went wrong. Please try again a little later or go back to the /menu.
need-account = This section needs a linked account. Please register or log in with your password.
notice-not-linked = Account { $account } is no longer linked to this chat. Link it again under «My accounts».

## Main menu

menu-title = Main menu. Link your account to submit meter readings and get bills.
menu-title-linked = Account { $account }, { $holder }.
    Choose an action:
menu-readings = Submit readings
menu-receipt = Bill
menu-history = Payment history
menu-pay = Pay
menu-accounts = My accounts
menu-settings = Settings
menu-help = Help
menu-register = Register
menu-login = Log in with password
menu-recover = Recover access

## /start

start-welcome = Hello! I am the { -company } bot: here you can submit meter readings, get your bill and pay for electricity.
start-welcome-back = Hello! Good to see you again.
start-link-invalid = The link you followed is invalid or has expired. Please choose a section from the menu, or ask the call centre for a new link.

## /lang

lang-ask = Выберите язык / Choose your language:
lang-switched = Language: English. To switch, send /lang.
lang-not-understood = Sorry, which language? Please press a button below.
lang-russian = Русский
lang-english = English

## Formats

# A billing month: "January 2026"
month-name = { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }
busy = We are very busy right now. Please try again in a minute.
unavailable = The service is temporarily unavailable; please try again in a few minutes. Nothing you started is lost: if the action did not complete, you can repeat it.
