-- Invitations of relatives (grandparents…) by a custodian: single-use,
-- expiring, and bound to the address they were sent to.
CREATE TABLE relative_invitation (
    id              TEXT PRIMARY KEY,
    child_id        TEXT NOT NULL REFERENCES child(id),
    invited_by      TEXT NOT NULL REFERENCES person(id),
    email           TEXT NOT NULL,
    message         TEXT NOT NULL DEFAULT '',
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    accepted_at     BIGINT,
    accepted_by     TEXT REFERENCES person(id),
    withdrawn_at    BIGINT
);
CREATE INDEX relative_invitation_child ON relative_invitation(child_id, created_at);
