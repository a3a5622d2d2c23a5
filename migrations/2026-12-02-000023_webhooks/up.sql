-- Webhooks: an organization's endpoints, one delivery per endpoint and event it subscribes to,
-- and each attempt at sending it.
--
-- Deliveries are made in the transaction of the change (a trigger on the outbox), not by a
-- reader trailing the outbox: a rolled-back write leaves none, and a later change of a record
-- is queued only after the earlier one committed (the row lock orders them), so sending each
-- record's deliveries in `event_seq` order keeps them in order — a reader of committed
-- events by transaction id could see a later change of a record before an earlier one.

-- The record as the event left it (the write path passes it along with the audit row): what a
-- webhook carries, so a delivery sent hours later still tells what happened then. The audit
-- trail keeps its changes only; a BEFORE trigger moves the copy into the outbox.
ALTER TABLE audit_events ADD COLUMN record jsonb;
ALTER TABLE events ADD COLUMN record jsonb;

DROP TRIGGER audit_events_outbox ON audit_events;
DROP FUNCTION kehu_outbox_event();
CREATE FUNCTION kehu_outbox_event() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER audit_events_outbox BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION kehu_outbox_event();

CREATE TABLE webhook_endpoints (
    id                  uuid PRIMARY KEY,
    org_id              uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    url                 text NOT NULL,
    description         text NOT NULL DEFAULT '',
    -- `account.created`, or `contact.*` (every action on contacts).
    event_types         text[] NOT NULL CHECK (cardinality(event_types) > 0),
    -- `whsec_…` (Standard Webhooks). The previous one keeps signing until it expires, so a
    -- receiver can switch secrets without refusing a delivery.
    secret              text NOT NULL,
    previous_secret     text,
    previous_expires_at timestamptz,
    enabled             boolean NOT NULL DEFAULT true,
    -- Why it was turned off when Kehu did it (a delivery that failed every attempt).
    disabled_reason     text,
    version             integer NOT NULL DEFAULT 1,
    created_by          uuid REFERENCES users (id),
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id, created_at, id);

CREATE TABLE webhook_deliveries (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    endpoint_id  uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    -- `webhook-id`: the same for every attempt and redelivery, so receivers can drop repeats.
    message_id   uuid NOT NULL,
    event_type   text NOT NULL,
    -- The outbox event it carries; NULL for a test event, which carries `payload` instead.
    event_seq    bigint REFERENCES events (seq),
    entity_id    uuid,
    payload      jsonb,
    state        text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts     integer NOT NULL DEFAULT 0,
    next_at      timestamptz NOT NULL,
    -- A sender's claim: another may take the delivery over once it runs out.
    leased_until timestamptz,
    last_status  integer,
    last_error   text,
    last_latency_ms integer,
    created_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    CHECK ((event_seq IS NULL) <> (payload IS NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at, id) WHERE state = 'pending';
-- What holds a delivery back: an earlier one of the same record to the same endpoint.
CREATE INDEX webhook_deliveries_record ON webhook_deliveries (endpoint_id, entity_id, event_seq)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at, id);
-- For pruning old events (the reference is checked on each delete).
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_seq);
-- For pruning the log.
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE state <> 'pending';

CREATE TABLE webhook_attempts (
    delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt     integer NOT NULL,
    at          timestamptz NOT NULL,
    -- The receiver's HTTP status; NULL when none came (refused, timed out).
    status      integer,
    latency_ms  integer NOT NULL,
    error       text,
    -- The start of the receiver's answer, for the log.
    response    text,
    PRIMARY KEY (delivery_id, attempt)
);

-- Queues a delivery of each new event to the organization's enabled endpoints that subscribe
-- to it, in the event's transaction.
CREATE FUNCTION kehu_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind text := NEW.entity || '.' || NEW.action;
BEGIN
    INSERT INTO webhook_deliveries
        (id, org_id, endpoint_id, message_id, event_type, event_seq, entity_id, state, next_at, created_at)
    SELECT gen_random_uuid(), NEW.org_id, e.id, NEW.id, kind, NEW.seq, NEW.entity_id, 'pending', NEW.at, NEW.at
    FROM webhook_endpoints e
    WHERE e.org_id = NEW.org_id AND e.enabled
      AND (kind = ANY (e.event_types) OR NEW.entity || '.*' = ANY (e.event_types));
    RETURN NULL;
END
$$;
CREATE TRIGGER events_webhook_deliveries AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION kehu_webhook_deliveries();
