-- Products (产品): the catalogue, in a tree of categories (大类 > 小类). Codes are unique among an
-- organization's live products, whatever their case.
CREATE TABLE product_categories (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    name        text NOT NULL,
    parent_id   uuid REFERENCES product_categories (id),
    position    integer NOT NULL,
    version     integer NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CONSTRAINT product_categories_name UNIQUE NULLS NOT DISTINCT (org_id, parent_id, name)
);
CREATE INDEX product_categories_org_parent ON product_categories (org_id, parent_id, position, id);

CREATE TABLE products (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES organizations (id),
    code         text NOT NULL,
    name         text NOT NULL,
    spec         text,
    model        text,
    unit         text,
    unit_price   numeric,
    currency     text,
    remarks      text,
    active       boolean NOT NULL,
    category_id  uuid REFERENCES product_categories (id),
    custom       jsonb NOT NULL DEFAULT '{}',
    search_text  text NOT NULL,
    search_grams text[] NOT NULL,
    version      integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    created_by   uuid NOT NULL REFERENCES users (id),
    updated_by   uuid NOT NULL REFERENCES users (id),
    deleted_at   timestamptz,
    deleted_by   uuid REFERENCES users (id)
);
CREATE UNIQUE INDEX products_code ON products (org_id, lower(code)) WHERE deleted_at IS NULL;
CREATE INDEX products_org_code ON products (org_id, code, id) WHERE deleted_at IS NULL;
CREATE INDEX products_org_name ON products (org_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX products_org_created ON products (org_id, created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX products_org_updated ON products (org_id, updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX products_org_price ON products (org_id, unit_price, id) WHERE deleted_at IS NULL;
CREATE INDEX products_org_price_desc ON products (org_id, unit_price DESC NULLS LAST, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX products_org_category ON products (org_id, category_id, name, id) WHERE deleted_at IS NULL;
CREATE INDEX products_org_deleted ON products (org_id, deleted_at, id) WHERE deleted_at IS NOT NULL;
CREATE INDEX products_search_grams ON products USING gin (kehu_org_grams(org_id, search_grams));
