//! `/workflow-rules`: zero-code rules an admin sets on an entity ("when a deal over ¥100,000 is
//! created, tell the manager"), their dry run against a real record, and the runs they made;
//! `/workflow-runs`: the rules that ran on a record the caller can see.

use super::ListParams;
use crate::error::{validate, ApiError};
use crate::extract::{created, with_etag, IfMatch, JsonBody, QueryPairs};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::Utc;
use diesel_async::AsyncConnection;
use domain::list::Page;
use domain::problem::{FieldError, Problem};
use domain::workflow::{
    DryRun, DryRunInput, WorkflowRule, WorkflowRuleInput, WorkflowRulePatch, WorkflowRun,
};
use persistence::db;
use persistence::list::ListRequest;
use persistence::sql::{Bind, Sql};
use persistence::workflows;
use uuid::Uuid;

const MODULE: &str = "settings";

fn admin(auth: &Auth, write: bool) -> Result<(), ApiError> {
    auth.require(MODULE, write)?;
    auth.require_admin()
}

/// List workflow rules
#[utoipa::path(
    tag = "workflow-rules",
    params(ListParams),
    responses(
        (status = 200, description = "A page of rules (filters: `entity`, `enabled`)", body = Page<WorkflowRule>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workflow-rules")]
async fn list_rules(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<WorkflowRule>>, ApiError> {
    admin(&auth, false)?;
    let req = ListRequest::parse(&workflows::SPEC, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        workflows::list(&mut conn, &auth.scope, &req).await?,
    ))
}

/// Add a workflow rule
///
/// `trigger`: `created`, `updated` (only when one of `fields` changed, if given), `saved`
/// (either) or `deleted`. `conditions` are list filters of the entity (`{"field": "amount",
/// "op": "gte", "value": "100000"}`, custom fields as `custom.<key>`), all of which the record
/// must match when the rule runs; `changed` (`{"field", "from", "to"}`) a change the event must
/// carry. `actions`, in order: `set_field`, `assign` (one user, or several in turn),
/// `create_task` and `notify` (to the owner or to users). Rules run after the change commits,
/// as the rule's author; a rule's own changes do not run it again, and a chain of rules stops
/// at depth 5.
#[utoipa::path(
    tag = "workflow-rules",
    request_body = WorkflowRuleInput,
    responses(
        (status = 201, description = "Added", body = WorkflowRule, headers(("Location" = String), ("ETag" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields: an entity rules do not run on, a condition the list refuses, an unknown user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/workflow-rules")]
async fn create_rule(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<WorkflowRuleInput>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let input = body.value;
    validate(&input)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let rule = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(workflows::create(c, scope, &input, Utc::now()).await?)
        })
        .await?;
    Ok(created(
        &rule,
        rule.version,
        &format!("/api/v1/workflow-rules/{}", rule.id),
    ))
}

/// Get a workflow rule
#[utoipa::path(
    tag = "workflow-rules",
    responses(
        (status = 200, description = "The rule", body = WorkflowRule, headers(("ETag" = String))),
        (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workflow-rules/{id}")]
async fn get_rule(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let rule = workflows::get(&mut conn, &auth.scope, *id).await?;
    Ok(with_etag(StatusCode::OK, &rule, rule.version))
}

/// Change a workflow rule
///
/// `enabled: false` turns it off: what it had queued is skipped, and nothing new is queued.
#[utoipa::path(
    tag = "workflow-rules",
    params(("If-Match" = String, Header, description = "The ETag read; `*` overwrites")),
    request_body = WorkflowRulePatch,
    responses(
        (status = 200, description = "The changed rule", body = WorkflowRule, headers(("ETag" = String))),
        (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/workflow-rules/{id}")]
async fn update_rule(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<WorkflowRulePatch>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let patch = body.value;
    validate(&patch)?;
    let mut conn = db::conn(&state.pool).await?;
    let scope = &auth.scope;
    let rule = conn
        .transaction::<_, ApiError, _>(async |c| {
            Ok(workflows::update(c, scope, *id, if_match.0, &patch, Utc::now()).await?)
        })
        .await?;
    Ok(with_etag(StatusCode::OK, &rule, rule.version))
}

/// Remove a workflow rule (with its runs)
#[utoipa::path(
    tag = "workflow-rules",
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/workflow-rules/{id}")]
async fn delete_rule(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let mut conn = db::conn(&state.pool).await?;
    workflows::delete(&mut conn, &auth.scope, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Dry-run a workflow rule against a record
///
/// What a run on the record would do now, computed as the real run computes it, without
/// writing anything: whether it matches (and why not), and each effect (fields set with their
/// values before, tasks, notices). `changes` is the event to test `changed` against.
#[utoipa::path(
    tag = "workflow-rules",
    request_body = DryRunInput,
    responses(
        (status = 200, description = "What would happen", body = DryRun),
        (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such record of the rule's entity", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/workflow-rules/{id}/dry-run")]
async fn dry_run(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    body: JsonBody<DryRunInput>,
) -> Result<web::Json<DryRun>, ApiError> {
    admin(&auth, false)?;
    let input = body.value;
    let mut conn = db::conn(&state.pool).await?;
    // Reads only: the round-robin's next turn is shown, not taken.
    Ok(web::Json(
        workflows::dry_run(
            &mut conn,
            &auth.scope,
            *id,
            input.record_id,
            input.changes.as_ref(),
            Utc::now(),
        )
        .await?,
    ))
}

/// A rule's runs
#[utoipa::path(
    tag = "workflow-rules",
    params(ListParams),
    responses(
        (status = 200, description = "Its runs, newest first (filters: `state`, `entity_id`)", body = Page<WorkflowRun>),
        (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workflow-rules/{id}/runs")]
async fn rule_runs(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<WorkflowRun>>, ApiError> {
    admin(&auth, false)?;
    let req = ListRequest::parse(&workflows::RUNS, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    workflows::get(&mut conn, &auth.scope, *id).await?;
    let mut extra = Sql::new(" AND rule_id = ");
    extra.bind(Bind::Uuid(*id));
    Ok(web::Json(
        workflows::runs(&mut conn, &auth.scope, &req, extra).await?,
    ))
}

/// The rules that ran on a record
#[utoipa::path(
    tag = "workflow-rules",
    params(
        ("entity" = String, Query, description = "The record's entity (`account`, `opportunity`, …)"),
        ("entity_id" = Uuid, Query, description = "The record"),
        ListParams,
    ),
    responses(
        (status = 200, description = "The runs on the record, newest first", body = Page<WorkflowRun>),
        (status = 404, description = "No such record visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`entity` or `entity_id` missing or unknown", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/workflow-runs")]
async fn record_runs(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<WorkflowRun>>, ApiError> {
    let take = |k: &str| query.0.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let entity = take("entity").unwrap_or_default();
    let Some(store) = domain::registry::entity(&entity) else {
        return Err(ApiError::Validation(vec![FieldError::new(
            "entity",
            "required",
            "the record's entity (`account`, `opportunity`, …)",
        )]));
    };
    auth.require(store.plural, false)?;
    let Some(id) = take("entity_id").and_then(|v| v.parse::<Uuid>().ok()) else {
        return Err(ApiError::Validation(vec![FieldError::new(
            "entity_id",
            "required",
            "the record's id",
        )]));
    };
    let rest: Vec<(String, String)> = query
        .0
        .iter()
        .filter(|(k, _)| k != "entity" && k != "entity_id")
        .cloned()
        .collect();
    let req = ListRequest::parse(&workflows::RUNS, &rest)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        workflows::runs_on(&mut conn, &auth.scope, &entity, id, &req).await?,
    ))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_rules)
        .service(create_rule)
        .service(get_rule)
        .service(update_rule)
        .service(delete_rule)
        .service(dry_run)
        .service(rule_runs)
        .service(record_runs);
}
