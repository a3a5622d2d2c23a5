//! `/regions`: China's province > city > district tree (read-only reference data).

use super::{encode, ApiError, Call};
use domain::region::Region;
use serde::Deserialize;

#[derive(Deserialize)]
struct Items {
    data: Vec<Region>,
}

/// The children of `parent`, by code; the provinces for `None`.
pub async fn children(parent: Option<String>) -> Result<Vec<Region>, ApiError> {
    let mut call = Call::get("/regions");
    if let Some(p) = parent {
        call = call.param("parent", p);
    }
    call.send::<Items>().await.map(|r| r.body.data)
}

/// The region and its ancestors, province first.
pub async fn path(code: String) -> Result<Vec<Region>, ApiError> {
    Call::get(&format!("/regions/{}/path", encode(&code)))
        .send::<Items>()
        .await
        .map(|r| r.body.data)
}
