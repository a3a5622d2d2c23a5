CREATE TABLE pipelines (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        text NOT NULL,
    is_default  boolean NOT NULL DEFAULT false,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (org_id, name)
);
-- One default pipeline per organization.
CREATE UNIQUE INDEX pipelines_one_default ON pipelines (org_id) WHERE is_default;

CREATE TABLE stages (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    pipeline_id  uuid NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    name         text NOT NULL,
    position     integer NOT NULL,
    probability  integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind         text NOT NULL CHECK (kind IN ('open','won','lost')),
    UNIQUE (pipeline_id, position)
);

CREATE TABLE opportunities (
    id                      uuid PRIMARY KEY,
    org_id                  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name                    text NOT NULL,
    account_id              uuid NOT NULL REFERENCES accounts (id),
    contact_id              uuid REFERENCES contacts (id),
    amount                  numeric,
    currency                text,
    expected_close          date,
    pipeline_id             uuid NOT NULL REFERENCES pipelines (id),
    stage_id                uuid NOT NULL REFERENCES stages (id),
    status                  text NOT NULL CHECK (status IN ('open','won','lost')),
    probability             integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
    probability_overridden  boolean NOT NULL DEFAULT false,
    source                  text,
    campaign_id             uuid,
    competitors             text[] NOT NULL DEFAULT '{}',
    close_reason            text,
    closed_at               timestamptz,
    owner_id                uuid NOT NULL REFERENCES users (id),
    tags                    text[] NOT NULL DEFAULT '{}',
    search_text             text NOT NULL,
    search_grams            text[] NOT NULL,
    version                 integer NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    created_by              uuid NOT NULL REFERENCES users (id),
    updated_by              uuid NOT NULL REFERENCES users (id),
    deleted_at              timestamptz,
    deleted_by              uuid REFERENCES users (id),
    CHECK ((amount IS NULL) = (currency IS NULL))
);
-- Keyset list orders (live records), one per sortable field, each ending in id.
CREATE INDEX opportunities_org_name ON opportunities (org_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_org_amount ON opportunities (org_id, amount, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_org_close ON opportunities (org_id, expected_close, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_org_probability ON opportunities (org_id, probability, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_org_created ON opportunities (org_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_org_updated ON opportunities (org_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_org_owner ON opportunities (org_id, owner_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_org_account ON opportunities (org_id, account_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_org_stage ON opportunities (org_id, stage_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_org_deleted ON opportunities (org_id, deleted_at, id) WHERE deleted_at IS NOT NULL;
-- The forecast: open deals by close date, won deals by close time.
CREATE INDEX opportunities_forecast_open ON opportunities (org_id, expected_close) WHERE deleted_at IS NULL AND status = 'open';
CREATE INDEX opportunities_forecast_won ON opportunities (org_id, closed_at) WHERE deleted_at IS NULL AND status = 'won';
CREATE INDEX opportunities_search_grams ON opportunities USING gin (org_id, search_grams);

-- Every stage change (who, when, from, to, why), the deal's stage history.
CREATE TABLE stage_changes (
    id              uuid PRIMARY KEY,
    org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    opportunity_id  uuid NOT NULL REFERENCES opportunities (id),
    from_stage_id   uuid REFERENCES stages (id),
    to_stage_id     uuid NOT NULL REFERENCES stages (id),
    actor_id        uuid NOT NULL REFERENCES users (id),
    at              timestamptz NOT NULL,
    reason          text
);
CREATE INDEX stage_changes_opportunity ON stage_changes (org_id, opportunity_id, at DESC, id DESC);

-- Organizations that exist already get the default pipeline, named in their language.
INSERT INTO pipelines (id, org_id, name, is_default, created_at, updated_at)
SELECT gen_random_uuid(), id, CASE WHEN locale = 'en' THEN 'Standard sales process' ELSE '标准销售流程' END, true, now(), now()
FROM organizations;
INSERT INTO stages (id, org_id, pipeline_id, name, position, probability, kind)
SELECT gen_random_uuid(), p.org_id, p.id, CASE WHEN o.locale = 'en' THEN s.en ELSE s.zh END, s.position, s.probability, s.kind
FROM pipelines p
JOIN organizations o ON o.id = p.org_id
CROSS JOIN (VALUES
    (1, '资格确认', 'Qualification', 10, 'open'),
    (2, '需求分析', 'Needs analysis', 25, 'open'),
    (3, '方案报价', 'Proposal', 50, 'open'),
    (4, '谈判审核', 'Negotiation', 75, 'open'),
    (5, '赢单', 'Won', 100, 'won'),
    (6, '输单', 'Lost', 0, 'lost')
) AS s (position, zh, en, probability, kind);
