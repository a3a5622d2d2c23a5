-- Background jobs, claimed from this table by every `kehu` process (no broker to install). A
-- claim is a lease: a process that dies mid-job (kill -9) leaves the lease to run out, and the
-- next claim takes the job over. `attempt` fences a late writer: a process whose lease was taken
-- over can no longer report progress or finish the job.
CREATE TABLE jobs (
    id           uuid PRIMARY KEY,
    -- NULL for the platform's own upkeep (index builds, search text), which no organization sees.
    org_id       uuid REFERENCES organizations (id),
    kind         text NOT NULL,
    payload      jsonb NOT NULL DEFAULT '{}',
    -- One queued job per key: asking again joins the job waiting there.
    dedupe_key   text,
    state        text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
    run_at       timestamptz NOT NULL,
    attempt      integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL CHECK (max_attempts > 0),
    last_error   text,
    claimed_by   text,
    lease_until  timestamptz,
    done         bigint NOT NULL DEFAULT 0,
    total        bigint,
    result       jsonb,
    created_by   uuid,
    created_at   timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz,
    updated_at   timestamptz NOT NULL
);
-- What a claim reads: the due queued jobs and the running ones whose lease may have run out.
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state IN ('queued', 'running');
CREATE UNIQUE INDEX jobs_dedupe ON jobs (dedupe_key) WHERE state = 'queued';
CREATE INDEX jobs_org_created ON jobs (org_id, created_at, id);
