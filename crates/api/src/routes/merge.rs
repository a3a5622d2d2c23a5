//! Duplicates and merge: find groups of records that are one customer, and fold them into one.

use super::DryRunParam;
use crate::error::ApiError;
use crate::extract::{DryRun, JsonBody};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, post, web};
use domain::merge::{DuplicateGroup, MergeRequest, MergeResult};
use domain::problem::Problem;
use persistence::{db, merge};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct DuplicatesQuery {
    /// `accounts` (same credit code or normalized name), `contacts` or `leads` (a shared phone
    /// or email).
    entity: String,
    /// At most this many groups, 1–200 (default 50).
    limit: Option<i64>,
}

/// `{"data": [...]}` of duplicate groups.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct DuplicateGroups {
    data: Vec<DuplicateGroup>,
}

/// Duplicate groups
///
/// Records the caller can see that share a duplicate key, the largest groups first, each with
/// its reason and the shared value.
#[utoipa::path(
    tag = "duplicates",
    params(DuplicatesQuery),
    responses(
        (status = 200, description = "Groups of likely duplicates", body = DuplicateGroups),
        (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown entity", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/duplicates")]
async fn duplicates(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<DuplicatesQuery>,
) -> Result<web::Json<DuplicateGroups>, ApiError> {
    auth.require(&query.entity, false)?;
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::BadRequest("`limit` must be from 1 to 200".into()));
    }
    let mut conn = db::conn(&state.pool).await?;
    let data = merge::groups(&mut conn, &auth.scope, &query.entity, limit).await?;
    Ok(web::Json(DuplicateGroups { data }))
}

/// Merge accounts
///
/// Keeps `into`; moves the contacts, opportunities and leads of the `from` accounts to it (each
/// move audited on the moved record), moves their history into its history, fills its blank
/// fields from them (tags combine), and puts them in the recycle bin — in one transaction.
/// `dry_run=true` answers the same result, computed by the same statements and rolled back.
#[utoipa::path(
    tag = "duplicates",
    params(DryRunParam),
    request_body = MergeRequest,
    responses(
        (status = 200, description = "The merge (or its preview)", body = MergeResult),
        (status = 404, description = "An account is not visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/merge")]
async fn merge_accounts(
    state: web::Data<AppState>,
    auth: Auth,
    dry_run: DryRun,
    body: JsonBody<MergeRequest>,
) -> Result<web::Json<MergeResult>, ApiError> {
    run(
        &state,
        &auth,
        &domain::registry::ACCOUNT,
        dry_run,
        body.value,
        merge::accounts,
    )
    .await
}

/// Merge contacts
///
/// Keeps `into`; combines phones, emails and tags, fills blank fields, moves the opportunities
/// and leads of the `from` contacts and their history to it, and puts them in the recycle bin —
/// in one transaction. `dry_run=true` previews exactly that and changes nothing.
#[utoipa::path(
    tag = "duplicates",
    params(DryRunParam),
    request_body = MergeRequest,
    responses(
        (status = 200, description = "The merge (or its preview)", body = MergeResult),
        (status = 404, description = "A contact is not visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid request", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contacts/merge")]
async fn merge_contacts(
    state: web::Data<AppState>,
    auth: Auth,
    dry_run: DryRun,
    body: JsonBody<MergeRequest>,
) -> Result<web::Json<MergeResult>, ApiError> {
    run(
        &state,
        &auth,
        &domain::registry::CONTACT,
        dry_run,
        body.value,
        merge::contacts,
    )
    .await
}

/// Runs a merge of `entity`'s records (committed, or rolled back for a dry run) after checking
/// write access to every kind of record it changes: those and the ones referencing them.
async fn run<F>(
    state: &AppState,
    auth: &Auth,
    entity: &'static domain::registry::Entity,
    dry_run: DryRun,
    req: MergeRequest,
    merge: F,
) -> Result<web::Json<MergeResult>, ApiError>
where
    F: AsyncFnOnce(
        &mut persistence::AsyncPgConnection,
        &persistence::Scope,
        &MergeRequest,
    ) -> Result<MergeResult, persistence::StoreError>,
{
    auth.require(entity.plural, true)?;
    for (other, _) in domain::merge::references_to(entity.name) {
        auth.require(other.plural, true)?;
    }
    let mut conn = db::conn(&state.pool).await?;
    let mut result = db::commit_unless_dry_run(&mut conn, dry_run.0, async |c| {
        merge(c, &auth.scope, &req).await
    })
    .await?;
    result.dry_run = dry_run.0;
    Ok(web::Json(result))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(duplicates)
        .service(merge_accounts)
        .service(merge_contacts);
}
