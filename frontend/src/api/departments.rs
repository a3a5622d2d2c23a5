//! `/departments`: the organization's department tree, as a flat list.

use super::{ApiError, Call};
use domain::auth::Department;
use serde::Deserialize;

#[derive(Deserialize)]
struct Items {
    data: Vec<Department>,
}

/// Every department, oldest first (`parent_id` links the tree).
pub async fn list() -> Result<Vec<Department>, ApiError> {
    Call::get("/departments")
        .send::<Items>()
        .await
        .map(|r| r.body.data)
}
