-- Scheduled jobs: a cron expression per kind of work. The runner of any process queues the job
-- of a schedule that fell due (taking the row with SKIP LOCKED and moving `next_run_at` on in
-- the same transaction, so several processes queue it once), and then runs it like any job.
CREATE TABLE job_schedules (
    id                 uuid PRIMARY KEY,
    -- NULL for the platform's own schedules (pruning), which no organization sees.
    org_id             uuid REFERENCES organizations (id) ON DELETE CASCADE,
    kind               text NOT NULL,
    payload            jsonb NOT NULL DEFAULT '{}',
    cron               text NOT NULL,
    -- Minutes east of UTC the expression is read at (480: Beijing time).
    utc_offset_minutes integer NOT NULL DEFAULT 0,
    next_run_at        timestamptz NOT NULL,
    last_queued_at     timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE UNIQUE INDEX job_schedules_platform ON job_schedules (kind) WHERE org_id IS NULL;
CREATE INDEX job_schedules_due ON job_schedules (next_run_at);
