-- Tables whose search text must be recomputed because the rules that build it changed (here:
-- names also answer to pinyin). The text is built in Rust (domain's search_text, the very
-- function writes and the data generator use), so `kehu serve` and `kehu reindex` recompute it
-- in batches after the migration; `after_id` is how far they got. Only tables that already hold
-- rows are listed: a new database is seeded by the new code.
CREATE TABLE search_reindex (
    table_name text PRIMARY KEY
        CHECK (table_name IN ('accounts', 'contacts', 'leads', 'opportunities', 'activities')),
    after_id   uuid
);
INSERT INTO search_reindex (table_name) SELECT 'accounts' WHERE EXISTS (SELECT FROM accounts);
INSERT INTO search_reindex (table_name) SELECT 'contacts' WHERE EXISTS (SELECT FROM contacts);
INSERT INTO search_reindex (table_name) SELECT 'leads' WHERE EXISTS (SELECT FROM leads);
INSERT INTO search_reindex (table_name)
    SELECT 'opportunities' WHERE EXISTS (SELECT FROM opportunities);
