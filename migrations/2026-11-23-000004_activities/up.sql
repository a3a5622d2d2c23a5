-- Activities (活动): calls, visits, meetings, emails, notes and tasks, each attached to one record.
-- The attachment is (entity, entity_id) so leads plug in without a schema change; account_id is
-- the account the record belongs to (the account itself, a contact's or an opportunity's account),
-- so an account's timeline and last activity include its contacts' and opportunities' activities.
CREATE TABLE activities (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('call','visit','meeting','email','note','task')),
    subject       text NOT NULL,
    -- Call summary, visit notes (拜访纪要), minutes, email text, the note itself, task details.
    body          text,
    entity        text NOT NULL CHECK (entity IN ('account','contact','lead','opportunity')),
    entity_id     uuid NOT NULL,
    account_id    uuid REFERENCES accounts (id),
    -- When it happened; for tasks, when it was done (NULL while open or cancelled).
    occurred_at   timestamptz,
    due_at        timestamptz,
    status        text CHECK (status IN ('open','done','cancelled')),
    reminder_at   timestamptz,
    owner_id      uuid NOT NULL REFERENCES users (id),
    tags          text[] NOT NULL DEFAULT '{}',
    search_text   text NOT NULL,
    search_grams  text[] NOT NULL,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    created_by    uuid NOT NULL REFERENCES users (id),
    updated_by    uuid NOT NULL REFERENCES users (id),
    deleted_at    timestamptz,
    deleted_by    uuid REFERENCES users (id),
    -- Tasks have a due time and a status; other kinds have neither, and always an occurred_at.
    CHECK ((kind = 'task') = (due_at IS NOT NULL)),
    CHECK ((kind = 'task') = (status IS NOT NULL)),
    CHECK (kind = 'task' OR (reminder_at IS NULL AND occurred_at IS NOT NULL)),
    CHECK (reminder_at IS NULL OR reminder_at <= due_at)
);
-- Keyset list orders (live records), one per sortable field, each ending in id.
CREATE INDEX activities_org_occurred ON activities (org_id, occurred_at, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_org_due ON activities (org_id, due_at, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_org_created ON activities (org_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_org_updated ON activities (org_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX activities_org_deleted ON activities (org_id, deleted_at, id) WHERE deleted_at IS NOT NULL;
-- Timelines, newest first by when it happened (an open or cancelled task: when it was created):
-- a record's own activities, and an account's (its contacts' and opportunities' included).
CREATE INDEX activities_org_entity ON activities (org_id, entity, entity_id, (coalesce(occurred_at, created_at)) DESC, id DESC)
    WHERE deleted_at IS NULL;
CREATE INDEX activities_org_account ON activities (org_id, account_id, (coalesce(occurred_at, created_at)) DESC, id DESC)
    WHERE deleted_at IS NULL;
CREATE INDEX activities_org_owner ON activities (org_id, owner_id, occurred_at, id) WHERE deleted_at IS NULL;
-- My open tasks, by due time.
CREATE INDEX activities_open_tasks ON activities (org_id, owner_id, due_at, id)
    WHERE deleted_at IS NULL AND kind = 'task' AND status = 'open';
-- Quick search.
CREATE INDEX activities_search_grams ON activities USING gin (org_id, search_grams);

-- Contact cadence (联系频率): an account with no activity for neglect_days is neglected.
ALTER TABLE organizations ADD COLUMN neglect_days integer NOT NULL DEFAULT 30
    CHECK (neglect_days BETWEEN 0 AND 3650);
-- The latest occurred_at over the account's live activities (derived; kept in step on every
-- activity write, in the same transaction).
ALTER TABLE accounts ADD COLUMN last_activity_at timestamptz;
CREATE INDEX accounts_org_last_activity ON accounts (org_id, last_activity_at, id) WHERE deleted_at IS NULL;
-- When the account becomes neglected: its last activity (or, without one, its creation) plus the
-- organization's neglect_days. Derived, kept in step by activity writes and by changes of the
-- setting, so `neglected` (neglect_at <= now()) is an index range rather than a per-row computation.
ALTER TABLE accounts ADD COLUMN neglect_at timestamptz;
UPDATE accounts a SET neglect_at = a.created_at + make_interval(days => o.neglect_days)
    FROM organizations o WHERE o.id = a.org_id;
ALTER TABLE accounts ALTER COLUMN neglect_at SET NOT NULL;
CREATE INDEX accounts_org_neglect ON accounts (org_id, neglect_at, id) WHERE deleted_at IS NULL;
