-- Real payment providers: every callback as it came (verified or refused,
-- with why), and what the provider confirmed for a deposit when it was
-- settled, so finance can reconcile provider against ledger per day.

CREATE TABLE payment_event (
    id              TEXT PRIMARY KEY,
    provider        TEXT NOT NULL,
    provider_ref    TEXT,
    event           TEXT NOT NULL,
    verified        BIGINT NOT NULL CHECK (verified IN (0, 1)),
    detail          TEXT NOT NULL,
    received_at     BIGINT NOT NULL
);
CREATE INDEX payment_event_ref ON payment_event(provider, provider_ref, received_at);
CREATE INDEX payment_event_time ON payment_event(received_at);

-- What the provider said it took (øre), read back when the deposit was settled.
ALTER TABLE deposit ADD COLUMN captured_ore BIGINT;
CREATE INDEX deposit_created ON deposit(created_at);
