//! `/jobs`: the organization's background jobs, for admins — their state and progress, the dead
//! ones with their last error, and a retry of a dead one. (The platform's own upkeep is not an
//! organization's job and is not listed.)

use super::ListParams;
use crate::error::ApiError;
use crate::extract::QueryPairs;
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, post, web};
use domain::job::Job;
use domain::list::Page;
use domain::problem::Problem;
use persistence::db;
use persistence::jobs;
use persistence::list::ListRequest;
use uuid::Uuid;

/// List jobs
///
/// Newest first. Filters: `state` (`queued`, `running`, `done`, `dead`), `kind`, `created_by`,
/// `created_at`, `run_at`, `updated_at`. Sortable: `created_at, run_at, updated_at`. Admins only.
#[utoipa::path(
    tag = "jobs",
    params(ListParams),
    responses(
        (status = 200, description = "A page of jobs", body = Page<Job>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/jobs")]
async fn list_jobs(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<Job>>, ApiError> {
    auth.require_admin()?;
    let req = ListRequest::parse(&jobs::SPEC, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(jobs::list(&mut conn, &auth.scope, &req).await?))
}

/// Get a job
///
/// Its state, progress (`done` of `total`, `rate` per second) and last error. Admins only.
#[utoipa::path(
    tag = "jobs",
    responses(
        (status = 200, description = "The job", body = Job),
        (status = 404, description = "No such job in the organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/jobs/{id}")]
async fn get_job(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<web::Json<Job>, ApiError> {
    auth.require_admin()?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(jobs::get(&mut conn, &auth.scope, *id).await?))
}

/// Retry a dead job
///
/// Queues it again now, its attempts counted afresh. A job in any other state is a 409.
#[utoipa::path(
    tag = "jobs",
    responses(
        (status = 200, description = "Queued again", body = Job),
        (status = 404, description = "No such job in the organization", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job is not dead", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/jobs/{id}/retry")]
async fn retry_job(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<web::Json<Job>, ApiError> {
    auth.require_admin()?;
    let mut conn = db::conn(&state.pool).await?;
    let job = jobs::retry(&mut conn, &auth.scope, *id, chrono::Utc::now()).await?;
    state.jobs.wake();
    Ok(web::Json(job))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_jobs).service(get_job).service(retry_job);
}
