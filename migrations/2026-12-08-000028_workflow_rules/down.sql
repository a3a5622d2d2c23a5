DROP TRIGGER events_workflow_runs ON events;
DROP FUNCTION kehu_workflow_runs();
DROP TABLE workflow_runs;
DROP TABLE workflow_rules;
