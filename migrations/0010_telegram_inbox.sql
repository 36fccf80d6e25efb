-- Telegram updates are taken in durably before they are acknowledged (the webhook's 200, the
-- polling offset), then handled one chat at a time, in update order, by whichever instance
-- holds the chat's lease. The update id is the dedup key; `answer` keeps a handled turn's
-- replies until they are sent, so a crash between the turn and its sends neither repeats the
-- turn nor loses its replies.
CREATE TABLE tg_inbox (
    update_id   BIGINT PRIMARY KEY,
    chat_id     BIGINT NOT NULL,
    payload     JSONB NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    handled_at  TIMESTAMPTZ,
    answer      JSONB,
    sent_at     TIMESTAMPTZ,
    -- Turns that failed (the engine could not run); at the cap the update is given up with an
    -- apology, so one bad update never blocks its chat.
    failures    INT NOT NULL DEFAULT 0
);
CREATE INDEX tg_inbox_open ON tg_inbox (chat_id, update_id) WHERE sent_at IS NULL;
CREATE INDEX tg_inbox_sent ON tg_inbox (sent_at) WHERE sent_at IS NOT NULL;

-- One holder per chat: a random token, renewed by the holder's heartbeat while its turn runs;
-- `fence` grows with every new holder, and every write of the inbox presents the token.
CREATE TABLE tg_chat_leases (
    chat_id    BIGINT PRIMARY KEY,
    token      TEXT,
    until      TIMESTAMPTZ NOT NULL DEFAULT now(),
    fence      BIGINT NOT NULL DEFAULT 0,
    -- When the current holder took the chat, and whether a waiting update has told the user
    -- «подождите» during this holding.
    since      TIMESTAMPTZ NOT NULL DEFAULT now(),
    told_wait  BOOLEAN NOT NULL DEFAULT false
);
