DROP TRIGGER notifications_mail_messages ON notifications;
DROP FUNCTION kehu_mail_messages();
DROP TABLE mail_messages;
DELETE FROM notification_preferences WHERE channel = 'email';
