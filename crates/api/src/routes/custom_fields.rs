//! `/custom-fields`: the fields an organization's admins add to an entity without code. Every
//! member reads them (forms, lists and integrations are built from them); admins add and change
//! them, and deactivate rather than delete, so stored values keep their meaning.

use super::Items;
use crate::error::ApiError;
use crate::extract::{created, with_etag, IfMatch, JsonBody};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::custom::{CustomField, CustomFieldInput, CustomFieldPatch};
use domain::problem::Problem;
use persistence::{custom_field_writes, custom_fields, db};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

const MODULE: &str = "settings";

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct FieldsQuery {
    /// Only this collection's fields, e.g. `accounts`.
    entity: Option<String>,
}

/// List custom fields
///
/// The organization's custom fields, active and deactivated, by entity and then form order.
#[utoipa::path(
    tag = "custom-fields",
    params(FieldsQuery),
    responses(
        (status = 200, description = "The fields", body = Items<CustomField>),
        (status = 400, description = "An unknown parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/custom-fields")]
async fn list_fields(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<FieldsQuery>,
) -> Result<web::Json<Items<CustomField>>, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(Items {
        data: custom_fields::list(&mut conn, auth.scope.org_id, query.entity.as_deref()).await?,
    }))
}

/// Add a custom field (admin)
///
/// The field is usable at once: records take its values in `custom.<key>` (checked on every
/// write: a 422 names `custom.<key>`) and the metadata API describes it. No table is altered. A
/// filterable (or unique) field gets an index of its own, built in the background: `index` is
/// `building` until it is `ready`; lists filter and sort on it meanwhile, only slower.
#[utoipa::path(
    tag = "custom-fields",
    request_body = CustomFieldInput,
    responses(
        (status = 201, description = "Added", body = CustomField, headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The entity already has a field with this key, or as many fields as it may have", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/custom-fields")]
async fn create_field(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<CustomFieldInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let input = body.value;
    let field = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(custom_field_writes::create(c, scope, input).await?)
        })
        .await?;
    if field.filterable {
        crate::maintenance::start(&state.jobs, &state.pool);
    }
    Ok(created(
        &field,
        field.version,
        &format!("/api/v1/custom-fields/{}", field.id),
    ))
}

/// Get a custom field
#[utoipa::path(
    tag = "custom-fields",
    responses(
        (status = 200, description = "The field", body = CustomField, headers(("ETag" = String))),
        (status = 404, description = "No such field in the caller's organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/custom-fields/{id}")]
async fn get_field(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    let field = custom_fields::get(&mut conn, auth.scope.org_id, *id).await?;
    Ok(with_etag(
        actix_web::http::StatusCode::OK,
        &field,
        field.version,
    ))
}

/// Change a custom field (admin)
///
/// Labels, help, rules, options (stored keys may be deactivated, not removed), section and
/// position, and whether it is required, unique, filterable, searchable and active. The entity,
/// key, type and lookup target stay. Making a field unique is a 409 while two live records share
/// a value; a deactivated field keeps its values, refuses changes to them and is no longer
/// required.
#[utoipa::path(
    tag = "custom-fields",
    params(("If-Match" = String, Header, description = "The ETag read; `*` overwrites")),
    request_body = CustomFieldPatch,
    responses(
        (status = 200, description = "The changed field", body = CustomField, headers(("ETag" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such field in the caller's organization", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Two records share a value of a field being made unique", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/custom-fields/{id}")]
async fn update_field(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<CustomFieldPatch>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let patch = body.value;
    let field = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(custom_field_writes::update(c, scope, *id, if_match.0, patch).await?)
        })
        .await?;
    // Whatever changed, the upkeep finds what (if anything) is left to do.
    crate::maintenance::start(&state.jobs, &state.pool);
    Ok(with_etag(
        actix_web::http::StatusCode::OK,
        &field,
        field.version,
    ))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_fields)
        .service(create_field)
        .service(get_field)
        .service(update_field);
}
