//! `/leads`: prospects, worked until converted into an account, a lead and a deal.

use super::{ForceParam, ListParams, RecordListParams};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{Force, IdempotencyKey, IfMatch, JsonBody, QueryPairs};
use crate::idempotency::{self, Created};
use crate::records::{self, ok_with_etag};
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use diesel_async::AsyncConnection;
use domain::audit::HistoryEntry;
use domain::lead::{ConvertRequest, ConvertResult, Lead, LeadInput, LeadPatch};
use domain::list::Page;
use domain::problem::Problem;
use persistence::{db, leads};
use uuid::Uuid;

const MODULE: &str = "leads";

/// List leads
///
/// Filters: `name`, `company`, `title`, `phone`, `email`, `region`, `industry`, `source`, `status`,
/// `disqualify_reason`, `account_id`, `owner_id`, `tags`, `created_by`, `converted_at`,
/// `created_at`, `updated_at`, `deleted_at`. Sortable: `name, company, created_at, updated_at`.
/// `deleted=true` lists the recycle bin.
#[utoipa::path(
    tag = "leads",
    params(ListParams, RecordListParams, ("deleted" = Option<bool>, Query, description = "List the recycle bin")),
    responses(
        (status = 200, description = "A page of leads the caller can see", body = Page<Lead>),
        (status = 400, description = "Unknown filter, operator or sort field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/leads")]
async fn list_leads(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    records::list::<Lead>(&state, &auth, MODULE, &query, None).await
}

/// Create a lead
///
/// The phone is stored in E.164 and the email in lower case. Answers 409 with the candidates when
/// a lead or lead has the phone or email, or an account has the company's name; repeat with
/// `force=true` to create anyway.
#[utoipa::path(
    tag = "leads",
    params(ForceParam, ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first result")),
    request_body = LeadInput,
    responses(
        (status = 201, description = "Created", body = Lead, headers(("Location" = String), ("ETag" = String))),
        (status = 409, description = "Possible duplicate, with candidates (across the organization: id, name and owner only, also of records the caller cannot open)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/leads")]
async fn create_lead(
    state: web::Data<AppState>,
    auth: Auth,
    force: Force,
    key: IdempotencyKey,
    body: JsonBody<LeadInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let mut input = body.value;
    let scope = &auth.scope;
    leads::validate(&mut conn, scope, None, &mut input).await?;
    idempotency::create_once(&mut conn, scope, &key, &body.digest, async |c| {
        let lead = leads::create(c, scope, &input, force.0).await?;
        let location = format!("/api/v1/leads/{}", lead.id);
        Ok(Created::new(location, &lead, Some(lead.version)))
    })
    .await
}

/// Get a lead
#[utoipa::path(
    tag = "leads",
    responses(
        (status = 200, description = "The lead", body = Lead, headers(("ETag" = String))),
        (status = 404, description = "No such lead visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/leads/{id}")]
async fn get_lead(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    records::get::<Lead>(&state, &auth, MODULE, *id).await
}

/// Update a lead
///
/// A partial update: absent fields stay, `null` clears. Requires `If-Match` with the version read.
#[utoipa::path(
    tag = "leads",
    params(ForceParam, ("If-Match" = String, Header, description = "The ETag read, e.g. \"3\"; `*` overwrites")),
    request_body = LeadPatch,
    responses(
        (status = 200, description = "The updated lead", body = Lead, headers(("ETag" = String))),
        (status = 404, description = "No such lead visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Converted (read-only), or the new phone, email or company duplicates another record", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/leads/{id}")]
async fn update_lead(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    force: Force,
    body: JsonBody<LeadPatch>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let patch = body.value;
    let lead = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(leads::update(c, scope, *id, if_match.0, patch, force.0).await?)
        })
        .await?;
    Ok(ok_with_etag(&lead))
}

/// Delete a lead (to the recycle bin)
#[utoipa::path(
    tag = "leads",
    params(("If-Match" = String, Header, description = "The ETag read; `*` deletes whatever the version")),
    responses(
        (status = 204, description = "Moved to the recycle bin"),
        (status = 404, description = "No such lead visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/leads/{id}")]
async fn delete_lead(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    records::delete::<Lead>(&state, &auth, MODULE, *id, if_match).await
}

/// Restore a lead from the recycle bin
#[utoipa::path(
    tag = "leads",
    responses(
        (status = 200, description = "The restored lead", body = Lead, headers(("ETag" = String))),
        (status = 404, description = "No such deleted lead visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The lead is not in the recycle bin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/leads/{id}/restore")]
async fn restore_lead(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    records::restore::<Lead>(&state, &auth, MODULE, *id).await
}

/// A lead's history
///
/// Who changed what and when, newest first, with field-level changes.
#[utoipa::path(
    tag = "leads",
    params(ListParams),
    responses(
        (status = 200, description = "Audit events of the lead", body = Page<HistoryEntry>),
        (status = 404, description = "No such lead visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/leads/{id}/history")]
async fn lead_history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    records::history::<Lead>(&state, &auth, MODULE, *id, &query).await
}

/// Convert a lead
///
/// In one transaction: links `account_id` or creates an account (named after the company),
/// links `contact_id` or creates a contact at it, optionally opens an opportunity, and marks the
/// lead `converted` with links to all three. Any failure leaves nothing behind. A lead converts
/// once (409 after). New accounts and contacts are checked for duplicates (409 with candidates,
/// to link one instead) unless `force=true`. Field errors name the part: `account.name`,
/// `opportunity.stage_id`.
#[utoipa::path(
    tag = "leads",
    params(ForceParam, ("If-Match" = String, Header, description = "The ETag read, e.g. \"3\"; `*` converts whatever the version")),
    request_body = ConvertRequest,
    responses(
        (status = 200, description = "What the lead became", body = ConvertResult),
        (status = 404, description = "No such lead visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already converted, disqualified, or the new account or contact duplicates one", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/leads/{id}/convert")]
async fn convert_lead(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    force: Force,
    body: JsonBody<ConvertRequest>,
) -> Result<web::Json<ConvertResult>, ApiError> {
    auth.require(MODULE, true)?;
    for module in ["accounts", "contacts"] {
        auth.require(module, true)?;
    }
    if body.value.opportunity.is_some() {
        auth.require("opportunities", true)?;
    }
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let req = body.value;
    let result = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(leads::convert(c, scope, *id, if_match.0, &req, force.0).await?)
        })
        .await?;
    Ok(web::Json(result))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_leads)
        .service(create_lead)
        .service(get_lead)
        .service(update_lead)
        .service(delete_lead)
        .service(restore_lead)
        .service(lead_history)
        .service(convert_lead);
}
