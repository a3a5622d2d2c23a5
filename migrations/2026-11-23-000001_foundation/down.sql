DROP TABLE idempotency_keys;
DROP TABLE audit_events;
DROP TABLE accounts;
DROP TABLE api_keys;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE departments;
DROP TABLE organizations;
