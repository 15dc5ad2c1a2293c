-- Withdrawals (udbetalinger): a custodian asks, the amount is reserved at
-- once (wallet → payouts_due), the operator approves (payouts_due → out)
-- or rejects (reversed back to the wallet).
CREATE TABLE withdrawal (
    id                  TEXT PRIMARY KEY,
    child_id            TEXT NOT NULL REFERENCES child(id),
    wallet_id           TEXT NOT NULL REFERENCES wallet(id),
    person_id           TEXT NOT NULL REFERENCES person(id),
    amount_ore          BIGINT NOT NULL CHECK (amount_ore > 0),
    method              TEXT NOT NULL CHECK (method IN ('card', 'bank')),
    reg_no              TEXT,
    account_no          TEXT,
    status              TEXT NOT NULL CHECK (status IN ('requested', 'paid', 'rejected')),
    reserve_entry_id    TEXT NOT NULL REFERENCES journal_entry(id),
    settle_entry_id     TEXT REFERENCES journal_entry(id),
    created_at          BIGINT NOT NULL,
    decided_at          BIGINT,
    decided_by          TEXT
);
CREATE INDEX withdrawal_status ON withdrawal(status, created_at);
