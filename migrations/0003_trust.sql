-- Trust model (docs/DESIGN.md, «Trust model»): rate limits counted atomically, one-time codes
-- stored hashed, every link bound to a credential epoch, group chats told once.

-- Attempts and costly actions, for rate limits. `kind` is what was tried (`ident`: an
-- identification start or a wrong name / serial / password / code; `code`: a one-time code
-- sent; `reset`: a password reset), `scope` and `subject` whom it counts against
-- (`chat` 123, `chat_account` 123:7701000000017, `account` 7701000000017).
-- A successful check removes its own rows again, so only failures stay.
DROP TABLE identification_failures;
CREATE TABLE attempts (
    id      BIGSERIAL PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('ident', 'code', 'reset')),
    scope   TEXT NOT NULL CHECK (scope IN ('chat', 'chat_account', 'account')),
    subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 64),
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX attempts_lookup ON attempts (kind, scope, subject, at);
CREATE INDEX attempts_age ON attempts (at);

-- One-time codes (6 digits) sent by SMS or email to prove possession of a contact.
-- Only the argon2 hash is kept; a code is good for `tries_left` guesses until `expires_at`,
-- and is used at most once.
CREATE TABLE one_time_codes (
    id         BIGSERIAL PRIMARY KEY,
    chat_id    BIGINT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('link', 'recover', 'step_up', 'new_email', 'new_phone')),
    channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient  TEXT NOT NULL CHECK (length(recipient) BETWEEN 1 AND 254),
    code_hash  TEXT NOT NULL,
    tries_left SMALLINT NOT NULL CHECK (tries_left >= 0),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX one_time_codes_age ON one_time_codes (created_at);

-- Every link carries the credential epoch it was made under; a link of an older epoch is
-- unusable until renewed. Links made before this migration keep the account's current epoch.
UPDATE account_links l SET credential_epoch = a.credential_epoch
FROM accounts a WHERE a.id = l.account_id AND l.credential_epoch IS NULL;
ALTER TABLE account_links ALTER COLUMN credential_epoch SET NOT NULL;

-- Group chats that were told once that the bot works in private chats only.
CREATE TABLE group_chats (
    chat_id BIGINT PRIMARY KEY,
    told_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL;
