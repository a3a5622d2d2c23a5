//! `/account-pools`: the customer pools (公海). Admins set them up; members list what is in them
//! and claim within the limits; managers assign; an owner releases an account into the pool.

use super::{ListParams, RecordListParams};
use crate::error::{validate, ApiError};
use crate::extract::{created, with_etag, IfMatch, JsonBody, QueryPairs};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::Utc;
use diesel_async::AsyncConnection;
use domain::account::Account;
use domain::list::Page;
use domain::pool::{
    AssignInput, ClaimInput, ClaimQuota, ClaimResult, Pool, PoolInput, PoolPatch, ReleaseInput,
};
use domain::problem::Problem;
use domain::role::Role;
use persistence::db;
use persistence::list::ListRequest;
use persistence::pools::{self, Taking};
use uuid::Uuid;

/// Pools hold accounts: an API key needs the accounts scopes.
const MODULE: &str = "accounts";

fn admin(auth: &Auth, write: bool) -> Result<(), ApiError> {
    auth.require(MODULE, write)?;
    auth.require_admin()
}

/// List customer pools
///
/// The pools the caller is a member of (the organization's, and those of the caller's
/// department and the departments above it); an admin lists every pool.
#[utoipa::path(
    tag = "account-pools",
    params(ListParams),
    responses((status = 200, description = "A page of pools", body = Page<Pool>))
)]
#[get("/account-pools")]
async fn list_pools(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<Pool>>, ApiError> {
    auth.require(MODULE, false)?;
    let req = ListRequest::parse(&pools::SPEC, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(pools::list(&mut conn, &auth.scope, &req).await?))
}

/// Add a customer pool
///
/// One pool per department (its members are that department's subtree, and it takes back their
/// accounts) and one for the organization (`department_id` null: everyone, and the owners no
/// department pool covers). `rules` say per account class when an owned account returns: after
/// `idle_days` without a follow-up activity, or `no_won_days` without a won deal, counted from
/// no earlier than the day its owner got it; a class without a rule never returns. No account
/// falls due sooner than `warn_days` after the rules take effect, so its owner is always warned.
#[utoipa::path(
    tag = "account-pools",
    request_body = PoolInput,
    responses(
        (status = 201, description = "Added", body = Pool, headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name, or the department's pool, is taken (`errors[].field`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/account-pools")]
async fn create_pool(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<PoolInput>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let input = body.value;
    validate(&input)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let pool = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(pools::create(c, scope, &input, Utc::now()).await?)
        })
        .await?;
    Ok(created(
        &pool,
        pool.version,
        &format!("/api/v1/account-pools/{}", pool.id),
    ))
}

/// Get a customer pool
#[utoipa::path(
    tag = "account-pools",
    responses(
        (status = 200, description = "The pool", body = Pool, headers(("ETag" = String))),
        (status = 404, description = "No such pool the caller is a member of", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/account-pools/{id}")]
async fn get_pool(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let pool = pools::get(&mut conn, &auth.scope, *id).await?;
    Ok(with_etag(StatusCode::OK, &pool, pool.version))
}

/// Change a customer pool
///
/// New rules take effect at once: every owned account's `recycle_at` is recomputed.
#[utoipa::path(
    tag = "account-pools",
    params(("If-Match" = String, Header, description = "The ETag read; `*` overwrites")),
    request_body = PoolPatch,
    responses(
        (status = 200, description = "The changed pool", body = Pool, headers(("ETag" = String))),
        (status = 404, description = "No such pool", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/account-pools/{id}")]
async fn update_pool(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<PoolPatch>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let patch = body.value;
    validate(&patch)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let pool = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(pools::update(c, scope, *id, if_match.0, &patch, Utc::now()).await?)
        })
        .await?;
    Ok(with_etag(StatusCode::OK, &pool, pool.version))
}

/// Remove a customer pool
///
/// Only an empty pool: assign what is in it first. Its owners' accounts then fall to the next
/// pool up their department chain, or to the organization's.
#[utoipa::path(
    tag = "account-pools",
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such pool", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Accounts are in the pool", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/account-pools/{id}")]
async fn delete_pool(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    conn.transaction::<_, ApiError, _>(async |c| Ok(pools::delete(c, scope, *id).await?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List the accounts in a pool
///
/// The accounts list (the same filters, sort, `fields` and `totals` as `GET /accounts`) of
/// the accounts waiting in the pool, for its members.
#[utoipa::path(
    tag = "account-pools",
    params(ListParams, RecordListParams),
    responses(
        (status = 200, description = "A page of accounts", body = Page<Account>),
        (status = 404, description = "No such pool the caller is a member of", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/account-pools/{id}/accounts")]
async fn pool_accounts(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let (scope, extra) = pools::accounts_scope(&mut conn, &auth.scope, *id).await?;
    crate::records::list_in::<Account>(&mut conn, &scope, &query, Some(extra)).await
}

/// The caller's claims against a pool's limits
#[utoipa::path(
    tag = "account-pools",
    responses(
        (status = 200, description = "Claims today and accounts held, with the limits", body = ClaimQuota),
        (status = 404, description = "No such pool the caller is a member of", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/account-pools/{id}/quota")]
async fn pool_quota(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<web::Json<ClaimQuota>, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let pool = pools::get(&mut conn, &auth.scope, *id).await?;
    Ok(web::Json(
        pools::quota(
            &mut conn,
            &auth.scope,
            &pool,
            auth.scope.user_id,
            Utc::now(),
        )
        .await?,
    ))
}

/// Claim accounts from a pool
///
/// The caller becomes their owner, all of them or none: 409 when one was claimed meanwhile,
/// when the claims would pass the pool's `daily_claims` or `max_held`, or when the caller owned
/// one of them until less than `reclaim_days` ago. Each account's history records the claim.
#[utoipa::path(
    tag = "account-pools",
    request_body = ClaimInput,
    responses(
        (status = 200, description = "Claimed", body = ClaimResult),
        (status = 404, description = "No such pool the caller is a member of", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Taken meanwhile, or past a limit (the message says which)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or an unknown account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/account-pools/{id}/claim")]
async fn claim(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: JsonBody<ClaimInput>,
) -> Result<web::Json<ClaimResult>, ApiError> {
    auth.require(MODULE, true)?;
    let input = body.value;
    validate(&input)?;
    take(&state, &auth, *id, &input.account_ids, Taking::Claim).await
}

/// Assign accounts from a pool
///
/// A manager (of the assignee) or an admin gives accounts to a member of the pool, all of them
/// or none. The pool's claim limits do not apply; the assignee is told.
#[utoipa::path(
    tag = "account-pools",
    request_body = AssignInput,
    responses(
        (status = 200, description = "Assigned", body = ClaimResult),
        (status = 403, description = "Not a manager or an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pool the caller is a member of", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An account is no longer in the pool", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, an unknown account, or an owner outside the caller's reach or the pool", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/account-pools/{id}/assign")]
async fn assign(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: JsonBody<AssignInput>,
) -> Result<web::Json<ClaimResult>, ApiError> {
    auth.require(MODULE, true)?;
    if !matches!(auth.scope.role, Role::Admin | Role::Manager) {
        return Err(ApiError::Forbidden(
            "only a manager or an admin assigns from a pool".into(),
        ));
    }
    let input = body.value;
    validate(&input)?;
    take(
        &state,
        &auth,
        *id,
        &input.account_ids,
        Taking::Assign(input.owner_id),
    )
    .await
}

async fn take(
    state: &AppState,
    auth: &Auth,
    pool: Uuid,
    ids: &[Uuid],
    taking: Taking,
) -> Result<web::Json<ClaimResult>, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let (account_ids, owner_id, quota) = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(pools::take(c, scope, pool, ids, taking, Utc::now()).await?)
        })
        .await?;
    Ok(web::Json(ClaimResult {
        account_ids,
        owner_id,
        quota,
    }))
}

/// Release an account to its pool
///
/// The account goes back to its owner's pool now, unowned: its owner letting the customer go,
/// or a manager taking it back. The owner may not claim it again for the pool's `reclaim_days`.
#[utoipa::path(
    tag = "account-pools",
    request_body = ReleaseInput,
    responses(
        (status = 200, description = "The account, in the pool", body = Account, headers(("ETag" = String))),
        (status = 404, description = "No such account visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "In a pool already, or no pool takes the owner's accounts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/{id}/release")]
async fn release(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: JsonBody<ReleaseInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let input = body.value;
    validate(&input)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let account = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(pools::release(c, scope, *id, input.reason.as_deref(), Utc::now()).await?)
        })
        .await?;
    Ok(with_etag(StatusCode::OK, &account, account.version))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_pools)
        .service(create_pool)
        .service(get_pool)
        .service(update_pool)
        .service(delete_pool)
        .service(pool_accounts)
        .service(pool_quota)
        .service(claim)
        .service(assign)
        .service(release);
}
