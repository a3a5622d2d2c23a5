//! `/picklists`: the organization's value lists (industry, source, lost reason, …).

use super::Items;
use crate::error::ApiError;
use crate::extract::{etag, IfMatch, JsonBody};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, put, web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::picklist::{Picklist, PicklistInput};
use domain::problem::Problem;
use persistence::{db, picklists};

const MODULE: &str = "settings";

fn ok(list: &Picklist) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("ETag", etag(list.version)))
        .json(list)
}

/// List picklists
///
/// Every picklist with its values in display order, the organization's own or the built-in ones.
#[utoipa::path(
    tag = "picklists",
    responses((status = 200, description = "The picklists", body = Items<Picklist>))
)]
#[get("/picklists")]
async fn list_picklists(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<web::Json<Items<Picklist>>, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(Items {
        data: picklists::list(&mut conn, auth.scope.org_id).await?,
    }))
}

/// Get a picklist
///
/// Names: `industry`, `source`, `lost_reason`, `disqualify_reason`.
#[utoipa::path(
    tag = "picklists",
    params(("name" = String, Path, example = "source")),
    responses(
        (status = 200, description = "The picklist", body = Picklist, headers(("ETag" = String))),
        (status = 404, description = "No such picklist", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/picklists/{name}")]
async fn get_picklist(
    state: web::Data<AppState>,
    auth: Auth,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(ok(
        &picklists::get(&mut conn, auth.scope.org_id, &name).await?
    ))
}

/// Replace a picklist (admin)
///
/// The whole list in display order. Keys already in the list must stay (set `active: false` to
/// retire one: stored records keep their label, new writes refuse it). `If-Match` is the version
/// read (`"0"` while the built-in values are in use).
#[utoipa::path(
    tag = "picklists",
    params(
        ("name" = String, Path, example = "source"),
        ("If-Match" = String, Header, description = "The ETag read, e.g. \"0\"; `*` overwrites"),
    ),
    request_body = PicklistInput,
    responses(
        (status = 200, description = "The stored picklist", body = Picklist, headers(("ETag" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such picklist", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/picklists/{name}")]
async fn put_picklist(
    state: web::Data<AppState>,
    auth: Auth,
    name: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<PicklistInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let input = body.value;
    let list = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(picklists::put(c, scope, &name, if_match.0, input).await?)
        })
        .await?;
    Ok(ok(&list))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_picklists)
        .service(get_picklist)
        .service(put_picklist);
}
