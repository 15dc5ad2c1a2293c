-- When an approved bank payout was first handed to finance in a transfer
-- file: the next file holds only the ones not handed over yet, so no
-- transfer is made twice or forgotten.
ALTER TABLE withdrawal ADD COLUMN exported_at BIGINT;
