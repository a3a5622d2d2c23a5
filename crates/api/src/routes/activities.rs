//! `/activities` (活动): calls, visits, meetings, emails, notes and tasks on a record's timeline;
//! an account's, a contact's, a lead's and an opportunity's activities; the caller's open tasks.

use super::{ListParams, RecordListParams};
use crate::error::ApiError;
use crate::extract::{IdempotencyKey, IfMatch, JsonBody, QueryPairs};
use crate::idempotency::{self, Created};
use crate::principals::Auth;
use crate::records::{self, ok_with_etag};
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::Utc;
use diesel_async::AsyncConnection;
use domain::account::Account;
use domain::activity::{Activity, ActivityInput, ActivityPatch, EntityType};
use domain::audit::HistoryEntry;
use domain::contact::Contact;
use domain::lead::Lead;
use domain::list::Page;
use domain::opportunity::Opportunity;
use domain::problem::Problem;
use persistence::activities::{self, ActivityRow};
use persistence::db;
use persistence::list::{self, ListRequest};
use uuid::Uuid;

const MODULE: &str = "activities";

/// List activities
///
/// Filters: `kind`, `subject`, `entity`, `entity_id`, `account_id`, `occurred_at`, `due_at`,
/// `status`, `reminder_at`, `overdue`, `owner_id`, `tags`, `created_by`, `created_at`,
/// `updated_at`, `deleted_at`, each as `field=value` or `field[op]=value`. Sortable: `occurred_at`
/// (default, newest first), `due_at`, `created_at`, `updated_at`. `q` searches subject and body.
/// `deleted=true` lists the recycle bin.
#[utoipa::path(
    tag = "activities",
    params(ListParams, RecordListParams, ("deleted" = Option<bool>, Query, description = "List the recycle bin")),
    responses(
        (status = 200, description = "A page of activities the caller can see", body = Page<Activity>),
        (status = 400, description = "Unknown filter, operator or sort field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/activities")]
async fn list_activities(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    records::list::<Activity>(&state, &auth, MODULE, &query, None).await
}

/// An account's activities
///
/// The activities on the account, its contacts and its opportunities that the caller can see;
/// the same filters and sorts as `/activities`.
#[utoipa::path(
    tag = "activities",
    params(ListParams, RecordListParams),
    responses(
        (status = 200, description = "A page of the account's activities", body = Page<Activity>),
        (status = 404, description = "No such account visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/accounts/{id}/activities")]
async fn account_activities(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    auth.require("accounts", false)?;
    let mut conn = db::conn(&state.pool).await?;
    persistence::records::get::<Account>(&mut conn, &auth.scope, *id).await?;
    drop(conn);
    let extra = activities::at_account(*id);
    records::list::<Activity>(&state, &auth, MODULE, &query, Some(extra)).await
}

/// A contact's activities
///
/// The activities attached to the contact that the caller can see; the same filters and sorts as
/// `/activities`.
#[utoipa::path(
    tag = "activities",
    params(ListParams, RecordListParams),
    responses(
        (status = 200, description = "A page of the contact's activities", body = Page<Activity>),
        (status = 404, description = "No such contact visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contacts/{id}/activities")]
async fn contact_activities(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    auth.require("contacts", false)?;
    let mut conn = db::conn(&state.pool).await?;
    persistence::records::get::<Contact>(&mut conn, &auth.scope, *id).await?;
    drop(conn);
    let extra = activities::attached_to(EntityType::CONTACT, *id);
    records::list::<Activity>(&state, &auth, MODULE, &query, Some(extra)).await
}

/// A lead's activities
///
/// The activities attached to the lead that the caller can see; the same filters and sorts as
/// `/activities`. Converting the lead rolls them up to the account it became.
#[utoipa::path(
    tag = "activities",
    params(ListParams, RecordListParams),
    responses(
        (status = 200, description = "A page of the lead's activities", body = Page<Activity>),
        (status = 404, description = "No such lead visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/leads/{id}/activities")]
async fn lead_activities(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    auth.require("leads", false)?;
    let mut conn = db::conn(&state.pool).await?;
    persistence::records::get::<Lead>(&mut conn, &auth.scope, *id).await?;
    drop(conn);
    let extra = activities::attached_to(EntityType::LEAD, *id);
    records::list::<Activity>(&state, &auth, MODULE, &query, Some(extra)).await
}

/// An opportunity's activities
///
/// The activities attached to the opportunity that the caller can see; the same filters and sorts
/// as `/activities`.
#[utoipa::path(
    tag = "activities",
    params(ListParams, RecordListParams),
    responses(
        (status = 200, description = "A page of the opportunity's activities", body = Page<Activity>),
        (status = 404, description = "No such opportunity visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/opportunities/{id}/activities")]
