-- The support console: declines at the till (a decline is not a sale, so it
-- has no journal entry; support needs to answer "why was the card refused?"),
-- and the access log: every time support looked at or acted on a child's
-- account, with the reason support gave, for the custodians to read.

CREATE TABLE till_decline (
    id              TEXT PRIMARY KEY,
    at              BIGINT NOT NULL,
    till_id         TEXT NOT NULL REFERENCES till(id),
    card_id         TEXT NOT NULL REFERENCES card(id),
    child_id        TEXT NOT NULL REFERENCES child(id),
    reason          TEXT NOT NULL,
    total_ore       BIGINT NOT NULL CHECK (total_ore >= 0),
    -- The balance and what was left of the day's limit when it was refused, if known.
    balance_ore     BIGINT,
    left_today_ore  BIGINT,
    -- For an item the custodian said no to: which.
    item            TEXT
);
CREATE INDEX till_decline_child ON till_decline(child_id, at);
CREATE INDEX till_decline_at ON till_decline(at);

CREATE TABLE support_access (
    id          TEXT PRIMARY KEY,
    at          BIGINT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES person(id),
    child_id    TEXT NOT NULL REFERENCES child(id),
    -- What support did: looked, or the action (card.block, login_link, ...).
    action      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX support_access_child ON support_access(child_id, at);
