ALTER TABLE custom_fields DROP COLUMN rollup;
ALTER TABLE custom_fields DROP COLUMN formula;
