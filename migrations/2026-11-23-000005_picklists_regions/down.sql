ALTER TABLE accounts DROP CONSTRAINT accounts_region_fk;
DROP TABLE regions;
DROP TABLE picklists;
