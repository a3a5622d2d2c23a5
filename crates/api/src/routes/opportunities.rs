//! `/opportunities`: deals in a pipeline, their stage moves, and the forecast.

use super::{ListParams, RecordListParams};
use crate::error::ApiError;
use crate::extract::{IfMatch, JsonBody, QueryPairs};
use crate::principals::Auth;
use crate::records::{self, ok_with_etag};
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{Datelike, NaiveDate, Utc};
use diesel_async::AsyncConnection;
use domain::account::Account;
use domain::list::Page;
use domain::opportunity::{
    Forecast, MoveRequest, Opportunity, OpportunityInput, OpportunityPatch, StageChange,
};
use domain::problem::{FieldError, Problem};
use persistence::db;
use persistence::forecast::ForecastBy;
use persistence::list::ListRequest;
use persistence::opportunities;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

const MODULE: &str = "opportunities";

crate::record_routes! {
    record: Opportunity, input: OpportunityInput, patch: OpportunityPatch, tag: "opportunities",
    module: "opportunities",
    paths: ("/opportunities", "/opportunities/{id}", "/opportunities/{id}/restore",
            "/opportunities/{id}/history"),
    handlers: (list_opportunities, create_opportunity, get_opportunity, update_opportunity,
               delete_opportunity, restore_opportunity, opportunity_history),
    list_doc: ("List opportunities", "Filters: `name`, `account_id`, `contact_id`, `amount`, `currency`, \
        `pipeline_id`, `stage_id`, `status` (open, won, lost), `probability`, `source`, `campaign_id`, \
        `competitors`, `closed_at`, `owner_id`, `tags`, `created_by`, `created_at`, `updated_at`, \
        `deleted_at` and filterable custom fields. Sortable: `name, amount, probability, created_at, \
        updated_at`. `deleted=true` lists the recycle bin."),
    create_doc: ("Create an opportunity", "Starts in the given open stage, or the first stage of the \
        given (or default) pipeline. The probability comes from the stage unless given."),
    update_doc: ("Update an opportunity", "A partial update: absent fields stay, `null` clears \
        (`probability: null` returns to the stage's). The stage changes through `/move`. Requires \
        `If-Match` with the version read."),
    force: [],
}

/// An account's opportunities
#[utoipa::path(
    tag = "opportunities",
    params(ListParams, RecordListParams),
    responses(
        (status = 200, description = "A page of the account's opportunities", body = Page<Opportunity>),
        (status = 404, description = "No such account visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/{id}/opportunities")]
async fn account_opportunities(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    auth.require("accounts", false)?;
    let mut conn = db::conn(&state.pool).await?;
    persistence::records::get::<Account>(&mut conn, &auth.scope, *id).await?;
    drop(conn);
    records::list::<Opportunity>(
        &state,
        &auth,
        MODULE,
        &query,
        Some(opportunities::at_account(*id)),
    )
    .await
}

/// Move an opportunity to another stage
///
/// Records who moved it, when, from which stage to which. Won and lost stages need a `reason`;
/// moving a closed deal to an open stage reopens it. Requires `If-Match`.
#[utoipa::path(
    tag = "opportunities",
    params(("If-Match" = String, Header, description = "The ETag read; `*` moves whatever the version")),
    request_body = MoveRequest,
    responses(
        (status = 200, description = "The moved opportunity", body = Opportunity, headers(("ETag" = String))),
        (status = 404, description = "No such opportunity visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already in that stage", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such stage, or a reason is missing", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/opportunities/{id}/move")]
async fn move_opportunity(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<MoveRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    crate::error::validate(&body.value)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let req = body.value;
    let opportunity = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(opportunities::move_stage(c, scope, *id, if_match.0, &req).await?)
        })
        .await?;
    Ok(ok_with_etag(&opportunity))
}

/// An opportunity's stage history
///
/// Every stage change, newest first: who, when, from, to and why.
#[utoipa::path(
    tag = "opportunities",
    params(ListParams),
    responses(
        (status = 200, description = "Stage changes", body = Page<StageChange>),
        (status = 404, description = "No such opportunity visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/opportunities/{id}/stage-history")]
async fn stage_history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<StageChange>>, ApiError> {
    auth.require(MODULE, false)?;
    let req = ListRequest::parse(&opportunities::STAGE_HISTORY, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        opportunities::stage_history(&mut conn, &auth.scope, *id, &req).await?,
    ))
}

/// `GET /forecast` parameters; any other is a 400 naming it.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ForecastParams {
    /// First day of the period (default: the first day of this quarter).
    from: Option<NaiveDate>,
    /// Last day of the period (default: the last day of this quarter).
    to: Option<NaiveDate>,
    /// `owner` (default) or `department`.
    by: Option<String>,
}

/// Sales forecast
///
/// For the deals the caller can see, per owner or department and currency: weighted pipeline
/// (Σ amount × probability of open deals closing in the period), commit (open deals at ≥ 75%),
/// best case (all open deals closing in the period) and closed-won (won in the period).
#[utoipa::path(
    tag = "opportunities",
    params(ForecastParams),
    responses(
        (status = 200, description = "The forecast", body = Forecast),
        (status = 400, description = "Unknown or malformed query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid period or grouping", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/forecast")]
async fn forecast(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<ForecastParams>,
) -> Result<web::Json<Forecast>, ApiError> {
    auth.require(MODULE, false)?;
    let today = Utc::now().date_naive();
    let quarter_start =
        NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1).unwrap_or(today);
    let next_quarter = quarter_start
        .checked_add_months(chrono::Months::new(3))
        .unwrap_or(today);
    let from = query.from.unwrap_or(quarter_start);
    let to = query
        .to
        .unwrap_or_else(|| next_quarter.pred_opt().unwrap_or(today));
    let mut errors = Vec::new();
    if to < from {
        errors.push(FieldError::new("to", "range", "must not be before `from`"));
    }
    if (to - from).num_days() > 366 * 5 {
        errors.push(FieldError::new(
            "to",
            "range",
            "the period is at most five years",
        ));
    }
    let by = match query.by.as_deref().unwrap_or("owner") {
        "owner" => ForecastBy::Owner,
        "department" => ForecastBy::Department,
        _ => {
            errors.push(FieldError::new("by", "enum", "owner or department"));
            ForecastBy::Owner
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut conn = db::conn(&state.pool).await?;
    let data = persistence::forecast::forecast(&mut conn, &auth.scope, from, to, by).await?;
    let by = if by == ForecastBy::Owner {
        "owner"
    } else {
        "department"
    }
    .to_string();
    Ok(web::Json(Forecast { from, to, by, data }))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    record_services(cfg);
    cfg.service(account_opportunities)
        .service(move_opportunity)
        .service(stage_history)
        .service(forecast);
}
