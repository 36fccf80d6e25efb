-- Failed identifications (wrong name, serial, password), per chat and per account, for the
-- brute-force limit: too many in a short time lock identification for a while.
CREATE TABLE identification_failures (
    id        BIGSERIAL PRIMARY KEY,
    scope     TEXT NOT NULL CHECK (scope IN ('chat', 'account')),
    subject   TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 32),
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX identification_failures_lookup ON identification_failures (scope, subject, failed_at);
