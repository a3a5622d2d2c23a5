-- Notices by e-mail: each notice is queued for its recipient in the notice's own transaction,
-- unless they turned `email` off for its kind; the outbox worker of a process with SMTP set up
-- (`KEHU_SMTP_URL`) sends them, retrying a failed send, and gives a message up after a day.
CREATE TABLE mail_messages (
    id              uuid PRIMARY KEY,
    notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_at         timestamptz NOT NULL,
    error           text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX mail_messages_pending ON mail_messages (next_at) WHERE state = 'pending';
CREATE INDEX mail_messages_created ON mail_messages (created_at);

CREATE FUNCTION kehu_mail_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mail_messages (id, notification_id, user_id, next_at, created_at)
    SELECT gen_random_uuid(), NEW.id, NEW.user_id, NEW.created_at, NEW.created_at
    WHERE NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.user_id = NEW.user_id
                      AND p.kind = NEW.kind AND p.channel = 'email' AND NOT p.enabled);
    RETURN NULL;
END
$$;
CREATE TRIGGER notifications_mail_messages AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION kehu_mail_messages();
