-- Receipts (ЕПД) of closed months, kept as rendered: a closed month's receipt never changes, so
-- it is rendered once and resent from here. The first render wins (INSERT … ON CONFLICT DO
-- NOTHING): two chats asking at once get the same bytes.
CREATE TABLE receipts (
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    period      DATE NOT NULL CHECK (extract(day FROM period) = 1),
    pdf         BYTEA NOT NULL CHECK (length(pdf) BETWEEN 1 AND 1048576),
    -- what the receipt asks to pay, for the message that carries the kept PDF
    total_due   NUMERIC(14,2) NOT NULL CHECK (total_due >= 0),
    rendered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, period)
);
