-- Kabinet schema, first cut. Money is NUMERIC(14,2); a billing period is the DATE of its first day.
-- Codes (service, zone, …) are TEXT with CHECK lists that mirror the enums in src/billing/types.rs.

-- Consumers' accounts (лицевой счёт). `number` is the 13-digit payment code printed on receipts.
CREATE TABLE accounts (
    id               BIGSERIAL PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE CHECK (number ~ '^[0-9]{13}$'),
    holder           TEXT NOT NULL CHECK (length(holder) BETWEEN 1 AND 200),
    address          TEXT NOT NULL CHECK (length(address) BETWEEN 1 AND 300),
    category         TEXT NOT NULL CHECK (category IN ('urban', 'electric_stove', 'rural')),
    -- monthly ОДН volume charged to this account, kWh (0 in a private house)
    odn_kwh          NUMERIC(10,3) NOT NULL DEFAULT 0 CHECK (odn_kwh >= 0),
    -- monthly norm, kWh, used when estimates by average run out (Decree 354 p.59–60)
    norm_kwh         NUMERIC(10,3) NOT NULL DEFAULT 0 CHECK (norm_kwh >= 0),
    -- argon2 PHC string of the web-cabinet password; NULL while the consumer has none
    credential_hash  TEXT,
    -- bumped on each password change: links made with an older epoch must be renewed
    credential_epoch INTEGER NOT NULL DEFAULT 0 CHECK (credential_epoch >= 0),
    phone            TEXT CHECK (phone ~ '^\+[0-9]{10,15}$'),
    email            TEXT CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 254),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Meters installed on an account. Zones follow from tariff_kind (single / two_zone / three_zone).
CREATE TABLE meters (
    id              BIGSERIAL PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    serial          TEXT NOT NULL UNIQUE CHECK (serial ~ '^[0-9A-Za-z-]{1,32}$'),
    service         TEXT NOT NULL DEFAULT 'electricity' CHECK (service IN ('electricity')),
    tariff_kind     TEXT NOT NULL CHECK (tariff_kind IN ('single', 'two_zone', 'three_zone')),
    -- integer digits on the display: 99999 rolls over to 00000 with 5
    digits          SMALLINT NOT NULL CHECK (digits BETWEEN 4 AND 9),
    fraction_digits SMALLINT NOT NULL DEFAULT 0 CHECK (fraction_digits BETWEEN 0 AND 3),
    installed_on    DATE NOT NULL,
    verified_until  DATE,
    removed_on      DATE CHECK (removed_on IS NULL OR removed_on >= installed_on)
);
CREATE INDEX meters_account ON meters (account_id);

-- Meter readings. `period` is the billing month the reading counts for (a reading outside the
-- window counts for the next month). One reading per meter, zone and day.
CREATE TABLE readings (
    id         BIGSERIAL PRIMARY KEY,
    meter_id   BIGINT NOT NULL REFERENCES meters (id),
    zone       TEXT NOT NULL CHECK (zone IN ('total', 'day', 'night', 'peak', 'semi_peak')),
    value      NUMERIC(12,3) NOT NULL CHECK (value >= 0),
    period     DATE NOT NULL CHECK (extract(day FROM period) = 1),
    taken_on   DATE NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('chat', 'web', 'inspector', 'estimate')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (meter_id, zone, taken_on)
);
CREATE INDEX readings_meter_period ON readings (meter_id, period);

-- Rates per category and zone, ₽ per kWh, valid on [valid_from, valid_to). They change on 1 July.
CREATE TABLE tariffs (
    id         SERIAL PRIMARY KEY,
    category   TEXT NOT NULL CHECK (category IN ('urban', 'electric_stove', 'rural')),
    zone       TEXT NOT NULL CHECK (zone IN ('total', 'day', 'night', 'peak', 'semi_peak')),
    rate       NUMERIC(10,4) NOT NULL CHECK (rate > 0),
    valid_from DATE NOT NULL,
    valid_to   DATE CHECK (valid_to IS NULL OR valid_to > valid_from),
    UNIQUE (category, zone, valid_from)
);

