-- Workflow rules: "when this happens to a record, if it matches, do that", per organization and
-- entity. A trigger on the outbox queues one run per enabled rule an event concerns, in the
-- change's own transaction (a rolled-back write runs nothing); the outbox worker runs them
-- after, outside the request.
--
-- Loops: a run's writes carry its rule and depth as transaction settings (`kehu.rule_id`,
-- `kehu.rule_depth`), so its own changes do not queue it again, and chains of rules stop at a
-- depth of 5.
CREATE TABLE workflow_rules (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    entity      text NOT NULL,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    trigger     text NOT NULL CHECK (trigger IN ('created', 'updated', 'saved', 'deleted', 'date')),
    -- A `date` rule runs on each record when its `date_field` plus `offset_days` (negative:
    -- before) comes; `checked_until` is how far the scheduled job has looked.
    date_field  text,
    offset_days integer NOT NULL DEFAULT 0 CHECK (offset_days BETWEEN -3650 AND 3650),
    checked_until timestamptz,
    -- An update runs the rule only when one of these fields changed (empty: any change).
    fields      text[] NOT NULL DEFAULT '{}',
    -- `[{"field", "op", "value"}]` in the list filter language, and an optional
    -- `{"field", "from", "to"}` the event's change must match.
    conditions  jsonb NOT NULL DEFAULT '[]',
    changed     jsonb,
    actions     jsonb NOT NULL,
    enabled     boolean NOT NULL DEFAULT true,
    -- How many assignments its round-robin has made (the next assignee is this modulo the list).
    assigned    bigint NOT NULL DEFAULT 0,
    version     integer NOT NULL DEFAULT 1,
    created_by  uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (org_id, name)
);
CREATE INDEX workflow_rules_entity ON workflow_rules (org_id, entity) WHERE enabled;

CREATE TABLE workflow_runs (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    rule_id     uuid NOT NULL REFERENCES workflow_rules (id) ON DELETE CASCADE,
    event_seq   bigint NOT NULL,
    entity      text NOT NULL,
    entity_id   uuid NOT NULL,
    action      text NOT NULL,
    -- The event's field changes (what "changed from/to" is checked against).
    changes     jsonb NOT NULL,
    depth       integer NOT NULL,
    -- `event_seq` 0 for a date rule's run (no event).
    -- pending → done (its effects), skipped (the record did not match), or failed (why).
    state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'skipped', 'failed')),
    effects     jsonb NOT NULL DEFAULT '[]',
    error       text,
    attempts    integer NOT NULL DEFAULT 0,
    leased_until timestamptz,
    created_at  timestamptz NOT NULL,
    finished_at timestamptz
);
CREATE INDEX workflow_runs_pending ON workflow_runs (event_seq) WHERE state = 'pending';
CREATE INDEX workflow_runs_record ON workflow_runs (org_id, entity_id, created_at DESC, id DESC);
CREATE INDEX workflow_runs_rule ON workflow_runs (rule_id, created_at DESC, id DESC);
CREATE INDEX workflow_runs_finished ON workflow_runs (finished_at) WHERE state <> 'pending';

CREATE FUNCTION kehu_workflow_runs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    depth integer := coalesce(nullif(current_setting('kehu.rule_depth', true), '')::integer, 0);
    running text := coalesce(current_setting('kehu.rule_id', true), '');
BEGIN
    IF depth >= 5 OR NEW.action NOT IN ('created', 'updated', 'deleted') THEN
        RETURN NULL;
    END IF;
    INSERT INTO workflow_runs (id, org_id, rule_id, event_seq, entity, entity_id, action, changes,
                               depth, created_at)
    SELECT gen_random_uuid(), NEW.org_id, r.id, NEW.seq, NEW.entity, NEW.entity_id, NEW.action,
           NEW.changes, depth + 1, NEW.at
    FROM workflow_rules r
    WHERE r.org_id = NEW.org_id AND r.entity = NEW.entity AND r.enabled
      AND r.id::text <> running
      AND CASE NEW.action
            WHEN 'created' THEN r.trigger IN ('created', 'saved')
            WHEN 'deleted' THEN r.trigger = 'deleted'
            ELSE r.trigger IN ('updated', 'saved')
                 AND (cardinality(r.fields) = 0 OR EXISTS (
                     SELECT 1 FROM jsonb_array_elements(NEW.changes) c
                     WHERE c->>'field' = ANY (r.fields)))
          END;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_workflow_runs AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION kehu_workflow_runs();
