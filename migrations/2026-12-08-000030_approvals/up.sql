-- Approvals, one engine for every module. A process names, per entity, the changes that need
-- approval (`guards`: a field moving to one of some values) of which records (`conditions`, in
-- the list filter language), the fields an approval holds for, and ordered steps of approvers.
-- A guarded change is refused (409) unless an approved approval of the record holds exactly
-- the values it writes; an approval, once granted, makes its change itself.
CREATE TABLE approval_processes (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    entity      text NOT NULL,
    name        text NOT NULL,
    conditions  jsonb NOT NULL DEFAULT '[]',
    guards      jsonb NOT NULL,
    fields      text[] NOT NULL,
    steps       jsonb NOT NULL,
    cc          uuid[] NOT NULL DEFAULT '{}',
    enabled     boolean NOT NULL DEFAULT true,
    version     integer NOT NULL DEFAULT 1,
    created_by  uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (org_id, name)
);
CREATE INDEX approval_processes_entity ON approval_processes (org_id, entity) WHERE enabled;

CREATE TABLE approvals (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    process_id   uuid NOT NULL REFERENCES approval_processes (id) ON DELETE CASCADE,
    entity       text NOT NULL,
    entity_id    uuid NOT NULL,
    -- pending → approved (and applied) | rejected | returned (to the submitter) | cancelled;
    -- an approved one is `spent` once its change was made, so it never approves another.
    state        text NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'returned', 'cancelled')),
    spent        boolean NOT NULL DEFAULT false,
    step         integer NOT NULL DEFAULT 0,
    -- The process's steps as they were at submission (a later edit does not change them).
    steps        jsonb NOT NULL,
    cc           uuid[] NOT NULL DEFAULT '{}',
    -- The change asked for, and the values of the process's fields it leads to.
    proposed     jsonb NOT NULL,
    holds        jsonb NOT NULL,
    submitted_by uuid NOT NULL REFERENCES users (id),
    submitted_at timestamptz NOT NULL,
    decided_at   timestamptz,
    version      integer NOT NULL DEFAULT 1
);
-- One open approval per record.
CREATE UNIQUE INDEX approvals_open ON approvals (entity_id) WHERE state = 'pending';
CREATE INDEX approvals_record ON approvals (org_id, entity_id, submitted_at DESC);

CREATE TABLE approval_tasks (
    id          uuid PRIMARY KEY,
    approval_id uuid NOT NULL REFERENCES approvals (id) ON DELETE CASCADE,
    step        integer NOT NULL,
    -- Order within a step taken in turn (依次); 0 for the others.
    position    integer NOT NULL,
    approver_id uuid NOT NULL REFERENCES users (id),
    -- waiting (a later turn) → pending → approved | rejected | returned | delegated | skipped
    state       text NOT NULL CHECK (state IN ('waiting', 'pending', 'approved', 'rejected', 'returned', 'delegated', 'skipped')),
    comment     text,
    acted_at    timestamptz
);
CREATE INDEX approval_tasks_inbox ON approval_tasks (approver_id) WHERE state = 'pending';
CREATE INDEX approval_tasks_approval ON approval_tasks (approval_id, step, position);

-- The trail: every submission, decision, delegation, added signer and comment.
CREATE TABLE approval_events (
    id          uuid PRIMARY KEY,
    approval_id uuid NOT NULL REFERENCES approvals (id) ON DELETE CASCADE,
    action      text NOT NULL,
    actor_id    uuid REFERENCES users (id),
    target_id   uuid REFERENCES users (id),
    step        integer NOT NULL,
    comment     text,
    at          timestamptz NOT NULL
);
CREATE INDEX approval_events_approval ON approval_events (approval_id, at, id);
