ALTER TABLE opportunities DROP COLUMN custom;
ALTER TABLE leads DROP COLUMN custom;
ALTER TABLE contacts DROP COLUMN custom;
ALTER TABLE accounts DROP COLUMN custom;
DROP TABLE custom_fields;