-- Charges of a period, one line per service (and zone, and tariff part when a rate changed
-- inside the month: `line` numbers those parts). Recalculations may be negative.
CREATE TABLE charges (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    period     DATE NOT NULL CHECK (extract(day FROM period) = 1),
    service    TEXT NOT NULL CHECK (service IN ('electricity', 'odn', 'penalty', 'other')),
    zone       TEXT CHECK (zone IN ('total', 'day', 'night', 'peak', 'semi_peak')),
    line       SMALLINT NOT NULL DEFAULT 0 CHECK (line >= 0),
    volume     NUMERIC(12,3),
    rate       NUMERIC(10,4) CHECK (rate IS NULL OR rate > 0),
    amount     NUMERIC(14,2) NOT NULL,
    estimated  BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (account_id, period, service, zone, line)
);
CREATE INDEX charges_account_period ON charges (account_id, period);

-- Marks an account's period as closed, which makes `close-period` idempotent.
CREATE TABLE period_closes (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    period     DATE NOT NULL CHECK (extract(day FROM period) = 1),
    closed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (period, account_id)
);

-- Payments received. `service` NULL means "for everything": allocated to the oldest debt first.
-- A gateway order is credited once: gateway_order_id is UNIQUE.
CREATE TABLE payments (
    id               BIGSERIAL PRIMARY KEY,
    account_id       BIGINT NOT NULL REFERENCES accounts (id),
    service          TEXT CHECK (service IN ('electricity', 'odn', 'penalty', 'other')),
    amount           NUMERIC(14,2) NOT NULL CHECK (amount > 0),
    paid_at          TIMESTAMPTZ NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('card', 'bank', 'cash', 'post')),
    gateway_order_id TEXT UNIQUE,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payments_account ON payments (account_id, paid_at);

-- Card payment orders we registered with the gateway.
CREATE TABLE payment_orders (
    id               BIGSERIAL PRIMARY KEY,
    order_number     TEXT NOT NULL UNIQUE,
    account_id       BIGINT NOT NULL REFERENCES accounts (id),
    chat_id          BIGINT,
    service          TEXT CHECK (service IN ('electricity', 'odn', 'penalty', 'other')),
    amount           NUMERIC(14,2) NOT NULL CHECK (amount > 0),
    gateway_order_id TEXT UNIQUE,
    form_url         TEXT,
    state            TEXT NOT NULL DEFAULT 'new'
                     CHECK (state IN ('new', 'registered', 'paid', 'declined', 'reversed', 'refunded', 'failed')),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- People in chats (Telegram chat id, or a terminal session's id).
CREATE TABLE chat_users (
    chat_id            BIGINT PRIMARY KEY,
    language           TEXT NOT NULL DEFAULT 'ru' CHECK (language IN ('ru', 'en')),
    current_account_id BIGINT REFERENCES accounts (id),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Accounts a chat may act for. A link made by password keeps that password's epoch; when the
-- account's credential_epoch moves on, the link must be renewed.
CREATE TABLE account_links (
    chat_id          BIGINT NOT NULL REFERENCES chat_users (chat_id),
    account_id       BIGINT NOT NULL REFERENCES accounts (id),
    credential_epoch INTEGER,
    linked_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (chat_id, account_id)
);

-- Messages to deliver (SMS, email, chat), at least once, by a worker.
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'telegram')),
    recipient       TEXT NOT NULL CHECK (length(recipient) BETWEEN 1 AND 254),
    template        TEXT NOT NULL,
    payload         JSONB NOT NULL DEFAULT '{}',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at    TIMESTAMPTZ,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- The Central Bank key rate, percent, from a date on (for penalties).
CREATE TABLE key_rates (
    valid_from DATE PRIMARY KEY,
    rate       NUMERIC(6,3) NOT NULL CHECK (rate > 0 AND rate < 100)
);
