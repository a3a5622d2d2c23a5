//! `/picklists`: the organization's value lists behind industry, source and the like.

use super::{ApiError, Call};
use domain::picklist::Picklist;
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
