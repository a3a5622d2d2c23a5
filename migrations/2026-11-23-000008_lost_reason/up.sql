-- Why deals are lost, as a key of the organization's `lost_reason` picklist (for loss analysis);
-- close_reason keeps the words.
ALTER TABLE opportunities ADD COLUMN lost_reason text;
CREATE INDEX opportunities_org_lost_reason ON opportunities (org_id, lost_reason, closed_at)
    WHERE deleted_at IS NULL AND lost_reason IS NOT NULL;
