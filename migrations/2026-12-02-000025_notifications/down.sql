DROP INDEX activities_open_due; DROP INDEX activities_open_reminders;
DROP TABLE notification_preferences; DROP TABLE notifications;
