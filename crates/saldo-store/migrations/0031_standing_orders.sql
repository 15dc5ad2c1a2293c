-- Standing orders (faste bestillinger, issue 18.3): "every Tuesday and
-- Thursday, the hot dish" for a term. Each day is charged once, when its
-- order deadline passes; the day's row is the claim, so two job runners
-- cannot both charge it, and it says what happened (ordered, or why not).
CREATE TABLE standing_order (
    id              TEXT PRIMARY KEY,
    child_id        TEXT NOT NULL REFERENCES child(id),
    person_id       TEXT NOT NULL REFERENCES person(id),
    sales_point_id  TEXT NOT NULL REFERENCES sales_point(id),
    -- The dish of the day in this category (e.g. 'varm ret').
    category        TEXT NOT NULL,
    -- ISO weekdays, Monday 1: '2,4' is Tuesday and Thursday.
    weekdays        TEXT NOT NULL,
    from_day        TEXT NOT NULL,
    to_day          TEXT NOT NULL,
    active          BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- The custodian was mailed that a day was skipped for want of money (once).
    money_mailed    BIGINT NOT NULL DEFAULT 0 CHECK (money_mailed IN (0, 1)),
    created_at      BIGINT NOT NULL,
    CHECK (from_day <= to_day)
);
CREATE INDEX standing_order_active ON standing_order(active, to_day);
CREATE INDEX standing_order_child ON standing_order(child_id);

CREATE TABLE standing_order_day (
    standing_order_id   TEXT NOT NULL REFERENCES standing_order(id),
    day                 TEXT NOT NULL,
    outcome             TEXT NOT NULL CHECK (outcome IN ('ordered', 'closed', 'no_dish', 'no_money', 'refused')),
    basket_id           TEXT REFERENCES shop_basket(id),
    at                  BIGINT NOT NULL,
    PRIMARY KEY (standing_order_id, day)
);
