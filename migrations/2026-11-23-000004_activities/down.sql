DROP INDEX accounts_org_last_activity;
ALTER TABLE accounts DROP COLUMN last_activity_at;
ALTER TABLE organizations DROP COLUMN neglect_days;
DROP TABLE activities;
