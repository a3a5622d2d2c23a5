DROP TRIGGER notifications_chat_messages ON notifications;
DROP FUNCTION kehu_chat_messages();
DROP TABLE chat_posts;
DROP TABLE chat_messages;
DROP TABLE chat_bots;
