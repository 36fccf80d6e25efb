-- One index on charges instead of two: the unique key of a line now carries the amount, so the
-- reads by account and period (the close's batches, the histories, the receipt's balance) are
-- answered from it alone, and the index that served them only (0011) goes. A period close
-- writes a line into every index of the table at its account's place, so each index costs
-- the close a write per line and a page image per touched page after every checkpoint.
ALTER TABLE charges ADD CONSTRAINT charges_line_key
    UNIQUE NULLS NOT DISTINCT (account_id, period, service, zone, line) INCLUDE (amount);
ALTER TABLE charges DROP CONSTRAINT charges_account_id_period_service_zone_line_key;
DROP INDEX charges_account_period_cover;
