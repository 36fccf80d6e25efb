-- The per-account reads of charges and payments by period or time (the close's batches, the
-- histories, the receipt's balance) answered from the index alone: the columns they sum come
-- with the key, so no table page is read (payments arrive in no account order, so each row of
-- an account sits on a page of its own). They replace the plain indexes on the same keys.
-- Built without CONCURRENTLY (migrations run in a transaction): on a large table, writes to it
-- wait for the build — about a minute for 40 million charges on a small server.
CREATE INDEX charges_account_period_cover ON charges (account_id, period) INCLUDE (service, amount);
DROP INDEX charges_account_period;
CREATE INDEX payments_account_cover ON payments (account_id, paid_at) INCLUDE (service, amount);
DROP INDEX payments_account;
