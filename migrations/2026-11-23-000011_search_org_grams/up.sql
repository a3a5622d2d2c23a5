-- Quick and global search find rows by their text's bigrams. The index was GIN (org_id,
-- search_grams): every search also read the organization's whole posting tree (4 MB for a
-- million contacts, ~5 ms) to intersect it with the bigram's few thousand rows. Keying each
-- bigram by its organization makes one entry per (organization, bigram): a search reads only
-- its own organization's matches. The tag is the organization id's random tail; rows are still
-- checked against org_id, so a shared tail would cost time, never a leak.
CREATE FUNCTION kehu_org_grams(org uuid, grams text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT ARRAY(SELECT right(org::text, 12) || ':' || g FROM unnest(grams) AS g) $$;

DROP INDEX accounts_search_grams;
DROP INDEX contacts_search_grams;
DROP INDEX leads_search_grams;
DROP INDEX opportunities_search_grams;
DROP INDEX activities_search_grams;
CREATE INDEX accounts_search_grams ON accounts USING gin (kehu_org_grams(org_id, search_grams));
CREATE INDEX contacts_search_grams ON contacts USING gin (kehu_org_grams(org_id, search_grams));
CREATE INDEX leads_search_grams ON leads USING gin (kehu_org_grams(org_id, search_grams));
CREATE INDEX opportunities_search_grams ON opportunities USING gin (kehu_org_grams(org_id, search_grams));
CREATE INDEX activities_search_grams ON activities USING gin (kehu_org_grams(org_id, search_grams));
