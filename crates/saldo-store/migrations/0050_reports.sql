-- Finance reports (issue 19.3) read the postings of a day or a month across
-- every account: without this index each report would scan the whole journal.
CREATE INDEX posting_created ON posting(created_at);
CREATE INDEX journal_entry_created ON journal_entry(created_at);
