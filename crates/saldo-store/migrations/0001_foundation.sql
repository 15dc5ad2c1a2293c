-- The foundation schema. Written once for both engines: ids are TEXT made by
-- the application, money is BIGINT øre, times are BIGINT microseconds since
-- the Unix epoch (UTC), flags are BIGINT 0/1. CHECK constraints and unique
-- indexes are the last line of defence behind the rules in saldo-core.

CREATE TABLE municipality (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL
);

CREATE TABLE institution (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality(id),
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('school', 'club', 'youth_school')),
    legacy_no       TEXT UNIQUE
);

CREATE TABLE sales_point (
    id              TEXT PRIMARY KEY,
    institution_id  TEXT NOT NULL REFERENCES institution(id),
    name            TEXT NOT NULL
);

-- Every ledger account. A wallet's account id is the wallet's id.
CREATE TABLE account (
    id      TEXT PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('wallet', 'provider_clearing', 'sales', 'fees', 'payouts_due', 'migration_opening'))
);

CREATE TABLE till (
    id              TEXT PRIMARY KEY,
    sales_point_id  TEXT NOT NULL REFERENCES sales_point(id),
    name            TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    active          BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      BIGINT NOT NULL
);

CREATE TABLE product (
    id              TEXT PRIMARY KEY,
    sales_point_id  TEXT NOT NULL REFERENCES sales_point(id),
    name            TEXT NOT NULL,
    price_ore       BIGINT NOT NULL CHECK (price_ore > 0),
    category        TEXT NOT NULL,
    active          BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    allergens       TEXT NOT NULL DEFAULT '',
    sort_order      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX product_sales_point ON product(sales_point_id, sort_order);

CREATE TABLE person (
    id          TEXT PRIMARY KEY,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    email       TEXT UNIQUE,
    phone       TEXT,
    lang        TEXT NOT NULL DEFAULT 'da' CHECK (lang IN ('da', 'en')),
    legacy_no   TEXT UNIQUE,
    created_at  BIGINT NOT NULL
);

-- Staff hats: office (scope: institution), till_staff and till_manager
-- (scope: sales point), operator and support (no scope, '').
CREATE TABLE staff_role (
    person_id   TEXT NOT NULL REFERENCES person(id),
    role        TEXT NOT NULL CHECK (role IN ('office', 'till_staff', 'till_manager', 'operator', 'support')),
    scope_id    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, role, scope_id)
);

