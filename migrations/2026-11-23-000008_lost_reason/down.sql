ALTER TABLE opportunities DROP COLUMN lost_reason;
