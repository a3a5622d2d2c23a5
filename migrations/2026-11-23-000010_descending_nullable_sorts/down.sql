DROP INDEX accounts_org_employees_desc;
DROP INDEX accounts_org_revenue_desc;
DROP INDEX accounts_org_last_activity_desc;
DROP INDEX leads_org_company_desc;
DROP INDEX opportunities_org_amount_desc;
DROP INDEX activities_org_occurred_desc;
DROP INDEX activities_org_due_desc;
