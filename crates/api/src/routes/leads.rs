//! `/leads`: prospects, worked until converted into an account, a lead and a deal.

use super::ForceParam;
use crate::error::ApiError;
use crate::extract::{Force, IfMatch, JsonBody};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web};
use diesel_async::AsyncConnection;
use domain::lead::{ConvertRequest, ConvertResult, Lead, LeadInput, LeadPatch};
use domain::problem::Problem;
use persistence::{db, leads};
use uuid::Uuid;

const MODULE: &str = "leads";

crate::record_routes! {
    record: Lead, input: LeadInput, patch: LeadPatch, tag: "leads", module: "leads",
    paths: ("/leads", "/leads/{id}", "/leads/{id}/restore", "/leads/{id}/history"),
    handlers: (list_leads, create_lead, get_lead, update_lead, delete_lead, restore_lead, lead_history),
    list_doc: ("List leads", "Filters: `name`, `company`, `title`, `phone`, `email`, `region`, `industry`, `source`, `status`, `disqualify_reason`, `account_id`, `owner_id`, `tags`, `created_by`, `converted_at`, `created_at`, `updated_at`, `deleted_at`. Sortable: `name, company, created_at, updated_at`. `deleted=true` lists the recycle bin. Phones and e-mails are checked for duplicates (409 with candidates; repeat with `force=true` to write anyway)."),
    create_doc: ("Create a lead", "The phone is stored in E.164 and the email in lower case. Answers 409 with the candidates when a lead has the phone or email, or an account has the company's name; repeat with `force=true` to create anyway."),
    update_doc: ("Update a lead", "A partial update: absent fields stay, `null` clears. Requires `If-Match` with the version read. A changed phone, email or company is checked for duplicates as on create."),
    force: [crate::routes::ForceParam],
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
    record_services(cfg);
    cfg.service(convert_lead);
}
