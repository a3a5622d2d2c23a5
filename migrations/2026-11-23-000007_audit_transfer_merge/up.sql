-- Transfers (on the user who gave records up) and merges (on the record kept) are audit events too.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_action_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_action_check
    CHECK (action IN ('create','update','delete','restore','transfer','merge'));
