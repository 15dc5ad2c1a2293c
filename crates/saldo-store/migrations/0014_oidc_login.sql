-- Logging in over OpenID Connect: parents through a MitID broker, staff
-- through the municipality's identity provider (issue 17).

-- An authorization request in flight: its state, nonce and PKCE verifier,
-- kept here and not in the browser. Used once, within minutes, and only by
-- the browser that started it (browser_hash: a cookie's hash).
CREATE TABLE login_flow (
    state_hash      TEXT PRIMARY KEY,
    audience        TEXT NOT NULL CHECK (audience IN ('parents', 'staff')),
    purpose         TEXT NOT NULL CHECK (purpose IN ('login', 'step_up')),
    browser_hash    TEXT NOT NULL,
    nonce           TEXT NOT NULL,
    pkce_verifier   TEXT NOT NULL,
    -- For a step-up: the session it lifts (its id's hash).
    session_hash    TEXT,
    return_to       TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT
);
CREATE INDEX login_flow_expires ON login_flow(expires_at);

-- A provider's subject bound to a person for good: a MitID broker's
-- pseudonym, or a staff member's id at the municipality's IdP.
CREATE TABLE login_subject (
    issuer      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    audience    TEXT NOT NULL CHECK (audience IN ('parents', 'staff')),
    person_id   TEXT NOT NULL REFERENCES person(id),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
-- One MitID (one staff login) per person.
CREATE UNIQUE INDEX login_subject_person ON login_subject(audience, person_id);

-- A first MitID login that Saldo could not yet tie to a person: it waits for
-- the e-mail link, in the browser that logged in (pending_hash: a cookie's hash).
CREATE TABLE pending_subject (
    pending_hash    TEXT PRIMARY KEY,
    issuer          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    name            TEXT NOT NULL,
    -- When the provider says the person authenticated (app clock), if fresh.
    proved_at       BIGINT,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);

-- The one-time link that binds a pending subject to the person whose
-- address on file it was sent to.
CREATE TABLE subject_link (
    token_hash      TEXT PRIMARY KEY,
    pending_hash    TEXT NOT NULL REFERENCES pending_subject(pending_hash),
    person_id       TEXT NOT NULL REFERENCES person(id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    used_at         BIGINT
);

-- A CPR number never stored: only its keyed hash (HMAC-SHA256), to match a
-- broker's CPR claim against.
ALTER TABLE person ADD COLUMN cpr_hash TEXT;
CREATE UNIQUE INDEX person_cpr_hash ON person(cpr_hash) WHERE cpr_hash IS NOT NULL;

-- How the session's person last proved who they are, and when (the step-up
-- for payouts, relatives and closing needs it recent), and which provider
-- they came through (for logging out there too).
ALTER TABLE session ADD COLUMN proof TEXT NOT NULL DEFAULT '';
ALTER TABLE session ADD COLUMN proved_at BIGINT;
ALTER TABLE session ADD COLUMN via TEXT NOT NULL DEFAULT '';
