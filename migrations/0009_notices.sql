-- Notices the bot sends first (readings window, receipt ready, payment due, пени ahead,
-- announcements). One row per (chat, account, kind, key): a rerun, a second instance or a
-- crash mid-run finds the row and queues nothing twice. A queued notice names its outbox
-- message (queued in the same statement); whether it was sent or failed is the outbox's word.
-- A skipped one (the chat turned the kind off, or blocked the bot) records why.
CREATE TABLE notices (
    id         BIGSERIAL PRIMARY KEY,
    chat_id    BIGINT      NOT NULL,
    account_id BIGINT      NOT NULL REFERENCES accounts (id),
    kind       TEXT        NOT NULL CHECK (kind IN ('readings_open', 'readings_closing',
                                                    'receipt_ready', 'payment_due',
                                                    'penalty_ahead', 'announcement')),
    -- the period (YYYY-MM) or, for an announcement, its id
    key        TEXT        NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
    state      TEXT        NOT NULL CHECK (state IN ('queued', 'skipped')),
    reason     TEXT        CHECK (reason IN ('opted_out', 'blocked')),
    outbox_id  BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (chat_id, account_id, kind, key),
    CHECK ((state = 'queued') = (outbox_id IS NOT NULL))
);
CREATE INDEX notices_kind_key ON notices (kind, key);

-- A chat's "no" to one kind of notice about one of its accounts (every kind is on by default).
CREATE TABLE notice_opt_outs (
    chat_id    BIGINT      NOT NULL,
    account_id BIGINT      NOT NULL REFERENCES accounts (id),
    topic      TEXT        NOT NULL CHECK (topic IN ('readings', 'receipt', 'payment_due',
                                                     'penalty', 'announcements')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, account_id, topic)
);

-- Chats that blocked the bot (Telegram answered 403): no notice goes there until the chat
-- writes again.
CREATE TABLE blocked_chats (
    chat_id    BIGINT PRIMARY KEY,
    blocked_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Staff announcements: the text once, the notices per chat and account.
CREATE TABLE announcements (
    id         BIGSERIAL PRIMARY KEY,
    body       TEXT        NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
