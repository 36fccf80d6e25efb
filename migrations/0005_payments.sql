-- Card payments (issue 10). An order pays one or more services (its items sum to its amount);
-- a gateway order is credited at most once, keyed by `payment_credits.gateway_order_id`.

ALTER TABLE payment_orders
    ADD COLUMN payer_name       TEXT,
    -- A phone (+7…) or an email for the electronic fiscal receipt.
    ADD COLUMN payer_contact    TEXT,
    -- The chat's language, for the notices about this order.
    ADD COLUMN lang             TEXT NOT NULL DEFAULT 'ru' CHECK (lang IN ('ru', 'en')),
    ADD COLUMN sbp_url          TEXT,
    -- What the gateway confirmed; differs from `amount` only when `flagged`.
    ADD COLUMN confirmed_amount NUMERIC(14,2),
    -- Staff must look at it: the confirmed amount differs from the order.
    ADD COLUMN flagged          BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE payment_orders DROP CONSTRAINT payment_orders_state_check;
ALTER TABLE payment_orders ADD CONSTRAINT payment_orders_state_check
    CHECK (state IN ('new', 'registered', 'paid', 'declined', 'expired', 'reversed', 'refunded', 'failed'));

CREATE INDEX payment_orders_account_created ON payment_orders (account_id, created_at);
CREATE INDEX payment_orders_open ON payment_orders (created_at) WHERE state IN ('new', 'registered');

-- What an order pays, per service: one fiscal receipt line each.
CREATE TABLE payment_order_items (
    order_id BIGINT NOT NULL REFERENCES payment_orders (id),
    service  TEXT NOT NULL CHECK (service IN ('electricity', 'odn', 'penalty', 'other')),
    amount   NUMERIC(14,2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (order_id, service)
);

-- The idempotency key of crediting: a gateway order gets one row, ever. The payments rows
-- (one per service, `gateway_order_id` = '<gateway id>:<service>'), the order's state and the
-- chat notice are written in the same transaction as this row.
CREATE TABLE payment_credits (
    gateway_order_id TEXT PRIMARY KEY,
    order_id         BIGINT NOT NULL REFERENCES payment_orders (id),
    amount           NUMERIC(14,2) NOT NULL CHECK (amount > 0),
    -- Which path credited it first: return, callback or reconcile.
    via              TEXT NOT NULL,
    credited_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
