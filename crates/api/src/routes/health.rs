//! Liveness and readiness.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, web};
use domain::problem::Problem;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Status {
    #[schema(example = "ok")]
    status: &'static str,
}

/// Liveness: the process answers
#[utoipa::path(tag = "system", security(()), responses((status = 200, description = "Alive", body = Status)))]
#[get("/health")]
async fn health() -> web::Json<Status> {
    web::Json(Status { status: "ok" })
}

/// Readiness: the database answers
#[utoipa::path(
    tag = "system",
    security(()),
    responses(
        (status = 200, description = "Ready", body = Status),
        (status = 503, description = "The database is not reachable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ready")]
async fn ready(state: web::Data<AppState>) -> Result<web::Json<Status>, ApiError> {
    if persistence::db::ping(&state.ready_pool).await {
        Ok(web::Json(Status { status: "ready" }))
    } else {
        Err(ApiError::Unavailable("readiness check failed".into()))
    }
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(health).service(ready);
}
