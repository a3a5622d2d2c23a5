//! `/approval-processes` (admins set them up) and `/approvals`: submitting a change for approval,
//! the inbox of what waits for the caller, one approval with its tasks and trail, and decisions.

use super::ListParams;
use crate::error::{validate, ApiError};
use crate::extract::{created, with_etag, IfMatch, JsonBody, QueryPairs};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::Utc;
use diesel_async::AsyncConnection;
use domain::approval::{
    Approval, ApprovalProcess, ApprovalProcessInput, ApprovalProcessPatch, DecideInput, SubmitInput,
};
use domain::list::Page;
use domain::problem::Problem;
use persistence::approvals;
use persistence::db;
use persistence::list::ListRequest;
use uuid::Uuid;

fn admin(auth: &Auth, write: bool) -> Result<(), ApiError> {
    auth.require("settings", write)?;
    auth.require_admin()
}

/// List approval processes
#[utoipa::path(
    tag = "approvals",
    params(ListParams),
    responses(
        (status = 200, description = "A page of processes (filters: `entity`, `enabled`)", body = Page<ApprovalProcess>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/approval-processes")]
async fn list_processes(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<ApprovalProcess>>, ApiError> {
    admin(&auth, false)?;
    let req = ListRequest::parse(&approvals::PROCESSES, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        approvals::list_processes(&mut conn, &auth.scope, &req).await?,
    ))
}

/// Add an approval process
///
/// From then on, a write of a record the process covers (`conditions`) that moves one of the
/// `guards` fields to a guarded value — or, once there, changes one of `fields` — is refused
/// (409) unless it is the change an approval of the process grants. Steps decide in order:
/// `all` (会签), `any` (或签) or `sequential` (依次); approvers are `users`, a `role`, or the
/// `department_head` (the managers of the record owner's department, or the nearest above).
#[utoipa::path(
    tag = "approvals",
    request_body = ApprovalProcessInput,
    responses(
        (status = 201, description = "Added", body = ApprovalProcess, headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/approval-processes")]
async fn create_process(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<ApprovalProcessInput>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let input = body.value;
    validate(&input)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let p = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(approvals::create_process(c, scope, &input, Utc::now()).await?)
        })
        .await?;
    Ok(created(
        &p,
        p.version,
        &format!("/api/v1/approval-processes/{}", p.id),
    ))
}

/// Get an approval process
#[utoipa::path(
    tag = "approvals",
    responses(
        (status = 200, description = "The process", body = ApprovalProcess, headers(("ETag" = String))),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/approval-processes/{id}")]
async fn get_process(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let p = approvals::get_process(&mut conn, auth.scope.org_id, *id).await?;
    Ok(with_etag(StatusCode::OK, &p, p.version))
}

/// Change an approval process
///
/// Its name, steps, copied users, or on/off; approvals already open keep their steps.
#[utoipa::path(
    tag = "approvals",
    params(("If-Match" = String, Header, description = "The ETag read; `*` overwrites")),
    request_body = ApprovalProcessPatch,
    responses(
        (status = 200, description = "The changed process", body = ApprovalProcess, headers(("ETag" = String))),
        (status = 404, description = "No such process", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/approval-processes/{id}")]
async fn update_process(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<ApprovalProcessPatch>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let patch = body.value;
    validate(&patch)?;
    let mut conn = db::conn(&state.pool).await?;
    let p = approvals::update_process(&mut conn, &auth.scope, *id, if_match.0, &patch, Utc::now())
        .await?;
    Ok(with_etag(StatusCode::OK, &p, p.version))
}

/// `?mine=true`: only what waits for the caller's decision (the inbox).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct MineParam {
    mine: Option<bool>,
}

/// List approvals
///
/// The approvals the caller submitted, approves or is copied on (an admin: all), newest first;
/// filters `state`, `entity`, `entity_id`, `process_id`, `submitted_by`.
#[utoipa::path(
    tag = "approvals",
    params(MineParam, ListParams),
    responses((status = 200, description = "A page of approvals (without tasks and trail)", body = Page<Approval>))
)]
#[get("/approvals")]
async fn list_approvals(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<Approval>>, ApiError> {
    let mine = query.0.iter().any(|(k, v)| k == "mine" && v == "true");
    let rest: Vec<(String, String)> = query
        .0
        .iter()
        .filter(|(k, _)| k != "mine")
        .cloned()
        .collect();
    let req = ListRequest::parse(&approvals::APPROVALS, &rest)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        approvals::list(&mut conn, &auth.scope, &req, mine).await?,
    ))
}

/// Submit a change for approval
///
/// `proposed` is the change, as a PATCH of the record would write it (a deal's `stage_id`, with
/// `reason`, is a stage move); it may touch only the process's `fields`. When the last step
/// approves, Kehu makes the change as the submitter. One approval per record is open at a time.
#[utoipa::path(
    tag = "approvals",
    request_body = SubmitInput,
    responses(
        (status = 201, description = "Submitted: the approval with its first tasks", body = Approval, headers(("Location" = String), ("ETag" = String))),
        (status = 409, description = "An approval of the record is open, or a step has no approver", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields: the process, the record, a field the process does not approve", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/approvals")]
async fn submit(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<SubmitInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.value;
    validate(&input)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let process = approvals::get_process(&mut conn, scope.org_id, input.process_id)
        .await
        .map_err(|e| e.or_invalid("process_id", "no such approval process"))?;
    if let Some(e) = domain::registry::entity(&process.entity) {
        auth.require(e.plural, true)?;
    }
    let a = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(approvals::submit(c, scope, &input, Utc::now()).await?)
        })
        .await?;
    Ok(created(
        &a,
        a.version,
        &format!("/api/v1/approvals/{}", a.id),
    ))
}

/// Get an approval, with its tasks and trail
#[utoipa::path(
    tag = "approvals",
    responses(
        (status = 200, description = "The approval", body = Approval, headers(("ETag" = String))),
        (status = 404, description = "No such approval the caller takes part in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/approvals/{id}")]
async fn get_approval(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    let a = approvals::get(&mut conn, &auth.scope, *id).await?;
    Ok(with_etag(StatusCode::OK, &a, a.version))
}

/// Decide on an approval
///
/// `approve`, `reject`, `return` (退回, to the submitter), `delegate` (转交 one's task to
/// `user_id`), `add_signer` (加签 `user_id` to this step), `comment`, or — the submitter —
/// `cancel`. Only an approver whose decision the current step waits for decides; concurrent
/// decisions are taken one at a time.
#[utoipa::path(
    tag = "approvals",
    request_body = DecideInput,
    responses(
        (status = 200, description = "The approval after the decision", body = Approval, headers(("ETag" = String))),
        (status = 403, description = "It does not wait for the caller's decision", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such approval the caller takes part in", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already, or the granted change was refused", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/approvals/{id}/decide")]
async fn decide(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: JsonBody<DecideInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.value;
    validate(&input)?;
    if !auth.user.role.can_write() {
        return Err(ApiError::Forbidden(
            "your role can read but not decide".into(),
        ));
    }
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let a = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(approvals::decide(c, scope, *id, &input, Utc::now()).await?)
        })
        .await?;
    Ok(with_etag(StatusCode::OK, &a, a.version))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_processes)
        .service(create_process)
        .service(get_process)
        .service(update_process)
        .service(list_approvals)
        .service(submit)
        .service(get_approval)
        .service(decide);
}
