-- Team-chat bots (WeCom 企业微信, DingTalk 钉钉, Feishu 飞书): an organization's group chats
-- that get its members' notices of the kinds chosen. Each notice is queued for each bot in the
-- notice's own transaction; a minutely job posts them within the platform's rate limit,
-- merging what does not fit into a digest: nothing is dropped.
CREATE TABLE chat_bots (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    platform    text NOT NULL CHECK (platform IN ('wecom', 'dingtalk', 'feishu')),
    name        text NOT NULL,
    url         text NOT NULL,
    -- The signing secret (DingTalk 加签, Feishu 签名校验); WeCom bots have none.
    secret      text,
    kinds       text[] NOT NULL CHECK (cardinality(kinds) > 0),
    enabled     boolean NOT NULL DEFAULT true,
    version     integer NOT NULL DEFAULT 1,
    created_by  uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX chat_bots_org ON chat_bots (org_id, created_at, id);

CREATE TABLE chat_messages (
    id              uuid PRIMARY KEY,
    bot_id          uuid NOT NULL REFERENCES chat_bots (id) ON DELETE CASCADE,
    notification_id uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    state           text NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    -- The post that carried it: its own, or a digest shared with others.
    post_id         uuid,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX chat_messages_pending ON chat_messages (bot_id, created_at, id) WHERE state = 'pending';

-- Each post made to a bot: what the rate limit counts, and the log.
CREATE TABLE chat_posts (
    id        uuid PRIMARY KEY,
    bot_id    uuid NOT NULL REFERENCES chat_bots (id) ON DELETE CASCADE,
    at        timestamptz NOT NULL,
    messages  integer NOT NULL,
    digest    boolean NOT NULL,
    status    integer,
    error     text
);
CREATE INDEX chat_posts_bot ON chat_posts (bot_id, at DESC);

CREATE FUNCTION kehu_chat_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO chat_messages (id, bot_id, notification_id, state, created_at)
    SELECT gen_random_uuid(), b.id, NEW.id, 'pending', NEW.created_at
    FROM chat_bots b
    WHERE b.org_id = NEW.org_id AND b.enabled AND NEW.kind = ANY (b.kinds)
      AND NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.user_id = NEW.user_id
                      AND p.kind = NEW.kind AND p.channel = 'team_chat' AND NOT p.enabled);
    RETURN NULL;
END
$$;
CREATE TRIGGER notifications_chat_messages AFTER INSERT ON notifications
    FOR EACH ROW EXECUTE FUNCTION kehu_chat_messages();
