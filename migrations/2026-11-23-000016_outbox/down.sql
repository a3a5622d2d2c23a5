DROP TRIGGER audit_events_outbox ON audit_events;
DROP FUNCTION kehu_outbox_event();
DROP TABLE events;
