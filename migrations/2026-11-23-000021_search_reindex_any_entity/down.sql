DELETE FROM search_reindex
    WHERE table_name NOT IN ('accounts', 'contacts', 'leads', 'opportunities', 'activities');
ALTER TABLE search_reindex ADD CONSTRAINT search_reindex_table_name_check
    CHECK (table_name IN ('accounts', 'contacts', 'leads', 'opportunities', 'activities'));
