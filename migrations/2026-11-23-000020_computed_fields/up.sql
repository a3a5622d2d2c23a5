-- Computed custom fields: a formula over the record's own numbers, or a roll-up of related
-- records (source, function, field, filter), kept in the record's `custom` like any value.
ALTER TABLE custom_fields ADD COLUMN formula text;
ALTER TABLE custom_fields ADD COLUMN rollup jsonb;
