-- Top-up agreements (optankningsaftaler): when a purchase takes the child's
-- balance below the threshold, the person's saved payment method (the
-- provider's stored token) is charged `amount` and the wallet credited.
-- One agreement per person and child; the first ones come from the old system.

CREATE TABLE top_up_agreement (
    id              TEXT PRIMARY KEY,
    child_id        TEXT NOT NULL REFERENCES child(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    threshold_ore   BIGINT NOT NULL CHECK (threshold_ore > 0),
    amount_ore      BIGINT NOT NULL CHECK (amount_ore > 0),
    provider        TEXT NOT NULL,
    provider_token  TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('active', 'paused')),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (child_id, person_id)
);
CREATE INDEX top_up_agreement_person ON top_up_agreement(person_id);
