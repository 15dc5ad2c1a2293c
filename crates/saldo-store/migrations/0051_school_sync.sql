-- The recurring sync from the school administration's export (issue 19.2).
-- A child who is no longer in the export has left: the day is kept, and the
-- wallet stays until a custodian takes the money out or retention closes it.
ALTER TABLE child ADD COLUMN left_at BIGINT;

-- Each uploaded export, kept as it came: the diff is shown from it and the
-- apply re-reads it, so what is applied is what was looked at.
CREATE TABLE school_sync_file (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    content         TEXT NOT NULL,
    uploaded_by     TEXT NOT NULL,
    uploaded_at     BIGINT NOT NULL,
    applied_at      BIGINT
);
CREATE INDEX school_sync_file_uploaded ON school_sync_file(uploaded_at);
