-- The webshop (issue 18): menus per sales point and day, the days an
-- institution does not serve, what custodians ordered and paid, and the
-- allergens a custodian marked for a child. The new ledger account kind
-- ('orders': prepaid, not yet revenue) and entry kinds ('shop_order',
-- 'hand_out') widen two CHECKs; that differs per engine (migrations.rs).

-- A sales point's deadlines and its policy for orders nobody collected.
-- Times are minutes after local midnight; no row means the defaults.
CREATE TABLE shop_terms (
    sales_point_id      TEXT PRIMARY KEY REFERENCES sales_point(id),
    order_days_before   BIGINT NOT NULL DEFAULT 1 CHECK (order_days_before BETWEEN 0 AND 10),
    order_until_minute  BIGINT NOT NULL DEFAULT 840 CHECK (order_until_minute BETWEEN 0 AND 1439),
    cancel_until_minute BIGINT NOT NULL DEFAULT 480 CHECK (cancel_until_minute BETWEEN 0 AND 1439),
    uncollected         TEXT NOT NULL DEFAULT 'kept' CHECK (uncollected IN ('kept', 'refunded')),
    updated_at          BIGINT NOT NULL
);

-- Holidays and closing days, per institution (weekends are never served).
CREATE TABLE closed_day (
    institution_id  TEXT NOT NULL REFERENCES institution(id),
    day             TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (institution_id, day)
);

-- A dish on a sales point's menu for one day. `ordered` counts the portions
-- paid and not cancelled; the portion limit is guarded by one conditional
-- UPDATE, so two baskets cannot together take more than there is.
CREATE TABLE shop_dish (
    id              TEXT PRIMARY KEY,
    sales_point_id  TEXT NOT NULL REFERENCES sales_point(id),
    day             TEXT NOT NULL,
    name            TEXT NOT NULL,
    category        TEXT NOT NULL,
    price_ore       BIGINT NOT NULL CHECK (price_ore > 0),
    allergens       TEXT NOT NULL DEFAULT '',
    portion_limit   BIGINT CHECK (portion_limit IS NULL OR portion_limit > 0),
    ordered         BIGINT NOT NULL DEFAULT 0 CHECK (ordered >= 0),
    product_id      TEXT REFERENCES product(id),
    removed         BIGINT NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)),
    created_at      BIGINT NOT NULL,
    CHECK (portion_limit IS NULL OR ordered <= portion_limit)
);
CREATE INDEX shop_dish_day ON shop_dish(sales_point_id, day);

-- A paid basket: one journal entry, whatever days and dishes it holds.
CREATE TABLE shop_basket (
    id              TEXT PRIMARY KEY,
    child_id        TEXT NOT NULL REFERENCES child(id),
    wallet_id       TEXT NOT NULL REFERENCES wallet(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    entry_id        TEXT NOT NULL UNIQUE REFERENCES journal_entry(id),
    total_ore       BIGINT NOT NULL CHECK (total_ore > 0),
    created_at      BIGINT NOT NULL
);

-- One dish for one day in a basket. Its state moves once from 'paid'
-- (conditional UPDATE), so a cancel and a hand-out racing cannot both win.
CREATE TABLE shop_order (
    id                  TEXT PRIMARY KEY,
    basket_id           TEXT NOT NULL REFERENCES shop_basket(id),
    child_id            TEXT NOT NULL REFERENCES child(id),
    wallet_id           TEXT NOT NULL REFERENCES wallet(id),
    sales_point_id      TEXT NOT NULL REFERENCES sales_point(id),
    dish_id             TEXT NOT NULL REFERENCES shop_dish(id),
    day                 TEXT NOT NULL,
    name                TEXT NOT NULL,
    quantity            BIGINT NOT NULL CHECK (quantity > 0),
    amount_ore          BIGINT NOT NULL CHECK (amount_ore > 0),
    state               TEXT NOT NULL DEFAULT 'paid' CHECK (state IN ('paid', 'cancelled', 'handed_out', 'not_collected')),
    closed_entry_id     TEXT REFERENCES journal_entry(id),
    closed_at           BIGINT,
    closed_by           TEXT,
    created_at          BIGINT NOT NULL
);
CREATE INDEX shop_order_child_day ON shop_order(child_id, day);
CREATE INDEX shop_order_sales_point_day ON shop_order(sales_point_id, day);
CREATE INDEX shop_order_basket ON shop_order(basket_id);

-- The allergens a custodian marked for a child: dishes with them are refused.
CREATE TABLE child_allergen (
    child_id    TEXT NOT NULL REFERENCES child(id),
    allergen    TEXT NOT NULL,
    PRIMARY KEY (child_id, allergen)
);

-- A custodian's basket for a child before it is paid: dishes on several
-- days. Its key is the basket's idempotency key: two tabs paying the same
-- basket pay once. Paying empties it; the next dish starts a new key.
CREATE TABLE shop_cart (
    child_id    TEXT NOT NULL REFERENCES child(id),
    person_id   TEXT NOT NULL REFERENCES person(id),
    cart_key    TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (child_id, person_id)
);

CREATE TABLE shop_cart_line (
    child_id    TEXT NOT NULL REFERENCES child(id),
    person_id   TEXT NOT NULL REFERENCES person(id),
    dish_id     TEXT NOT NULL REFERENCES shop_dish(id),
    quantity    BIGINT NOT NULL CHECK (quantity BETWEEN 1 AND 20),
    PRIMARY KEY (child_id, person_id, dish_id)
);
