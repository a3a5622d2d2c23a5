//! Saved list views (`/views`): a named list of one entity — its filters and sort as a list
//! query, and the columns shown — private to its owner or shared with the organization.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListView {
    pub id: Uuid,
    /// The collection listed, e.g. `accounts`.
    pub entity: String,
    pub name: String,
    /// The list query without paging, as `GET /{entity}` takes it, e.g.
    /// `class=key&sort=-annual_revenue`.
    pub query: String,
    /// The fields shown, in order.
    pub columns: Vec<String>,
    /// Seen by the whole organization (changed only by its owner or an admin).
    pub shared: bool,
    pub owner_id: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /views`, and what a PATCH is applied to.
#[domain_macros::patchable(
    ListViewPatch,
    from = ListView,
    path = "/views/{id}",
    note = "The entity does not change."
)]
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ListViewInput {
    #[cfg_attr(feature = "openapi", schema(example = "accounts"))]
    #[patch(skip)]
    pub entity: String,
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "重点客户"))]
    pub name: String,
    #[serde(default)]
    #[validate(length(max = 2000))]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "class=key&sort=-annual_revenue")
    )]
    pub query: String,
    #[serde(default)]
    #[validate(length(max = 50))]
    pub columns: Vec<String>,
    #[serde(default)]
    pub shared: bool,
}
