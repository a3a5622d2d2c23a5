//! Activities (calls, visits, notes, tasks…), a record's timeline, and my open tasks.

use super::records::{etag_of, Resource};
use super::{ApiError, Call, Reply};
use domain::activity::{Activity, ActivityInput, EntityType, TaskStatus};
use domain::list::Page;
use domain::timeline::TimelineItem;
use uuid::Uuid;

pub const PATH: &str = "/activities";
pub const ACTIVITIES: Resource<Activity> = Resource::new(PATH);
pub const MY_TASKS: &str = "/tasks/mine";

/// The collection of a record type (`account` → `/accounts`).
pub fn collection(entity: EntityType) -> String {
    domain::registry::entity(entity.as_str())
        .map(|e| format!("/{}", e.plural))
        .unwrap_or_default()
}

pub async fn log(input: &ActivityInput) -> Result<Reply<Activity>, ApiError> {
    ACTIVITIES.create(input, false).await
}

/// A page of a record's timeline, newest first.
pub async fn timeline(
    entity: EntityType,
    id: Uuid,
    cursor: Option<String>,
) -> Result<Page<TimelineItem>, ApiError> {
    let mut call = Call::get(&format!("{}/{id}/timeline", collection(entity))).param("limit", "20");
    if let Some(c) = cursor {
        call = call.param("cursor", c);
    }
    call.send().await.map(|r| r.body)
}

/// Marks a task done (or reopens it), `If-Match` its version.
pub async fn set_status(task: &Activity, status: TaskStatus) -> Result<Reply<Activity>, ApiError> {
    ACTIVITIES
        .update(
            task.id,
            &etag_of(task),
            &serde_json::json!({ "status": status.as_str() }),
            false,
        )
        .await
}
