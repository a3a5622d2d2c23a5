-- The transactional outbox: one event per change of a record, written in the transaction that
-- made the change, for webhooks and workflow rules to consume in order. Every audited write is a
-- change, so the audit trail feeds it: no write path can record a change and forget its event,
-- set-based writes (transfers, merges) included, and a rolled-back write leaves neither.
CREATE TABLE events (
    -- Consumers read in `seq` order per organization; a row becomes safe to read once its
    -- transaction (`txid`) is older than every running one (pg_snapshot_xmin of a snapshot).
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         uuid NOT NULL UNIQUE,
    org_id     uuid NOT NULL REFERENCES organizations (id),
    entity     text NOT NULL,
    entity_id  uuid NOT NULL,
    action     text NOT NULL CHECK (action IN ('created', 'updated', 'deleted', 'restored', 'merged', 'transferred')),
    actor_id   uuid,
    at         timestamptz NOT NULL,
    changes    jsonb NOT NULL,
    txid       bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint)
);
CREATE INDEX events_org_seq ON events (org_id, seq);
CREATE INDEX events_record ON events (org_id, entity, entity_id, seq);

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
