//! `/views`: saved list views — a named list of one entity (filters and sort as its list query,
//! and the columns shown), private to its owner or shared with the organization.

use super::Items;
use crate::error::{validate, ApiError};
use crate::extract::{created, with_etag, IfMatch, JsonBody};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::problem::Problem;
use domain::views::{ListView, ListViewInput, ListViewPatch};
use persistence::{db, views};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ViewsQuery {
    /// The collection whose views to list, e.g. `accounts`.
    entity: String,
}

/// List views of an entity
///
/// The caller's own views of the entity and the ones shared with the organization, by name.
#[utoipa::path(
    tag = "views",
    params(ViewsQuery),
    responses(
        (status = 200, description = "The views", body = Items<ListView>),
        (status = 400, description = "No `entity`, or another parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/views")]
async fn list_views(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ViewsQuery>,
) -> Result<web::Json<Items<ListView>>, ApiError> {
    auth.require(&query.entity, false)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(Items {
        data: views::list(&mut conn, &auth.scope, &query.entity).await?,
    }))
}

/// Save a view
///
/// `query` must be one the entity's list accepts (its filters, `sort`, `q`, `limit`; no
/// `cursor`) and `columns` its fields (`GET /metadata/{entity}`); each is a 422 otherwise.
#[utoipa::path(
    tag = "views",
    request_body = ListViewInput,
    responses(
        (status = 201, description = "Saved", body = ListView, headers(("Location" = String), ("ETag" = String))),
        (status = 409, description = "The caller has a view of this entity with this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/views")]
async fn create_view(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<ListViewInput>,
) -> Result<HttpResponse, ApiError> {
    validate(&body.value)?;
    auth.require(&body.value.entity, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let view = views::create(&mut conn, &auth.scope, body.value).await?;
    Ok(created(
        &view,
        view.version,
        &format!("/api/v1/views/{}", view.id),
    ))
}

/// Get a view
#[utoipa::path(
    tag = "views",
    responses(
        (status = 200, description = "The view", body = ListView, headers(("ETag" = String))),
        (status = 404, description = "No such view of the caller's or shared", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/views/{id}")]
async fn get_view(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    let view = views::get(&mut conn, &auth.scope, *id).await?;
    auth.require(&view.entity, false)?;
    Ok(with_etag(
        actix_web::http::StatusCode::OK,
        &view,
        view.version,
    ))
}

/// Update a view
///
/// Its owner (or an admin, for a shared view) renames it, changes its query, columns or sharing.
#[utoipa::path(
    tag = "views",
    params(("If-Match" = String, Header, description = "The ETag read; `*` overwrites")),
    request_body = ListViewPatch,
    responses(
        (status = 200, description = "The updated view", body = ListView, headers(("ETag" = String))),
        (status = 403, description = "A shared view of someone else's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such view of the caller's or shared", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/views/{id}")]
async fn update_view(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<ListViewPatch>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let patch = body.value;
    let view = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(views::update(c, scope, *id, if_match.0, patch).await?)
        })
        .await?;
    Ok(with_etag(
        actix_web::http::StatusCode::OK,
        &view,
        view.version,
    ))
}

/// Delete a view
#[utoipa::path(
    tag = "views",
    params(("If-Match" = String, Header, description = "The ETag read; `*` deletes whatever the version")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "A shared view of someone else's", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such view of the caller's or shared", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/views/{id}")]
async fn delete_view(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    conn.transaction::<_, ApiError, _>(async |c| {
        Ok(views::delete(c, scope, *id, if_match.0).await?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_views)
        .service(create_view)
        .service(get_view)
        .service(update_view)
        .service(delete_view);
}
