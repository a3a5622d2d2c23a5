//! Global search results.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One record found by `GET /search`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// The kind of record: `account` (more kinds plug in as they are built).
    #[cfg_attr(feature = "openapi", schema(example = "account"))]
    pub entity: String,
    pub id: Uuid,
    /// The record's display name.
    pub title: String,
    /// A second line: credit code, phone or city.
    pub subtitle: Option<String>,
    /// 0 = exact match, 1 = prefix match, 2 = substring match.
    pub rank: i32,
}

/// `GET /search` response.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub data: Vec<SearchHit>,
}