async fn opportunity_activities(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<HttpResponse, ApiError> {
    auth.require("opportunities", false)?;
    let mut conn = db::conn(&state.pool).await?;
    persistence::records::get::<Opportunity>(&mut conn, &auth.scope, *id).await?;
    drop(conn);
    let extra = activities::attached_to(EntityType::OPPORTUNITY, *id);
    records::list::<Activity>(&state, &auth, MODULE, &query, Some(extra)).await
}

/// My open tasks
///
/// The caller's own open tasks by due time, earliest first, so overdue tasks (`overdue: true`)
/// lead. Filters: `due_at`, `reminder_at`, `overdue`, `entity`, `entity_id`, `account_id`, `tags`;
/// `q` searches subject and body. Keyset-paged by `due_at`.
#[utoipa::path(
    tag = "activities",
    params(ListParams),
    responses(
        (status = 200, description = "A page of the caller's open tasks", body = Page<Activity>),
        (status = 400, description = "Unknown filter, operator or sort field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/tasks/mine")]
async fn my_tasks(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<Activity>>, ApiError> {
    auth.require(MODULE, false)?;
    let req = ListRequest::parse(&activities::MY_TASKS, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    let extra = activities::my_open_tasks(&auth.scope);
    Ok(web::Json(
        list::fetch::<ActivityRow, Activity>(
            &mut conn,
            &activities::MY_TASKS,
            &auth.scope,
            &req,
            Some(extra),
        )
        .await?,
    ))
}

/// Log an activity or create a task
///
/// Attach it to one record with `entity` (`account`, `contact`, `lead` or `opportunity`) and
/// `entity_id`; the record must be visible to the caller (422 naming the field
/// otherwise). Tasks need `due_at` and may have `status` (default `open`) and `reminder_at` (not
/// after `due_at`); other kinds may have none of the three and default `occurred_at` to now.
#[utoipa::path(
    tag = "activities",
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first result")),
    request_body = ActivityInput,
    responses(
        (status = 201, description = "Created", body = Activity, headers(("Location" = String), ("ETag" = String))),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/activities")]
async fn create_activity(
    state: web::Data<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: JsonBody<ActivityInput>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut input = body.value;
    input.normalize(Utc::now()).map_err(ApiError::Validation)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    idempotency::create_once(&mut conn, scope, &key, &body.digest, async |c| {
        let activity = activities::create(c, scope, &input).await?;
        let location = format!("/api/v1/activities/{}", activity.id);
        Ok(Created::new(location, &activity, Some(activity.version)))
    })
    .await
}

/// Get an activity
#[utoipa::path(
    tag = "activities",
    responses(
        (status = 200, description = "The activity", body = Activity, headers(("ETag" = String))),
        (status = 404, description = "No such activity visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/activities/{id}")]
async fn get_activity(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    records::get::<Activity>(&state, &auth, MODULE, *id).await
}

/// Update an activity
///
/// A partial update: absent fields stay, `null` clears. Marking a task `done` sets its
/// `occurred_at` (unless given); reopening or cancelling clears it. Requires `If-Match`.
#[utoipa::path(
    tag = "activities",
    params(("If-Match" = String, Header, description = "The ETag read, e.g. \"3\"; `*` overwrites")),
    request_body = ActivityPatch,
    responses(
        (status = 200, description = "The updated activity", body = Activity, headers(("ETag" = String))),
        (status = 404, description = "No such activity visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/activities/{id}")]
async fn update_activity(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<ActivityPatch>,
) -> Result<HttpResponse, ApiError> {
    auth.require(MODULE, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let patch = body.value;
    let activity = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(activities::update(c, scope, *id, if_match.0, patch).await?)
        })
        .await?;
    Ok(ok_with_etag(&activity))
}

/// Delete an activity (to the recycle bin)
#[utoipa::path(
    tag = "activities",
    params(("If-Match" = String, Header, description = "The ETag read; `*` deletes whatever the version")),
    responses(
        (status = 204, description = "Moved to the recycle bin"),
        (status = 404, description = "No such activity visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/activities/{id}")]
async fn delete_activity(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    records::delete::<Activity>(&state, &auth, MODULE, *id, if_match).await
}

/// Restore an activity from the recycle bin
#[utoipa::path(
    tag = "activities",
    responses(
        (status = 200, description = "The restored activity", body = Activity, headers(("ETag" = String))),
        (status = 404, description = "No such deleted activity visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The activity is not in the recycle bin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/activities/{id}/restore")]
async fn restore_activity(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    records::restore::<Activity>(&state, &auth, MODULE, *id).await
}

/// An activity's history
///
/// Who changed what and when, newest first, with field-level changes.
#[utoipa::path(
    tag = "activities",
    params(ListParams),
    responses(
        (status = 200, description = "Audit events of the activity", body = Page<HistoryEntry>),
        (status = 404, description = "No such activity visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/activities/{id}/history")]
async fn activity_history(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<HistoryEntry>>, ApiError> {
    records::history::<Activity>(&state, &auth, MODULE, *id, &query).await
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_activities)
        .service(account_activities)
        .service(contact_activities)
        .service(lead_activities)
        .service(opportunity_activities)
        .service(my_tasks)
        .service(create_activity)
        .service(get_activity)
        .service(update_activity)
        .service(delete_activity)
        .service(restore_activity)
        .service(activity_history);
}
