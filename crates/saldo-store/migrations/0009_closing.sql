-- Closing an account: when, and when the child's personal data was erased
-- after the retention period (the bookkeeping stays).
ALTER TABLE wallet ADD COLUMN closed_at BIGINT;
ALTER TABLE child ADD COLUMN erased_at BIGINT;
