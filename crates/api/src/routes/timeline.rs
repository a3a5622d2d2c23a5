//! `/{entity}/{id}/timeline`: a record's activities, stage changes and field changes, newest
//! first (an account's include its contacts' and opportunities').

use super::ListParams;
use crate::error::ApiError;
use crate::extract::QueryPairs;
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, web};
use domain::account::Account;
use domain::contact::Contact;
use domain::lead::Lead;
use domain::list::Page;
use domain::opportunity::Opportunity;
use domain::problem::Problem;
use domain::timeline::TimelineItem;
use persistence::list::ListRequest;
use persistence::records::Record;
use persistence::{db, timeline};
use uuid::Uuid;

/// The shared body: the record must be visible to the caller (404 otherwise); an API key's
/// timeline leaves out activities, contacts and opportunities its scopes do not read.
async fn timeline_of<R: Record>(
    state: &AppState,
    auth: &Auth,
    module: &str,
    id: Uuid,
    query: &QueryPairs,
) -> Result<web::Json<Page<TimelineItem>>, ApiError> {
    auth.require(module, false)?;
    let req = ListRequest::parse(&timeline::SPEC, &query.0)?;
    // An API key sees only the events of modules its scopes read.
    let reads = |module: &str| auth.may_read(module);
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        timeline::timeline::<R>(&mut conn, &auth.scope, id, &req, &reads).await?,
    ))
}

/// An account's timeline
///
/// The activities, stage changes and field changes of the account, its contacts and its
/// opportunities, newest first (`at`, then id), keyset-paged. Only what the caller can see:
/// activities, contacts and opportunities of other owners are left out. Filters: `kind`
/// (activity, stage_change, field_change), `entity`, `entity_id`, `actor_id`, `at`.
#[utoipa::path(
    tag = "timeline",
    params(ListParams),
    responses(
        (status = 200, description = "A page of the account's timeline", body = Page<TimelineItem>),
        (status = 400, description = "Unknown filter, operator or sort field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/{id}/timeline")]
async fn account_timeline(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<TimelineItem>>, ApiError> {
    timeline_of::<Account>(&state, &auth, "accounts", *id, &query).await
}

/// A contact's timeline
///
/// The contact's activities and field changes the caller can see, newest first, keyset-paged;
/// the same filters as an account's timeline.
#[utoipa::path(
    tag = "timeline",
    params(ListParams),
    responses(
        (status = 200, description = "A page of the contact's timeline", body = Page<TimelineItem>),
        (status = 400, description = "Unknown filter, operator or sort field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contacts/{id}/timeline")]
async fn contact_timeline(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<TimelineItem>>, ApiError> {
    timeline_of::<Contact>(&state, &auth, "contacts", *id, &query).await
}

/// A lead's timeline
///
/// The lead's activities and field changes (its conversion included) the caller can see, newest
/// first, keyset-paged; the same filters as an account's timeline.
#[utoipa::path(
    tag = "timeline",
    params(ListParams),
    responses(
        (status = 200, description = "A page of the lead's timeline", body = Page<TimelineItem>),
        (status = 400, description = "Unknown filter, operator or sort field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such lead visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/leads/{id}/timeline")]
async fn lead_timeline(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<TimelineItem>>, ApiError> {
    timeline_of::<Lead>(&state, &auth, "leads", *id, &query).await
}

/// An opportunity's timeline
///
/// The opportunity's activities, stage changes (with the stages' names) and field changes the
/// caller can see, newest first, keyset-paged; the same filters as an account's timeline.
#[utoipa::path(
    tag = "timeline",
    params(ListParams),
    responses(
        (status = 200, description = "A page of the opportunity's timeline", body = Page<TimelineItem>),
        (status = 400, description = "Unknown filter, operator or sort field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such opportunity visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/opportunities/{id}/timeline")]
async fn opportunity_timeline(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<TimelineItem>>, ApiError> {
    timeline_of::<Opportunity>(&state, &auth, "opportunities", *id, &query).await
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(account_timeline)
        .service(contact_timeline)
        .service(lead_timeline)
        .service(opportunity_timeline);
}
