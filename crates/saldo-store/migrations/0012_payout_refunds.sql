-- A payout to the card goes back as refunds of the custodian's own earlier
-- deposits at the payment provider: how much of each deposit has been given
-- back, each refund with its idempotency key towards the provider, and the
-- sandbox provider's record of the refunds it made.

ALTER TABLE deposit ADD COLUMN refunded_ore BIGINT NOT NULL DEFAULT 0;

CREATE TABLE payout_refund (
    id              TEXT PRIMARY KEY,
    withdrawal_id   TEXT NOT NULL REFERENCES withdrawal(id),
    deposit_id      TEXT NOT NULL REFERENCES deposit(id),
    amount_ore      BIGINT NOT NULL CHECK (amount_ore > 0),
    idem_key        TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'refunded', 'refused')),
    provider_ref    TEXT,
    created_at      BIGINT NOT NULL,
    settled_at      BIGINT
);
CREATE INDEX payout_refund_withdrawal ON payout_refund(withdrawal_id);
CREATE INDEX payout_refund_status ON payout_refund(status, created_at);

CREATE TABLE sandbox_refund (
    idem_key        TEXT PRIMARY KEY,
    payment_ref     TEXT NOT NULL,
    amount_ore      BIGINT NOT NULL,
    outcome         TEXT NOT NULL,
    refund_ref      TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX sandbox_refund_payment ON sandbox_refund(payment_ref);
