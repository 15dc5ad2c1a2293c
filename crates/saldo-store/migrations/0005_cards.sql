-- Cards and the office: batches of blank cards, replacement orders and their
-- hand-out, staff passwords, and the activation attempts the limits are read from.

-- A batch of blank cards from the printer (or generated here). The codes
-- themselves are never stored; each card keeps only its code's hash.
CREATE TABLE card_batch (
    id          TEXT PRIMARY KEY,
    created_by  TEXT NOT NULL,
    size        BIGINT NOT NULL CHECK (size > 0),
    created_at  BIGINT NOT NULL
);
ALTER TABLE card ADD COLUMN batch_id TEXT REFERENCES card_batch(id);
CREATE INDEX card_stock ON card(institution_id, state);

-- A replacement card ordered by a custodian: fetched at the office of the
-- child's school (or club), handed out, then activated at home.
CREATE TABLE card_order (
    id              TEXT PRIMARY KEY,
    child_id        TEXT NOT NULL REFERENCES child(id),
    old_card_id     TEXT REFERENCES card(id),
    fee_entry_id    TEXT REFERENCES journal_entry(id),
    office_id       TEXT NOT NULL REFERENCES institution(id),
    state           TEXT NOT NULL CHECK (state IN ('ordered', 'handed_out', 'activated', 'cancelled')),
    card_id         TEXT REFERENCES card(id),
    ordered_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX card_order_office ON card_order(office_id, state, created_at);
CREATE INDEX card_order_child ON card_order(child_id, created_at);
-- One open order per child: a double click cannot take the fee twice.
CREATE UNIQUE INDEX card_order_one_open ON card_order(child_id) WHERE state IN ('ordered', 'handed_out');

-- Staff log in with e-mail and password (argon2 PHC strings).
CREATE TABLE staff_password (
    person_id   TEXT PRIMARY KEY REFERENCES person(id),
    hash        TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Every activation attempt, by person and by the card number typed; the
-- limits are counted here, so several server processes share them.
CREATE TABLE activation_attempt (
    person_id   TEXT NOT NULL REFERENCES person(id),
    card_number TEXT NOT NULL,
    at          BIGINT NOT NULL,
    ok          BIGINT NOT NULL CHECK (ok IN (0, 1))
);
CREATE INDEX activation_attempt_person ON activation_attempt(person_id, at);
CREATE INDEX activation_attempt_card ON activation_attempt(card_number, at);
