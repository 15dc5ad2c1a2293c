-- Telling people in time: the saved card behind an agreement (its last four
-- digits and the month it expires, as the provider reported them; unknown for
-- agreements moved over from the old system) and the expiry month the owner
-- was last reminded of; opt-in low-balance notices; and when the orderer of a
-- replacement card was told it waits at the office.

ALTER TABLE top_up_agreement ADD COLUMN card_last4 TEXT;
-- 'YYYY-MM': the card works through the end of that month.
ALTER TABLE top_up_agreement ADD COLUMN card_expires TEXT;
ALTER TABLE top_up_agreement ADD COLUMN expiry_reminded TEXT;

-- "Mail me when the balance falls below X": one per person and child. A mail
-- goes when a debit takes the balance from at or above X to below it.
CREATE TABLE low_balance_notice (
    person_id       TEXT NOT NULL REFERENCES person(id),
    child_id        TEXT NOT NULL REFERENCES child(id),
    threshold_ore   BIGINT NOT NULL CHECK (threshold_ore > 0),
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (person_id, child_id)
);
CREATE INDEX low_balance_notice_child ON low_balance_notice(child_id);

ALTER TABLE card_order ADD COLUMN ready_mailed_at BIGINT;
