-- Foundation: tenants, identity, accounts, audit trail, idempotency.
-- Every business table carries org_id, and org_id leads every business index.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE organizations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    locale      text NOT NULL DEFAULT 'zh-CN',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE departments (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    parent_id   uuid REFERENCES departments (id),
    name        text NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX departments_org_parent ON departments (org_id, parent_id);
-- One root per organization.
CREATE UNIQUE INDEX departments_one_root ON departments (org_id) WHERE parent_id IS NULL;

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email           text NOT NULL,
    name            text NOT NULL,
    password_hash   text NOT NULL,
    role            text NOT NULL CHECK (role IN ('admin','manager','sales','service','marketing','finance','readonly')),
    department_id   uuid NOT NULL REFERENCES departments (id),
    active          boolean NOT NULL DEFAULT true,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    last_login_at   timestamptz
);
-- Sign-in is by email alone, so an email belongs to one user across all organizations.
CREATE UNIQUE INDEX users_email ON users (lower(email));
CREATE INDEX users_org_department ON users (org_id, department_id);
CREATE INDEX users_org_name ON users (org_id, name, id);

CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- All tokens rotated from one sign-in share a family; reuse of a spent token revokes the family.
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (org_id, user_id);

CREATE TABLE api_keys (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL,
    prefix        text NOT NULL UNIQUE,
    secret_hash   bytea NOT NULL,
    scopes        text[] NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_keys_org_user ON api_keys (org_id, user_id, created_at);

CREATE TABLE accounts (
    id                       uuid PRIMARY KEY,
    org_id                   uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name                     text NOT NULL,
    -- company_key(name): the duplicate key (case, width, spaces and legal suffixes removed).
    name_key                 text NOT NULL,
    credit_code              text,
    industry                 text,
    employees                integer,
    annual_revenue           numeric,
    annual_revenue_currency  text,
    region                   text,
    address                  text,
    website                  text,
    phone                    text,
    source                   text,
    class                    text NOT NULL DEFAULT 'potential' CHECK (class IN ('potential','target','key')),
    owner_id                 uuid NOT NULL REFERENCES users (id),
    tags                     text[] NOT NULL DEFAULT '{}',
    -- Folded searchable text and its character bigrams (see domain::normalize::bigrams).
    search_text              text NOT NULL,
    search_grams             text[] NOT NULL,
    version                  integer NOT NULL DEFAULT 1,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    created_by               uuid NOT NULL REFERENCES users (id),
    updated_by               uuid NOT NULL REFERENCES users (id),
    deleted_at               timestamptz,
    deleted_by               uuid REFERENCES users (id),
    CHECK ((annual_revenue IS NULL) = (annual_revenue_currency IS NULL))
);
-- Keyset list orders (live records), one per sortable field, each ending in id.
CREATE INDEX accounts_org_name ON accounts (org_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX accounts_org_created ON accounts (org_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX accounts_org_updated ON accounts (org_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX accounts_org_employees ON accounts (org_id, employees, id) WHERE deleted_at IS NULL;
CREATE INDEX accounts_org_revenue ON accounts (org_id, annual_revenue, id) WHERE deleted_at IS NULL;
CREATE INDEX accounts_org_owner ON accounts (org_id, owner_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX accounts_org_deleted ON accounts (org_id, deleted_at, id) WHERE deleted_at IS NOT NULL;
-- Duplicate detection.
CREATE INDEX accounts_org_credit_code ON accounts (org_id, credit_code) WHERE credit_code IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX accounts_org_name_key ON accounts (org_id, name_key) WHERE deleted_at IS NULL;
CREATE INDEX accounts_name_key_trgm ON accounts USING gin (org_id, name_key gin_trgm_ops) WHERE deleted_at IS NULL;
-- Quick and global search.
CREATE INDEX accounts_search_grams ON accounts USING gin (org_id, search_grams);

CREATE TABLE audit_events (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    entity      text NOT NULL,
    entity_id   uuid NOT NULL,
    action      text NOT NULL CHECK (action IN ('create','update','delete','restore')),
    actor_id    uuid REFERENCES users (id),
    at          timestamptz NOT NULL,
    changes     jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX audit_events_record ON audit_events (org_id, entity, entity_id, at DESC, id DESC);

CREATE TABLE idempotency_keys (
    org_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key           text NOT NULL,
    request_hash  bytea NOT NULL,
    status        integer NOT NULL,
    location      text,
    body          jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id, key)
);
