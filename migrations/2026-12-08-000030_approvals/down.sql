DROP TABLE approval_events;
DROP TABLE approval_tasks;
DROP TABLE approvals;
DROP TABLE approval_processes;
