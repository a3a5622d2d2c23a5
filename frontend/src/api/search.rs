//! Global search across entities.

use super::{ApiError, Call};
use domain::search::SearchResults;

pub async fn search(q: String) -> Result<SearchResults, ApiError> {
    Call::get("/search")
        .param("q", q)
        .param("limit", "50")
        .send()
        .await
        .map(|r| r.body)
}
