DROP INDEX accounts_org_neglect;
ALTER TABLE accounts DROP COLUMN neglect_at;
DROP INDEX accounts_org_last_activity;
ALTER TABLE accounts DROP COLUMN last_activity_at;
ALTER TABLE organizations DROP COLUMN neglect_days;
DROP TABLE activities;
