//! Names of referenced records (the account of each contact in a list), one request per list.

use super::{ApiError, Call};
use domain::list::Page;
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Deserialize)]
struct Named {
    id: Uuid,
    name: String,
}

/// `id → name` of the records of `path` (e.g. `/accounts`) among `ids` that the caller can see.
pub async fn names(path: &str, ids: Vec<Uuid>) -> Result<HashMap<Uuid, String>, ApiError> {
    let mut ids = ids;
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list = ids
        .iter()
        .map(Uuid::to_string)
        .collect::<Vec<_>>()
        .join(",");
    Call::get(path)
        .param("id[in]", list)
        .param("limit", "200")
        .send::<Page<Named>>()
        .await
        .map(|r| r.body.data.into_iter().map(|n| (n.id, n.name)).collect())
}