CREATE TABLE child (
    id          TEXT PRIMARY KEY,
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    birth_date  TEXT,
    -- The school; or the club where the child is in no municipal school.
    school_id   TEXT REFERENCES institution(id),
    club_id     TEXT REFERENCES institution(id),
    legacy_no   TEXT UNIQUE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE relation (
    child_id    TEXT NOT NULL REFERENCES child(id),
    person_id   TEXT NOT NULL REFERENCES person(id),
    kind        TEXT NOT NULL CHECK (kind IN ('custodian', 'relative')),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (child_id, person_id)
);
CREATE INDEX relation_person ON relation(person_id);

-- The cached balance and the day's spend are updated in the same transaction
-- as the postings; `saldo verify` recomputes them from the postings.
CREATE TABLE wallet (
    id              TEXT PRIMARY KEY REFERENCES account(id),
    child_id        TEXT NOT NULL UNIQUE REFERENCES child(id),
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    balance_ore     BIGINT NOT NULL DEFAULT 0 CHECK (balance_ore >= 0),
    daily_limit_ore BIGINT CHECK (daily_limit_ore IS NULL OR daily_limit_ore >= 0),
    spent_day       TEXT NOT NULL DEFAULT '',
    spent_today_ore BIGINT NOT NULL DEFAULT 0 CHECK (spent_today_ore >= 0),
    -- Counts the wallet's postings; each posting carries its number, so the
    -- statement's order is the order the balance really changed in.
    last_seq        BIGINT NOT NULL DEFAULT 0,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE card (
    id                      TEXT PRIMARY KEY,
    number                  TEXT NOT NULL UNIQUE,
    chip_uid                TEXT UNIQUE,
    child_id                TEXT REFERENCES child(id),
    state                   TEXT NOT NULL CHECK (state IN ('in_stock', 'handed_out', 'active', 'blocked', 'cancelled')),
    -- The office that holds the card in stock or handed it out.
    institution_id          TEXT REFERENCES institution(id),
    activation_code_hash    TEXT,
    issued_at               BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL
);
CREATE UNIQUE INDEX card_one_active_per_child ON card(child_id) WHERE state = 'active';
CREATE INDEX card_child ON card(child_id);

CREATE TABLE journal_entry (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('deposit', 'purchase', 'refund', 'card_fee', 'transfer', 'withdrawal', 'migration', 'reversal')),
    actor           TEXT NOT NULL,
    reverses_id     TEXT REFERENCES journal_entry(id),
    memo            TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX journal_entry_reversed_once ON journal_entry(reverses_id) WHERE reverses_id IS NOT NULL;

-- Append-only (enforced by triggers, see the engine module). On wallet
-- postings, wallet_seq and balance_after_ore give the statement its order and
-- running balance.
CREATE TABLE posting (
    entry_id            TEXT NOT NULL REFERENCES journal_entry(id),
    seq                 BIGINT NOT NULL,
    account_id          TEXT NOT NULL REFERENCES account(id),
    amount_ore          BIGINT NOT NULL CHECK (amount_ore <> 0),
    wallet_seq          BIGINT,
    balance_after_ore   BIGINT CHECK (balance_after_ore IS NULL OR balance_after_ore >= 0),
    created_at          BIGINT NOT NULL,
    PRIMARY KEY (entry_id, seq)
);
CREATE INDEX posting_account ON posting(account_id, created_at);
CREATE UNIQUE INDEX posting_wallet_seq ON posting(account_id, wallet_seq) WHERE wallet_seq IS NOT NULL;

-- A sale: the journal entry that paid for it, and what was bought.
CREATE TABLE purchase (
    id              TEXT PRIMARY KEY REFERENCES journal_entry(id),
    till_id         TEXT NOT NULL REFERENCES till(id),
    sales_point_id  TEXT NOT NULL REFERENCES sales_point(id),
    card_id         TEXT NOT NULL REFERENCES card(id),
    wallet_id       TEXT NOT NULL REFERENCES wallet(id),
    total_ore       BIGINT NOT NULL CHECK (total_ore > 0),
    refunded_ore    BIGINT NOT NULL DEFAULT 0 CHECK (refunded_ore >= 0 AND refunded_ore <= total_ore),
    created_at      BIGINT NOT NULL
);
CREATE INDEX purchase_sales_point ON purchase(sales_point_id, created_at);
CREATE INDEX purchase_wallet ON purchase(wallet_id, created_at);

CREATE TABLE purchase_line (
    purchase_id     TEXT NOT NULL REFERENCES purchase(id),
    seq             BIGINT NOT NULL,
    product_id      TEXT NOT NULL REFERENCES product(id),
    name            TEXT NOT NULL,
    unit_price_ore  BIGINT NOT NULL CHECK (unit_price_ore > 0),
    quantity        BIGINT NOT NULL CHECK (quantity > 0),
    amount_ore      BIGINT NOT NULL CHECK (amount_ore > 0),
    PRIMARY KEY (purchase_id, seq)
);

-- The first answer to a money-moving request, by the caller's key.
CREATE TABLE idempotency (
    scope           TEXT NOT NULL,
    idem_key        TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    status          BIGINT NOT NULL,
    response        TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_subject ON audit_log(subject, at);

-- Side effects, written in the same transaction as the change that causes
-- them and delivered by the job runner, at least once.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    available_at    BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    done_at         BIGINT,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox(available_at) WHERE done_at IS NULL;

CREATE TABLE session (
    id_hash         TEXT PRIMARY KEY,
    person_id       TEXT NOT NULL REFERENCES person(id),
    csrf_token      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    last_seen_at    BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL
);
CREATE INDEX session_person ON session(person_id);

-- The system's own accounts; wallets, sales points and providers add theirs.
INSERT INTO account (id, kind) VALUES ('fees', 'fees');
INSERT INTO account (id, kind) VALUES ('payouts_due', 'payouts_due');
INSERT INTO account (id, kind) VALUES ('migration_opening', 'migration_opening');
