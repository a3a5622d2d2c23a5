//! `/pipelines`: the organization's sales processes and their stages.

use super::Items;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::pipeline::{Pipeline, PipelineInput, Stage};
use domain::problem::Problem;
use persistence::{db, pipelines};
use uuid::Uuid;

const MODULE: &str = "opportunities";

/// List pipelines
///
/// Every pipeline of the organization with its stages in order; the default first.
#[utoipa::path(
    tag = "pipelines",
    responses((status = 200, description = "The pipelines", body = Items<Pipeline>))
)]
#[get("/pipelines")]
async fn list_pipelines(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<web::Json<Items<Pipeline>>, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(Items {
        data: pipelines::list(&mut conn, auth.scope.org_id).await?,
    }))
}

/// Get a pipeline
#[utoipa::path(
    tag = "pipelines",
    responses(
        (status = 200, description = "The pipeline with its stages", body = Pipeline),
        (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pipelines/{id}")]
async fn get_pipeline(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<web::Json<Pipeline>, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        pipelines::get(&mut conn, auth.scope.org_id, *id).await?,
    ))
}

/// A pipeline's stages
///
/// In order, each with its probability (%) and kind (`open`, `won`, `lost`).
#[utoipa::path(
    tag = "pipelines",
    responses(
        (status = 200, description = "The stages in order", body = Items<Stage>),
        (status = 404, description = "No such pipeline", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/pipelines/{id}/stages")]
async fn pipeline_stages(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<web::Json<Items<Stage>>, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let pipeline = pipelines::get(&mut conn, auth.scope.org_id, *id).await?;
    Ok(web::Json(Items {
        data: pipeline.stages,
    }))
}

/// Create a pipeline (admin)
///
/// Stages in order; at least one open, one won and one lost stage. `is_default: true` makes it
/// the pipeline new opportunities go to.
#[utoipa::path(
    tag = "pipelines",
    request_body = PipelineInput,
    responses(
        (status = 201, description = "Created", body = Pipeline, headers(("Location" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A pipeline with this name exists", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/pipelines")]
async fn create_pipeline(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<PipelineInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    let mut input = body.value;
    input.normalize().map_err(ApiError::Validation)?;
    let mut conn = db::conn(&state.pool).await?;
    let org_id = auth.scope.org_id;
    let pipeline = conn
        .transaction::<_, ApiError, _>(async |c| Ok(pipelines::create(c, org_id, &input).await?))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/pipelines/{}", pipeline.id)))
        .json(pipeline))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_pipelines)
        .service(get_pipeline)
        .service(pipeline_stages)
        .service(create_pipeline);
}
