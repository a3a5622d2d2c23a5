//! `/jobs`: the organization's background jobs (admins).

use super::{ApiError, Call};
use domain::job::{Job, JobState};
use domain::list::Page;
use uuid::Uuid;

/// A page of jobs, newest first, in `state` when given, after `cursor`.
pub async fn list(state: Option<JobState>, cursor: Option<&str>) -> Result<Page<Job>, ApiError> {
    let mut call = Call::get("/jobs").param("limit", "50");
    if let Some(s) = state {
        call = call.param("state", s.as_str());
    }
    if let Some(c) = cursor {
        call = call.param("cursor", c);
    }
    call.send().await.map(|r| r.body)
}

/// Queues a dead job again.
pub async fn retry(id: Uuid) -> Result<Job, ApiError> {
    Call::post(&format!("/jobs/{id}/retry"))
        .send()
        .await
        .map(|r| r.body)
}
