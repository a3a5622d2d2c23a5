DROP TRIGGER events_webhook_deliveries ON events;
DROP FUNCTION kehu_webhook_deliveries();
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DROP TRIGGER audit_events_outbox ON audit_events;
DROP FUNCTION kehu_outbox_event();
CREATE FUNCTION kehu_outbox_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (id, org_id, entity, entity_id, action, actor_id, at, changes)
    VALUES (NEW.id, NEW.org_id, NEW.entity, NEW.entity_id,
            CASE NEW.action
                WHEN 'create' THEN 'created'
                WHEN 'update' THEN 'updated'
                WHEN 'delete' THEN 'deleted'
                WHEN 'restore' THEN 'restored'
                WHEN 'merge' THEN 'merged'
                WHEN 'transfer' THEN 'transferred'
            END,
            NEW.actor_id, NEW.at, NEW.changes);
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_events_outbox AFTER INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION kehu_outbox_event();
ALTER TABLE events DROP COLUMN record;
ALTER TABLE audit_events DROP COLUMN record;
