//! `/departments`: the organization's department tree (admins edit it).

use super::Items;
use crate::error::{validate, ApiError};
use crate::extract::{created, with_etag, IfMatch, JsonBody};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::auth::{Department, DepartmentCreate, DepartmentPatch};
use domain::problem::Problem;
use persistence::{db, departments};
use uuid::Uuid;

const MODULE: &str = "users";

/// List departments
///
/// The whole tree as a flat list (`parent_id` links it), oldest first.
#[utoipa::path(tag = "departments", responses((status = 200, description = "All departments", body = Items<Department>)))]
#[get("/departments")]
async fn list_departments(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<web::Json<Items<Department>>, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(Items {
        data: departments::list(&mut conn, auth.scope.org_id).await?,
    }))
}

/// Create a department (admin)
#[utoipa::path(
    tag = "departments",
    request_body = DepartmentCreate,
    responses(
        (status = 201, description = "Created", body = Department, headers(("Location" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/departments")]
async fn create_department(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<DepartmentCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    validate(&body.value)?;
    let mut conn = db::conn(&state.pool).await?;
    let dept = departments::create(&mut conn, auth.scope.org_id, &body.value).await?;
    state.principals.forget(auth.scope.org_id);
    Ok(created(
        &dept,
        dept.version,
        &format!("/api/v1/departments/{}", dept.id),
    ))
}

/// Update a department (admin)
///
/// Rename or move under another parent (not under itself or its own sub-departments).
#[utoipa::path(
    tag = "departments",
    params(("If-Match" = String, Header, description = "The ETag read; `*` overwrites")),
    request_body = DepartmentPatch,
    responses(
        (status = 200, description = "Updated", body = Department),
        (status = 404, description = "No such department", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields or a cycle", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/departments/{id}")]
async fn update_department(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<DepartmentPatch>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    validate(&body.value)?;
    let mut conn = db::conn(&state.pool).await?;
    let org = auth.scope.org_id;
    let patch = &body.value;
    let dept = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(departments::update(c, org, *id, if_match.0, patch).await?)
        })
        .await?;
    // Moving a department changes which users its managers' reach includes.
    state.principals.forget(org);
    Ok(with_etag(
        actix_web::http::StatusCode::OK,
        &dept,
        dept.version,
    ))
}

/// Delete a department (admin)
///
/// Only an empty department (no users, no sub-departments) can be deleted.
#[utoipa::path(
    tag = "departments",
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such department", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The department still has users or sub-departments", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/departments/{id}")]
async fn delete_department(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    let mut conn = db::conn(&state.pool).await?;
    let org = auth.scope.org_id;
    conn.transaction::<_, ApiError, _>(async |c| Ok(departments::delete(c, org, *id).await?))
        .await?;
    state.principals.forget(org);
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_departments)
        .service(create_department)
        .service(update_department)
        .service(delete_department);
}
