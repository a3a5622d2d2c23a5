-- Leads (线索): unqualified prospects, worked new → contacted → qualified, then converted into an
-- account + contact (+ opportunity) or disqualified with a reason.
CREATE TABLE leads (
    id                 uuid PRIMARY KEY,
    org_id             uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name               text NOT NULL,
    company            text,
    title              text,
    -- E.164 and lower case: duplicate keys shared with contacts.
    phone              text,
    email              text,
    region             text REFERENCES regions (code),
    address            text,
    industry           text,
    source             text,
    description        text,
    status             text NOT NULL DEFAULT 'new'
        CHECK (status IN ('new','contacted','qualified','converted','disqualified')),
    disqualify_reason  text,
    converted_at       timestamptz,
    converted_by       uuid REFERENCES users (id),
    account_id         uuid REFERENCES accounts (id),
    contact_id         uuid REFERENCES contacts (id),
    opportunity_id     uuid REFERENCES opportunities (id),
    owner_id           uuid NOT NULL REFERENCES users (id),
    tags               text[] NOT NULL DEFAULT '{}',
    search_text        text NOT NULL,
    search_grams       text[] NOT NULL,
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    created_by         uuid NOT NULL REFERENCES users (id),
    updated_by         uuid NOT NULL REFERENCES users (id),
    deleted_at         timestamptz,
    deleted_by         uuid REFERENCES users (id),
    CHECK ((status = 'disqualified') = (disqualify_reason IS NOT NULL)),
    CHECK ((status = 'converted') = (converted_at IS NOT NULL AND account_id IS NOT NULL AND contact_id IS NOT NULL))
);
-- Keyset list orders (live records), one per sortable field, each ending in id.
CREATE INDEX leads_org_name ON leads (org_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_company ON leads (org_id, company, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_created ON leads (org_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_updated ON leads (org_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_status ON leads (org_id, status, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_owner ON leads (org_id, owner_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_deleted ON leads (org_id, deleted_at, id) WHERE deleted_at IS NOT NULL;
-- Duplicate detection against leads (contacts have their own indexes).
CREATE INDEX leads_phone ON leads (org_id, phone) WHERE deleted_at IS NULL AND phone IS NOT NULL;
CREATE INDEX leads_email ON leads (org_id, email) WHERE deleted_at IS NULL AND email IS NOT NULL;
-- Quick and global search.
CREATE INDEX leads_search_grams ON leads USING gin (org_id, search_grams);
