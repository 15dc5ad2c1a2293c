-- One payment for several children (issue 14.7): each child's part is a
-- deposit of its own (its wallet, its amount, refunded on its own), and all
-- are paid by the payment of the first, the one the provider knows. A part's
-- `paid_with` names that deposit; its own provider_ref stays empty (the
-- provider's id is unique to one deposit row).
ALTER TABLE deposit ADD COLUMN paid_with TEXT REFERENCES deposit(id);
CREATE INDEX deposit_paid_with ON deposit(paid_with);
