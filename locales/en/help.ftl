# The Help section. Links come from settings; replace the offices with your own.

help-topics = Help. Choose a topic:
help-pick-topic = Please choose a topic with a button below or go back to the menu.
help-guide-button = How to use the bot
help-refund-button = Refunds
help-privacy-button = Personal data
help-offices-button = Offices and contacts
help-guide = A guide to the bot and the web cabinet:
    PDF: { $pdf }
    Video: { $video }
help-refund = A card payment reaches your account within 24 hours, usually in a few minutes.
    A mistaken payment can be refunded: submit a written application at a service office within 30 days of the payment, with your passport and the receipt. The money goes back to the same card.
help-privacy = { -company } processes your personal data (name, address, phone, email, meter readings) only for billing under your electricity supply contract, as Federal Law 152-FZ "On Personal Data" requires. Your password is stored so that nobody, staff included, can read it.
    Personal data policy: { $url }
help-offices = Service offices:
    • 10 Lenina St — Mon–Fri 8:00–19:00, Sat 9:00–14:00
    • 25 Mira Ave — Mon–Fri 9:00–18:00
    Contact center: 8 800 000-00-00 (free, 24/7).
    If registration in the bot did not work, please visit an office with your passport.
