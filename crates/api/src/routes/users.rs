//! `/me` and `/users`: who I am, and the organization's people (admins manage them).

use super::{DryRunParam, ListParams};
use crate::auth::hash_password_bounded;
use crate::error::{validate, ApiError};
use crate::extract::{etag, DryRun, IdempotencyKey, IfMatch, JsonBody, QueryPairs};
use crate::idempotency::{self, Created};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::audit::HistoryEntry;
use domain::auth::{Me, User, UserCreate, UserPatch};
use domain::list::Page;
use domain::problem::Problem;
use domain::transfer::{TransferKind, TransferRequest, TransferResult};
use persistence::list::ListRequest;
use persistence::{audit, db, organizations, transfer, users};
use uuid::Uuid;

const MODULE: &str = "users";

/// Who am I
#[utoipa::path(tag = "users", responses((status = 200, description = "The caller, their organization and scopes", body = Me)))]
#[get("/me")]
async fn me(state: web::Data<AppState>, auth: Auth) -> Result<web::Json<Me>, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    let organization = organizations::get(&mut conn, auth.scope.org_id).await?;
    let scopes = auth.scopes();
    Ok(web::Json(Me {
        user: auth.user,
        organization,
        scopes,
    }))
}

/// List users
///
/// The organization's user directory. Filters: `name`, `email`, `role`, `department_id`, `active`. Sortable: `name`.
#[utoipa::path(tag = "users", params(ListParams), responses((status = 200, description = "A page of users", body = Page<User>)))]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<User>>, ApiError> {
    auth.require(MODULE, false)?;
    let req = ListRequest::parse(&users::SPEC, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(users::list(&mut conn, &auth.scope, &req).await?))
}

/// Create a user (admin)
#[utoipa::path(
    tag = "users",
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first result")),
    request_body = UserCreate,
    responses(
        (status = 201, description = "Created", body = User, headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
async fn create_user(
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: JsonBody<UserCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    validate(&body.value)?;
    // Hashed before a connection is taken: no pooled connection waits on the hashing pool.
    let hash = hash_password_bounded(&state, &body.value.password).await?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let input = &body.value;
    let created = idempotency::create_once(&mut conn, scope, &key, &body.digest, async |c| {
        let user = users::create(c, scope.org_id, Some(scope.user_id), input, &hash).await?;
        let location = format!("/api/v1/users/{}", user.id);
        Ok(Created::new(location, &user, Some(user.version)))
    })
    .await;
    // A manager's reach includes every user of their department subtree.
    state.principals.forget(scope.org_id);
    created
}

/// Get a user
#[utoipa::path(
    tag = "users",
    responses(
        (status = 200, description = "The user", body = User, headers(("ETag" = String))),
        (status = 404, description = "No such user in the organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
async fn get_user(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let user = users::get(&mut conn, auth.scope.org_id, *id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(user.version)))
        .json(user))
}

/// Update a user (admin)
///
/// Change name, role, department or password, or deactivate (`active: false` ends their sessions
/// and revokes their API keys). The last active admin cannot be demoted or deactivated (409).
#[utoipa::path(
    tag = "users",
    params(("If-Match" = String, Header, description = "The ETag read; `*` overwrites")),
    request_body = UserPatch,
    responses(
        (status = 200, description = "The updated user", body = User, headers(("ETag" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in the organization", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Would leave the organization without an active admin", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
async fn update_user(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<UserPatch>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    validate(&body.value)?;
    let hash = match body.value.password.as_deref() {
        Some(password) => Some(hash_password_bounded(&state, password).await?),
        None => None,
    };
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let patch = &body.value;
    let user = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(users::update(c, scope, *id, if_match.0, patch, hash).await?)
        })
        .await?;
    state.principals.forget(scope.org_id);
    Ok(HttpResponse::Ok()
        .insert_header(("ETag", etag(user.version)))
        .json(user))
}

/// Transfer a user's records (admin)
///
/// Moves every record (or the chosen `kinds`) the user owns — live and in the recycle bin — to
/// `to_user_id`, in one transaction, audited as one `transfer` event in the user's history.
/// `dry_run=true` answers the counts that would move, computed by the same statements and
/// rolled back.
#[utoipa::path(
    tag = "users",
    params(DryRunParam),
    request_body = TransferRequest,
    responses(
        (status = 200, description = "What moved (or would move)", body = TransferResult),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new owner is not an active user, or is the same user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/transfer")]
async fn transfer_records(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    dry_run: DryRun,
    body: JsonBody<TransferRequest>,
) -> Result<web::Json<TransferResult>, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    let req = body.value;
    let kinds = req.kinds.unwrap_or_else(TransferKind::all);
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let mut result = db::commit_unless_dry_run(&mut conn, dry_run.0, async |c| {
        transfer::transfer(c, scope, *id, req.to_user_id, &kinds).await
    })
    .await?;
    result.dry_run = dry_run.0;
    Ok(web::Json(result))
}

/// A user's history (admin)
///
/// Changes to the user and the transfers of their records, newest first.
#[utoipa::path(
    tag = "users",
    params(ListParams),
    responses(
        (status = 200, description = "Audit events of the user", body = Page<HistoryEntry>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}/history")]
async fn user_history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    auth.require(MODULE, false)?;
    auth.require_admin()?;
    let req = ListRequest::parse(&audit::HISTORY, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    users::get(&mut conn, auth.scope.org_id, *id).await?;
    Ok(web::Json(
        audit::history(&mut conn, &auth.scope, "user", *id, &req).await?,
    ))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(transfer_records)
        .service(user_history)
        .service(me)
        .service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user);
}
