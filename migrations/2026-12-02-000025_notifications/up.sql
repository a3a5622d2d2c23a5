-- In-app notifications: what Kehu tells a user (a task's reminder, an overdue task, neglected
-- accounts, records transferred to them, a webhook endpoint turned off). A producer that runs
-- again (a scheduled check, a retried job) names each notice by `dedupe_key`, and a user gets
-- each key once.
CREATE TABLE notifications (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text NOT NULL,
    -- What it is about, when it is about one record (its page is linked).
    entity      text,
    entity_id   uuid,
    -- What the text is made of (a task's subject, a count, who did it).
    params      jsonb NOT NULL DEFAULT '{}',
    dedupe_key  text NOT NULL,
    read_at     timestamptz,
    created_at  timestamptz NOT NULL,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notifications_inbox ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- What a user turned off, per kind and channel (everything is on until turned off).
CREATE TABLE notification_preferences (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text NOT NULL,
    channel text NOT NULL,
    enabled boolean NOT NULL,
    PRIMARY KEY (user_id, kind, channel)
);

-- What the minutely check reads across organizations: open tasks by reminder and by due time.
CREATE INDEX activities_open_reminders ON activities (reminder_at)
    WHERE kind = 'task' AND status = 'open' AND deleted_at IS NULL AND reminder_at IS NOT NULL;
CREATE INDEX activities_open_due ON activities (due_at)
    WHERE kind = 'task' AND status = 'open' AND deleted_at IS NULL;
