//! `/picklists`: the organization's value lists behind industry, source and the like.

use super::{ApiError, Call, Reply};
use domain::picklist::{Picklist, PicklistInput};
use serde::Deserialize;

#[derive(Deserialize)]
struct Items {
    data: Vec<Picklist>,
}

pub async fn all() -> Result<Vec<Picklist>, ApiError> {
    Call::get("/picklists")
        .send::<Items>()
        .await
        .map(|r| r.body.data)
}

/// One picklist with its ETag (its version, for `If-Match` on [`put`]).
pub async fn get(name: &str) -> Result<Reply<Picklist>, ApiError> {
    Call::get(&format!("/picklists/{name}")).send().await
}

/// Replaces the whole list, in display order (admins).
pub async fn put(
    name: &str,
    etag: &str,
    input: &PicklistInput,
) -> Result<Reply<Picklist>, ApiError> {
    Call::put(&format!("/picklists/{name}"))
        .if_match(etag)
        .json(input)
        .send()
        .await
}
