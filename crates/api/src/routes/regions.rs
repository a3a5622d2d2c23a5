//! `/regions`: China's province > city > district tree, the values of an account's `region`.

use super::Items;
use crate::error::ApiError;
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, web};
use domain::problem::Problem;
use domain::region::Region;
use persistence::{db, regions};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct RegionQuery {
    /// The children of this code (without `parent` and `q`: the provinces).
    parent: Option<String>,
    /// Regions whose Chinese or English name contains this text, provinces first (at most 50).
    q: Option<String>,
}

/// List regions
///
/// One level of the tree at a time, or a name search.
#[utoipa::path(
    tag = "regions",
    params(RegionQuery),
    responses(
        (status = 200, description = "The regions, by code", body = Items<Region>),
        (status = 400, description = "Both `parent` and `q`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/regions")]
async fn list_regions(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<RegionQuery>,
) -> Result<web::Json<Items<Region>>, ApiError> {
    auth.require("settings", false)?;
    let mut conn = db::conn(&state.pool).await?;
    let data = match (&query.parent, query.q.as_deref().map(str::trim)) {
        (Some(_), Some(_)) => {
            return Err(ApiError::BadRequest(
                "give `parent` or `q`, not both".into(),
            ))
        }
        (None, Some(q)) if !q.is_empty() => regions::find(&mut conn, q, 50).await?,
        (parent, _) => regions::children(&mut conn, parent.as_deref()).await?,
    };
    Ok(web::Json(Items { data }))
}

/// A region's path
///
/// The region and its ancestors, province first (e.g. 广东省 › 深圳市 › 南山区).
#[utoipa::path(
    tag = "regions",
    params(("code" = String, Path, example = "440305")),
    responses(
        (status = 200, description = "Province first", body = Items<Region>),
        (status = 404, description = "No such region", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/regions/{code}/path")]
async fn region_path(
    state: web::Data<AppState>,
    auth: Auth,
    code: web::Path<String>,
) -> Result<web::Json<Items<Region>>, ApiError> {
    auth.require("settings", false)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(Items {
        data: regions::path(&mut conn, &code).await?,
    }))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_regions).service(region_path);
}
