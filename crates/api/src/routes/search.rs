//! `/search`: one box for every record the caller can see.

use crate::error::ApiError;
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, web};
use domain::problem::Problem;
use domain::search::SearchResults;
use persistence::db;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct SearchQuery {
    /// Chinese substrings (丰泽), Latin text, credit codes, phone digits; Chinese names also by
    /// their pinyin and initials (`zhangwei` and `zw` find 张伟, `szfz` 深圳市丰泽…).
    q: String,
    /// At most this many hits, 1–50 (default 20).
    limit: Option<i64>,
}

/// Global search
///
/// Exact name matches rank first, then prefixes, then substrings.
#[utoipa::path(
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, description = "Matching records the caller can see", body = SearchResults),
        (status = 400, description = "Missing or bad parameters", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/search")]
async fn search(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<SearchQuery>,
) -> Result<web::Json<SearchResults>, ApiError> {
    auth.require("search", false)?;
    let limit = query.limit.unwrap_or(20);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::BadRequest("`limit` must be from 1 to 50".into()));
    }
    if query.q.trim().is_empty() {
        return Err(ApiError::BadRequest("`q` must not be empty".into()));
    }
    let mut conn = db::conn(&state.pool).await?;
    let data = persistence::search::global(&mut conn, &auth.scope, &query.q, limit).await?;
    Ok(web::Json(SearchResults { data }))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(search);
}
