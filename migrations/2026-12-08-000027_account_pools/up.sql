-- The customer pool (公海): accounts nobody owns, that salespeople claim and managers assign.
-- An owned account returns to its owner's pool when its class's rule says it was left too long
-- without a follow-up (or without a won deal); the owner is warned first.
--
-- An account's pool is its owner's: the pool of the nearest department up the owner's chain, or
-- else the organization's own pool (the one without a department). In the pool it has no owner
-- (`owner_id` is null exactly when `pool_id` is set) and only the pool's members see it.
CREATE TABLE account_pools (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name          text NOT NULL,
    -- Its members and the accounts it takes back: that department's subtree (NULL: everyone).
    department_id uuid REFERENCES departments (id),
    -- Per account class: `{"class", "idle_days", "no_won_days"}` (a missing class never returns).
    rules         jsonb NOT NULL DEFAULT '[]',
    -- The owner is told this many days before an account returns.
    warn_days     integer NOT NULL DEFAULT 3 CHECK (warn_days BETWEEN 0 AND 365),
    -- Limits on claiming: per member and day (Beijing time), accounts held at once (NULL: no
    -- limit), and days before a previous owner may claim the account again.
    daily_claims  integer NOT NULL DEFAULT 10 CHECK (daily_claims BETWEEN 0 AND 10000),
    max_held      integer CHECK (max_held BETWEEN 1 AND 1000000),
    reclaim_days  integer NOT NULL DEFAULT 30 CHECK (reclaim_days BETWEEN 0 AND 3650),
    -- When its rules last changed: no account falls due sooner than `warn_days` after, so an
    -- owner is warned before a new or stricter rule takes an account away.
    rules_since   timestamptz NOT NULL,
    version       integer NOT NULL DEFAULT 1,
    created_by    uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (org_id, name)
);
-- One pool per department, and one for the organization.
CREATE UNIQUE INDEX account_pools_department
    ON account_pools (org_id, coalesce(department_id, '00000000-0000-0000-0000-000000000000'));

ALTER TABLE accounts ALTER COLUMN owner_id DROP NOT NULL;
ALTER TABLE accounts
    ADD COLUMN pool_id uuid REFERENCES account_pools (id),
    -- When it returns to its pool unless followed up (kept by `persistence::pools::refresh_due`).
    ADD COLUMN recycle_at timestamptz,
    ADD CONSTRAINT accounts_owner_or_pool CHECK ((owner_id IS NULL) = (pool_id IS NOT NULL));
CREATE INDEX accounts_pool ON accounts (pool_id, created_at, id) WHERE pool_id IS NOT NULL;
-- The job's scan across organizations, and the accounts list sorted by it either way.
CREATE INDEX accounts_recycle ON accounts (recycle_at)
    WHERE recycle_at IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX accounts_org_recycle ON accounts (org_id, recycle_at, id) WHERE deleted_at IS NULL;
CREATE INDEX accounts_org_recycle_desc ON accounts (org_id, recycle_at DESC NULLS LAST, id DESC)
    WHERE deleted_at IS NULL;

-- Every claim and assignment: the daily limit counts them, and the owner's clock starts at the
-- latest (an account just claimed is not due at once for its old neglect).
CREATE TABLE pool_claims (
    id         uuid PRIMARY KEY,
    org_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    pool_id    uuid NOT NULL REFERENCES account_pools (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES users (id),
    -- Who did it: the claimant, or the manager who assigned it.
    by_id      uuid NOT NULL REFERENCES users (id),
    at         timestamptz NOT NULL
);
CREATE INDEX pool_claims_user ON pool_claims (user_id, at);
CREATE INDEX pool_claims_account ON pool_claims (account_id, at);

-- Every return to a pool, by rule (`by_id` null) or by hand: whose the account was, so that
-- owner cannot claim it straight back.
CREATE TABLE pool_releases (
    id         uuid PRIMARY KEY,
    org_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    pool_id    uuid NOT NULL REFERENCES account_pools (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    owner_id   uuid NOT NULL REFERENCES users (id),
    by_id      uuid REFERENCES users (id),
    reason     text,
    at         timestamptz NOT NULL
);
CREATE INDEX pool_releases_account ON pool_releases (account_id, at);

-- The pool an owner's accounts return to: the nearest department pool up the owner's chain,
-- else the organization's.
CREATE FUNCTION kehu_owner_pool(org uuid, owner uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
    WITH RECURSIVE chain (id, depth) AS (
        SELECT department_id, 0 FROM users WHERE id = owner AND org_id = org
        UNION ALL
        SELECT d.parent_id, c.depth + 1 FROM chain c JOIN departments d ON d.id = c.id
        WHERE d.parent_id IS NOT NULL AND c.depth < 64
    )
    SELECT coalesce(
        (SELECT p.id FROM chain c JOIN account_pools p ON p.org_id = org AND p.department_id = c.id
         ORDER BY c.depth LIMIT 1),
        (SELECT p.id FROM account_pools p WHERE p.org_id = org AND p.department_id IS NULL))
$$;

-- The outbox's names for the pool's two actions.
ALTER TABLE events DROP CONSTRAINT events_action_check;
ALTER TABLE events ADD CONSTRAINT events_action_check CHECK (action IN
    ('created', 'updated', 'deleted', 'restored', 'merged', 'transferred', 'released', 'claimed'));
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
                WHEN 'release' THEN 'released'
                WHEN 'claim' THEN 'claimed'
            END,
            NEW.actor_id, NEW.at, NEW.changes, NEW.record);
    NEW.record := NULL;
    RETURN NEW;
END
$$;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_action_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_action_check
    CHECK (action IN ('create','update','delete','restore','transfer','merge','release','claim'));
