# The Help section. Links, offices, the phone and the company details come from settings (COMPANY_*).

help-topics = Help. Choose a topic:
help-pick-topic = Please choose a topic with a button below or go back to the menu.
help-guide-button = How to use the bot
help-refund-button = Refunds
help-privacy-button = Personal data
help-offices-button = Offices and contacts
help-guide = A guide to the bot and the web cabinet:
    PDF: { $pdf }
    Video: { $video }
help-refund = A card payment reaches your account within a minute to a day; the bot tells you when it does.
    A mistaken payment can be refunded: submit a written application at the service office where your account is registered (bring your passport and the receipt). The money goes back to the same card within 30 days of the application.
help-privacy = { -company } processes your personal data (name, address, phone, email, meter readings) only for billing under your electricity supply contract, as Federal Law 152-FZ "On Personal Data" requires. Your password is stored so that nobody, staff included, can read it.
    Personal data policy: { $url }
help-offices = Service offices:
    { $offices }
    Contact center: { $phone }.
    If registration in the bot did not work, please visit an office with your passport.
help-security-button = Payment security
help-security = Card details are entered only on the bank's page and never reach the bot or us. The payment page is protected by 3-D Secure: Visa Secure, Mastercard Identity Check, Mir Accept; the bank may ask for a code from an SMS.
    Payee: { $company }, INN { $inn }, account { $account } at { $bank }, BIC { $bic }.
