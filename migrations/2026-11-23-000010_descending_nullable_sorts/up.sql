-- Lists put empty values last in both directions. A b-tree read backwards gives DESC NULLS
-- FIRST, so a descending sort on a nullable column (the activity list's default, -occurred_at)
-- sorted the whole organization on every page. These give that order directly
-- (tests/api/plans.rs checks every sort of every list).
CREATE INDEX accounts_org_employees_desc ON accounts (org_id, employees DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX accounts_org_revenue_desc ON accounts (org_id, annual_revenue DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX accounts_org_last_activity_desc ON accounts (org_id, last_activity_at DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_company_desc ON leads (org_id, company DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_org_amount_desc ON opportunities (org_id, amount DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX activities_org_occurred_desc ON activities (org_id, occurred_at DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX activities_org_due_desc ON activities (org_id, due_at DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
