//! `/custom-fields` (the organization's own fields of an entity, changed by admins) and
//! `/metadata/{plural}` (an entity's description with those fields and how its list filters),
//! which forms, record pages and lists read.

use super::{ApiError, Call, Reply};
use domain::custom::{CustomField, CustomFieldInput};
use domain::metadata::EntityMeta;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
struct Items {
    data: Vec<CustomField>,
}

/// The fields of `plural` (`accounts`), active and deactivated, in form order.
pub async fn fields(plural: &str) -> Result<Vec<CustomField>, ApiError> {
    Call::get("/custom-fields")
        .param("entity", plural)
        .send::<Items>()
        .await
        .map(|r| r.body.data)
}

/// One field with its ETag (its version, for `If-Match`).
pub async fn get(id: Uuid) -> Result<Reply<CustomField>, ApiError> {
    Call::get(&format!("/custom-fields/{id}")).send().await
}

pub async fn create(input: &CustomFieldInput) -> Result<Reply<CustomField>, ApiError> {
    Call::post("/custom-fields").json(input).send().await
}

/// A partial change (a JSON object of the changed parts; `null` clears), with `If-Match`.
pub async fn update(
    id: Uuid,
    etag: &str,
    patch: &serde_json::Value,
) -> Result<Reply<CustomField>, ApiError> {
    Call::patch(&format!("/custom-fields/{id}"))
        .if_match(etag)
        .json(patch)
        .send()
        .await
}

/// `GET /metadata/{plural}`.
pub async fn meta(plural: &str) -> Result<EntityMeta, ApiError> {
    Call::get(&format!("/metadata/{plural}"))
        .send()
        .await
        .map(|r| r.body)
}
