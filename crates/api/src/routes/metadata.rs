//! `/metadata`: the registry's description of every entity and how its list filters and sorts,
//! for integrations and the web app to discover rather than hard-code.

use super::Items;
use crate::error::ApiError;
use crate::extract::NoQuery;
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, web};
use domain::metadata::EntityMeta;
use domain::problem::Problem;
use persistence::{custom_fields, db, stores};

/// Describe every entity
///
/// Each registered entity: its names in zh-CN and en, whether records are owned, its duplicate
/// keys, the features it takes part in, the fields its list filters (with their operators) and
/// sorts on, and the caller's organization's custom fields.
#[utoipa::path(
    tag = "metadata",
    responses(
        (status = 200, description = "Every entity, in the product's order", body = Items<EntityMeta>),
        (status = 400, description = "A query parameter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metadata")]
async fn list_entities(
    state: web::Data<AppState>,
    auth: Auth,
    _query: NoQuery,
) -> Result<web::Json<Items<EntityMeta>>, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    let mut custom = custom_fields::list(&mut conn, auth.scope.org_id, None).await?;
    let data = stores::STORES
        .iter()
        .map(|store| {
            let (own, rest) = custom
                .drain(..)
                .partition(|f| f.entity == store.entity.plural);
            custom = rest;
            stores::describe(store, own)
        })
        .collect();
    Ok(web::Json(Items { data }))
}

/// Describe one entity
#[utoipa::path(
    tag = "metadata",
    params(("plural" = String, Path, description = "The collection, e.g. `accounts`")),
    responses(
        (status = 200, description = "The entity", body = EntityMeta),
        (status = 404, description = "No such entity", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metadata/{plural}")]
async fn get_entity(
    state: web::Data<AppState>,
    auth: Auth,
    plural: web::Path<String>,
    _query: NoQuery,
) -> Result<web::Json<EntityMeta>, ApiError> {
    let entity = domain::registry::collection(&plural).ok_or(ApiError::NotFound)?;
    let store = stores::of(entity).ok_or(ApiError::NotFound)?;
    let mut conn = db::conn(&state.pool).await?;
    let custom = custom_fields::list(&mut conn, auth.scope.org_id, Some(entity.plural)).await?;
    Ok(web::Json(stores::describe(store, custom)))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_entities).service(get_entity);
}
