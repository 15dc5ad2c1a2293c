-- The parent portal: e-mail login links, rate limits, deposits through a
-- payment provider, and the sandbox provider's own record of payments.

CREATE TABLE login_token (
    token_hash  TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES person(id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX login_token_person ON login_token(person_id, created_at);

-- One row per rate-limited event (a login request by e-mail or by address).
CREATE TABLE rate_event (
    bucket      TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX rate_event_bucket ON rate_event(bucket, at);

CREATE TABLE deposit (
    id              TEXT PRIMARY KEY,
    wallet_id       TEXT NOT NULL REFERENCES wallet(id),
    child_id        TEXT NOT NULL REFERENCES child(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    amount_ore      BIGINT NOT NULL CHECK (amount_ore > 0),
    fee_ore         BIGINT NOT NULL DEFAULT 0 CHECK (fee_ore >= 0),
    provider        TEXT NOT NULL,
    provider_ref    TEXT UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'declined', 'cancelled')),
    entry_id        TEXT REFERENCES journal_entry(id),
    created_at      BIGINT NOT NULL,
    decided_at      BIGINT
);
CREATE INDEX deposit_wallet ON deposit(wallet_id, created_at);

-- The sandbox provider's books: what it decided, once per payment.
CREATE TABLE sandbox_payment (
    provider_ref    TEXT PRIMARY KEY,
    reference       TEXT NOT NULL,
    amount_ore      BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('approved', 'declined', 'cancelled')),
    decided_at      BIGINT NOT NULL
);

-- A worker's lease on an outbox row; another worker takes it after it lapses.
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
