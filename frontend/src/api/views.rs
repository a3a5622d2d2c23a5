//! Saved list views (`/views`).

use super::{ApiError, Call};
use domain::views::{ListView, ListViewInput};
use serde::Deserialize;

#[derive(Deserialize)]
struct Views {
    data: Vec<ListView>,
}

/// The caller's views of `entity` (`accounts`) and the shared ones, by name.
pub async fn of(entity: &str) -> Result<Vec<ListView>, ApiError> {
    Call::get("/views")
        .param("entity", entity)
        .send::<Views>()
        .await
        .map(|r| r.body.data)
}

pub async fn save(input: &ListViewInput) -> Result<ListView, ApiError> {
    Call::post("/views")
        .json(input)
        .send()
        .await
        .map(|r| r.body)
}
