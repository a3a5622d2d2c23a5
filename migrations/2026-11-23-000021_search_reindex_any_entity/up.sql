-- The tables a search reindex may redo are the registry's entities (each store's own batch),
-- not a list kept in a CHECK: products and every later entity take part without a migration.
ALTER TABLE search_reindex DROP CONSTRAINT search_reindex_table_name_check;
