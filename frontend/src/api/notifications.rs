//! `/notifications` (each user's own inbox: the bell's count, the list, marking read) and
//! `/notification-preferences` (which kinds reach the user on which channel).

use super::{ApiError, Call};
use domain::list::Page;
use domain::notification::{Notification, NotificationPreference, UnreadCount};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A page of the caller's notifications, newest first: only the unread ones when `unread`.
pub async fn list(
    unread: bool,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<Notification>, ApiError> {
    let mut call = Call::get("/notifications")
        .param("unread", unread.to_string())
        .param("limit", limit.to_string());
    if let Some(c) = cursor {
        call = call.param("cursor", c);
    }
    call.send().await.map(|r| r.body)
}

/// What the bell shows.
pub async fn unread_count() -> Result<i64, ApiError> {
    Call::get("/notifications/unread-count")
        .send::<UnreadCount>()
        .await
        .map(|r| r.body.unread)
}

/// Marks one read; the answer is the notification, read.
pub async fn mark_read(id: Uuid) -> Result<Notification, ApiError> {
    Call::post(&format!("/notifications/{id}/read"))
        .send()
        .await
        .map(|r| r.body)
}

#[derive(Deserialize)]
struct Marked {
    marked: i64,
}

/// Marks every unread one read; returns how many were unread.
pub async fn mark_all_read() -> Result<i64, ApiError> {
    Call::post("/notifications/read-all")
        .send::<Marked>()
        .await
        .map(|r| r.body.marked)
}

#[derive(Serialize, Deserialize)]
struct Preferences {
    data: Vec<NotificationPreference>,
}

/// Every kind on every channel, with whether it reaches the caller.
pub async fn preferences() -> Result<Vec<NotificationPreference>, ApiError> {
    Call::get("/notification-preferences")
        .send::<Preferences>()
        .await
        .map(|r| r.body.data)
}

/// Sets the kinds and channels named (the others stay); the answer is all of them.
pub async fn set_preferences(
    changed: Vec<NotificationPreference>,
) -> Result<Vec<NotificationPreference>, ApiError> {
    Call::put("/notification-preferences")
        .json(&Preferences { data: changed })
        .send::<Preferences>()
        .await
        .map(|r| r.body.data)
}
