-- The outbox under several workers and failing transports: every claim has a token that the
-- worker's mark must present (a worker whose lease ran out cannot mark a message another one
-- took over), and a message that fails too often — or can never be delivered — is dead-lettered
-- (dead_at) with any secret it carried erased, instead of retrying forever.
ALTER TABLE outbox ADD COLUMN claim BIGINT, ADD COLUMN dead_at TIMESTAMPTZ;

DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (next_attempt_at)
    WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_dead ON outbox (dead_at) WHERE dead_at IS NOT NULL;
