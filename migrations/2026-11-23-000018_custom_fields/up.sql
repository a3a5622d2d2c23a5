-- Custom fields: definitions per organization and entity, and each record's values in `custom`.
-- Adding a column with a constant default rewrites nothing (PostgreSQL 11+), and adding a field
-- later is a row here: the tables are never altered per field. A filterable field gets its own
-- index, partial on its organization, built concurrently after the definition is saved.
CREATE TABLE custom_fields (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    entity      text NOT NULL,
    key         text NOT NULL,
    field_type  text NOT NULL,
    label_zh    text NOT NULL,
    label_en    text NOT NULL,
    help_zh     text,
    help_en     text,
    required    boolean NOT NULL,
    unique_values boolean NOT NULL,
    default_value jsonb,
    min_value   numeric,
    max_value   numeric,
    min_length  integer,
    max_length  integer,
    options     jsonb NOT NULL,
    target      text,
    section     text,
    position    integer NOT NULL,
    filterable  boolean NOT NULL,
    searchable  boolean NOT NULL,
    active      boolean NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    created_by  uuid NOT NULL REFERENCES users (id),
    updated_by  uuid NOT NULL REFERENCES users (id),
    CONSTRAINT custom_fields_key UNIQUE (org_id, entity, key)
);
CREATE INDEX custom_fields_org_entity ON custom_fields (org_id, entity, position, id);

ALTER TABLE accounts ADD COLUMN custom jsonb NOT NULL DEFAULT '{}';
ALTER TABLE contacts ADD COLUMN custom jsonb NOT NULL DEFAULT '{}';
ALTER TABLE leads ADD COLUMN custom jsonb NOT NULL DEFAULT '{}';
ALTER TABLE opportunities ADD COLUMN custom jsonb NOT NULL DEFAULT '{}';
