-- The till: pairing a device, staff PINs, an unlocked till, parents' controls
-- at the till, and voids.

-- A one-time code a manager hands to a new till; only its hash is kept.
CREATE TABLE till_pairing (
    code_hash       TEXT PRIMARY KEY,
    sales_point_id  TEXT NOT NULL REFERENCES sales_point(id),
    till_name       TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT,
    till_id         TEXT REFERENCES till(id)
);

-- A staff member's PIN at one sales point (argon2 PHC string).
CREATE TABLE staff_pin (
    person_id       TEXT NOT NULL REFERENCES person(id),
    sales_point_id  TEXT NOT NULL REFERENCES sales_point(id),
    pin_hash        TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (person_id, sales_point_id)
);

-- A till unlocked by a staff member's PIN, until it expires or is locked.
CREATE TABLE till_unlock (
    token_hash      TEXT PRIMARY KEY,
    till_id         TEXT NOT NULL REFERENCES till(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX till_unlock_till ON till_unlock(till_id);

-- The categories the operator lets custodians block, with their Danish label.
CREATE TABLE blockable_category (
    category    TEXT PRIMARY KEY,
    label       TEXT NOT NULL
);
INSERT INTO blockable_category (category, label) VALUES ('slik', 'Slik og chips');
INSERT INTO blockable_category (category, label) VALUES ('sodavand', 'Sodavand');

CREATE TABLE child_category_block (
    child_id    TEXT NOT NULL REFERENCES child(id),
    category    TEXT NOT NULL REFERENCES blockable_category(category),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (child_id, category)
);

-- A short note from a custodian, shown at the till on every scan (an allergy).
ALTER TABLE child ADD COLUMN till_note TEXT NOT NULL DEFAULT '';

-- A void reverses the whole sale once; the day it counted towards gets its spend back.
ALTER TABLE purchase ADD COLUMN voided_entry_id TEXT REFERENCES journal_entry(id);
ALTER TABLE purchase ADD COLUMN spend_day TEXT NOT NULL DEFAULT '';
ALTER TABLE purchase_line ADD COLUMN refunded_quantity BIGINT NOT NULL DEFAULT 0;
