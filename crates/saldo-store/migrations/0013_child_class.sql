-- The child's class (klasse, e.g. "3.A"), as the school administration
-- knows it: tells two children of one name apart at the office. Filled by
-- the school-year sync; the old system's export has none.
ALTER TABLE child ADD COLUMN class_name TEXT;
