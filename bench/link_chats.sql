-- Kabinet's copy of ../shared/bench/link_chats.sql, for the schema with mandatory link epochs.
-- Link chat ids 1..N to single-rate accounts, one account per chat, so every simulated user sees
-- the same dialogue (same number of reply messages per step):
--   * exactly one meter, single-rate, not removed;
--   * its last seeded reading (taken before 2026-12-01, i.e. not one written by a bench run) is from
--     2026-07-01 on, so the charge is one line (a reading before 1 July splits into two tariff parts);
--   * it used >= 30 kWh between its last two seeded readings, so +1..9 kWh is never an "unusual jump".
-- A linked chat = chat_users row with current_account_id + account_links row under the account's
-- credential epoch (every link carries one since the trust model).
BEGIN;
DELETE FROM account_links;
DELETE FROM chat_users;
CREATE TEMP TABLE pick AS
WITH single AS (
    SELECT m.id AS meter_id, m.account_id
    FROM meters m
    WHERE m.tariff_kind = 'single' AND m.removed_on IS NULL
      AND (SELECT count(*) FROM meters m2 WHERE m2.account_id = m.account_id AND m2.removed_on IS NULL) = 1),
last2 AS (
    SELECT r.meter_id, r.value, r.taken_on,
           row_number() OVER (PARTITION BY r.meter_id ORDER BY r.taken_on DESC) AS k
    FROM readings r JOIN single s ON s.meter_id = r.meter_id
    WHERE r.taken_on < DATE '2026-12-01' AND r.source <> 'estimate')
SELECT row_number() OVER (ORDER BY s.account_id) AS chat_id, s.account_id
FROM single s
JOIN last2 a ON a.meter_id = s.meter_id AND a.k = 1
JOIN last2 b ON b.meter_id = s.meter_id AND b.k = 2
WHERE a.taken_on >= DATE '2026-07-01' AND a.value - b.value >= 30;
INSERT INTO chat_users (chat_id, language, current_account_id)
SELECT chat_id, 'ru', account_id FROM pick;
INSERT INTO account_links (chat_id, account_id, credential_epoch)
SELECT p.chat_id, p.account_id, a.credential_epoch FROM pick p JOIN accounts a ON a.id = p.account_id;
COMMIT;
ANALYZE;
SELECT count(*) AS linked_chats, min(chat_id), max(chat_id) FROM account_links;
