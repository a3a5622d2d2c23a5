CREATE TABLE contacts (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name          text NOT NULL,
    title         text,
    account_id    uuid REFERENCES accounts (id),
    -- E.164 phones and lower-case emails: the duplicate keys.
    phones        text[] NOT NULL DEFAULT '{}',
    emails        text[] NOT NULL DEFAULT '{}',
    wechat        text,
    birthday      date,
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
    deleted_by    uuid REFERENCES users (id)
);
-- Keyset list orders (live records), one per sortable field, each ending in id.
CREATE INDEX contacts_org_name ON contacts (org_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_org_created ON contacts (org_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_org_updated ON contacts (org_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_org_owner ON contacts (org_id, owner_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_org_account ON contacts (org_id, account_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_org_deleted ON contacts (org_id, deleted_at, id) WHERE deleted_at IS NOT NULL;
-- Duplicate detection: any shared phone or email.
CREATE INDEX contacts_phones ON contacts USING gin (org_id, phones) WHERE deleted_at IS NULL;
CREATE INDEX contacts_emails ON contacts USING gin (org_id, emails) WHERE deleted_at IS NULL;
-- Quick and global search.
CREATE INDEX contacts_search_grams ON contacts USING gin (org_id, search_grams);
