//! `/accounts`: the customer archive's companies.

use super::{ForceParam, ListParams, RecordListParams};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{Force, IdempotencyKey, IfMatch, JsonBody, QueryPairs};
use crate::idempotency::{self, Created};
use crate::records::{self, ok_with_etag};
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::account::{Account, AccountInput, AccountPatch};
use domain::audit::HistoryEntry;
use domain::list::Page;
use domain::problem::Problem;
use persistence::{accounts, db};
use uuid::Uuid;

const MODULE: &str = "accounts";

/// List accounts
///
/// Filters: `name`, `credit_code`, `industry`, `employees`, `annual_revenue`, `currency`, `region`,
/// `phone`, `website`, `source`, `class`, `owner_id`, `tags`, `created_by`, `created_at`,
/// `updated_at`, `deleted_at`, `last_activity_at`, `neglected` (`true`: no activity within the
/// organization's `neglect_days`, see `/settings`), each as `field=value` or `field[op]=value` with
/// op one of `eq, ne, gt, gte, lt, lte, in, contains`. Sortable: `name, employees, annual_revenue,
/// created_at, updated_at, last_activity_at`. `deleted=true` lists the recycle bin.
#[utoipa::path(
    tag = "accounts",
    params(ListParams, RecordListParams, ("deleted" = Option<bool>, Query, description = "List the recycle bin")),
    responses(
        (status = 200, description = "A page of accounts the caller can see", body = Page<Account>),
        (status = 400, description = "Unknown filter, operator or sort field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts")]
async fn list_accounts(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    records::list::<Account>(&state, &auth, MODULE, &query, None).await
}

/// Create an account
///
/// Answers 409 with the candidates when an account with the same credit code or normalized name
/// exists (similar names are listed with them); repeat with `force=true` to create anyway.
#[utoipa::path(
    tag = "accounts",
    params(ForceParam, ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first result")),
    request_body = AccountInput,
    responses(
        (status = 201, description = "Created", body = Account, headers(("Location" = String), ("ETag" = String))),
        (status = 409, description = "Possible duplicate, with candidates (across the organization: id, name and owner only, also of records the caller cannot open)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts")]
async fn create_account(
    state: web::Data<AppState>,
    auth: Auth,
    force: Force,
    key: IdempotencyKey,
    body: JsonBody<AccountInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let mut input = body.value;
    let scope = &auth.scope;
    accounts::validate(&mut conn, scope, None, &mut input).await?;
    idempotency::create_once(&mut conn, scope, &key, &body.digest, async |c| {
        let account = accounts::create(c, scope, &input, force.0).await?;
        let location = format!("/api/v1/accounts/{}", account.id);
        Ok(Created::new(location, &account, Some(account.version)))
    })
    .await
}

/// Get an account
#[utoipa::path(
    tag = "accounts",
    responses(
        (status = 200, description = "The account", body = Account, headers(("ETag" = String))),
        (status = 404, description = "No such account visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/{id}")]
async fn get_account(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    records::get::<Account>(&state, &auth, MODULE, *id).await
}

/// Update an account
///
/// A partial update: absent fields stay, `null` clears. Requires `If-Match` with the version read.
#[utoipa::path(
    tag = "accounts",
    params(ForceParam, ("If-Match" = String, Header, description = "The ETag read, e.g. \"3\"; `*` overwrites")),
    request_body = AccountPatch,
    responses(
        (status = 200, description = "The updated account", body = Account, headers(("ETag" = String))),
        (status = 404, description = "No such account visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The new name or credit code duplicates another account", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/accounts/{id}")]
async fn update_account(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    force: Force,
    body: JsonBody<AccountPatch>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let patch = body.value;
    let account = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(accounts::update(c, scope, *id, if_match.0, patch, force.0).await?)
        })
        .await?;
    Ok(ok_with_etag(&account))
}

/// Delete an account (to the recycle bin)
#[utoipa::path(
    tag = "accounts",
    params(("If-Match" = String, Header, description = "The ETag read; `*` deletes whatever the version")),
    responses(
        (status = 204, description = "Moved to the recycle bin"),
        (status = 404, description = "No such account visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/accounts/{id}")]
async fn delete_account(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    records::delete::<Account>(&state, &auth, MODULE, *id, if_match).await
}

/// Restore an account from the recycle bin
#[utoipa::path(
    tag = "accounts",
    responses(
        (status = 200, description = "The restored account", body = Account, headers(("ETag" = String))),
        (status = 404, description = "No such deleted account visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is not in the recycle bin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/{id}/restore")]
async fn restore_account(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    records::restore::<Account>(&state, &auth, MODULE, *id).await
}

/// An account's history
///
/// Who changed what and when, newest first, with field-level changes. Filters: `action`, `actor_id`, `at`.
#[utoipa::path(
    tag = "accounts",
    params(ListParams),
    responses(
        (status = 200, description = "Audit events of the account", body = Page<HistoryEntry>),
        (status = 404, description = "No such account visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/{id}/history")]
async fn account_history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    records::history::<Account>(&state, &auth, MODULE, *id, &query).await
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_accounts)
        .service(create_account)
        .service(get_account)
        .service(update_account)
        .service(delete_account)
        .service(restore_account)
        .service(account_history);
}
