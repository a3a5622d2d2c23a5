DELETE FROM audit_events WHERE action IN ('release', 'claim');
DELETE FROM events WHERE action IN ('released', 'claimed');
ALTER TABLE audit_events DROP CONSTRAINT audit_events_action_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_action_check
    CHECK (action IN ('create','update','delete','restore','transfer','merge'));
CREATE OR REPLACE FUNCTION kehu_outbox_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (id, org_id, entity, entity_id, action, actor_id, at, changes, record)
    VALUES (NEW.id, NEW.org_id, NEW.entity, NEW.entity_id,
            CASE NEW.action
                WHEN 'create' THEN 'created'
                WHEN 'update' THEN 'updated'
                WHEN 'delete' THEN 'deleted'
                WHEN 'restore' THEN 'restored'
                WHEN 'merge' THEN 'merged'
                WHEN 'transfer' THEN 'transferred'
            END,
            NEW.actor_id, NEW.at, NEW.changes, NEW.record);
    NEW.record := NULL;
    RETURN NEW;
END
$$;
ALTER TABLE events DROP CONSTRAINT events_action_check;
ALTER TABLE events ADD CONSTRAINT events_action_check CHECK (action IN
    ('created', 'updated', 'deleted', 'restored', 'merged', 'transferred'));
DROP FUNCTION kehu_owner_pool(uuid, uuid);
UPDATE accounts a SET owner_id = (SELECT r.owner_id FROM pool_releases r WHERE r.account_id = a.id
    ORDER BY r.at DESC LIMIT 1) WHERE owner_id IS NULL;
DROP TABLE pool_claims;
DROP TABLE pool_releases;
ALTER TABLE accounts DROP CONSTRAINT accounts_owner_or_pool;
ALTER TABLE accounts DROP COLUMN pool_id, DROP COLUMN recycle_at;
DELETE FROM accounts WHERE owner_id IS NULL;
ALTER TABLE accounts ALTER COLUMN owner_id SET NOT NULL;
DROP TABLE account_pools;
