-- Saved list views: a named list of one entity (its filters and sort as a list query, and the
-- columns shown), private to its owner or shared with the organization.
CREATE TABLE list_views (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    owner_id    uuid NOT NULL REFERENCES users (id),
    entity      text NOT NULL,
    name        text NOT NULL,
    query       text NOT NULL,
    shown       text[] NOT NULL,  -- the columns shown, in order
    shared      boolean NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT list_views_name UNIQUE (org_id, owner_id, entity, name)
);
CREATE INDEX list_views_org_entity ON list_views (org_id, entity, name, id);
