-- Automatic top-ups: the state of each agreement's charging, each charge
-- attempt with its idempotency key towards the provider, pending set-ups
-- of new agreements, and the sandbox provider's record of its charges.

-- A charge in flight for this agreement (never two at once), consecutive
-- declines (three pause the agreement), and the day's automatic charges (capped).
ALTER TABLE top_up_agreement ADD COLUMN charging_since BIGINT;
ALTER TABLE top_up_agreement ADD COLUMN failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE top_up_agreement ADD COLUMN charges_day TEXT NOT NULL DEFAULT '';
ALTER TABLE top_up_agreement ADD COLUMN charges_today BIGINT NOT NULL DEFAULT 0;

CREATE TABLE top_up_charge (
    id              TEXT PRIMARY KEY,
    agreement_id    TEXT NOT NULL REFERENCES top_up_agreement(id),
    wallet_id       TEXT NOT NULL REFERENCES wallet(id),
    amount_ore      BIGINT NOT NULL CHECK (amount_ore > 0),
    attempt         BIGINT NOT NULL,
    -- Sent to the provider with every try of this attempt: a retry after a
    -- crash charges once.
    idem_key        TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined', 'needs_cardholder')),
    provider_ref    TEXT,
    entry_id        TEXT REFERENCES journal_entry(id),
    created_at      BIGINT NOT NULL,
    settled_at      BIGINT
);
CREATE INDEX top_up_charge_agreement ON top_up_charge(agreement_id, created_at);

-- A new agreement waiting for its payment method to be saved at the provider.
CREATE TABLE top_up_setup (
    id              TEXT PRIMARY KEY,
    child_id        TEXT NOT NULL REFERENCES child(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    threshold_ore   BIGINT NOT NULL CHECK (threshold_ore > 0),
    amount_ore      BIGINT NOT NULL CHECK (amount_ore > 0),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
    created_at      BIGINT NOT NULL
);

CREATE TABLE sandbox_charge (
    idem_key        TEXT PRIMARY KEY,
    token           TEXT NOT NULL,
    amount_ore      BIGINT NOT NULL,
    outcome         TEXT NOT NULL,
    provider_ref    TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
