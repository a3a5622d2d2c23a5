//! `/webhooks`: an organization's endpoints for record events, for admins (an API key also needs
//! `webhooks:read` or `webhooks:write`). A secret is shown when it is made, never again; the
//! delivery log shows what was sent, how each attempt went, and redelivers on request.

use super::{Items, ListParams};
use crate::error::{validate, ApiError};
use crate::extract::{created, with_etag, IfMatch, JsonBody, QueryPairs};
use crate::principals::Auth;
use crate::state::AppState;
use crate::webhooks::{signing, targets};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::Utc;
use domain::list::Page;
use domain::problem::Problem;
use domain::webhook::{
    WebhookCreate, WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint, WebhookPatch,
    WebhookWithSecret,
};
use persistence::list::ListRequest;
use persistence::webhooks::{self, NewEndpoint};
use persistence::{db, webhook_deliveries};
use uuid::Uuid;

const MODULE: &str = "webhooks";

fn admin(auth: &Auth, write: bool) -> Result<(), ApiError> {
    auth.require(MODULE, write)?;
    auth.require_admin()
}

fn check_url(state: &AppState, url: &str) -> Result<(), ApiError> {
    targets::check_url(url, state.settings.webhooks.private_targets)
        .map_err(|e| ApiError::Validation(vec![e]))
}

/// List event types
///
/// What an endpoint may subscribe to: `{entity}.{action}` for each registered entity and
/// action (`{entity}.*` subscribes to each action on it).
#[utoipa::path(tag = "webhooks", responses((status = 200, description = "Event types", body = Items<String>)))]
#[get("/webhooks/event-types")]
async fn event_types(auth: Auth) -> Result<web::Json<Items<String>>, ApiError> {
    admin(&auth, false)?;
    Ok(web::Json(Items {
        data: domain::webhook::event_types(),
    }))
}

/// List webhook endpoints
///
/// Oldest first. Filters: `enabled`, `created_at`, `updated_at`.
#[utoipa::path(
    tag = "webhooks",
    params(ListParams),
    responses(
        (status = 200, description = "A page of endpoints", body = Page<WebhookEndpoint>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/webhooks")]
async fn list_endpoints(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<WebhookEndpoint>>, ApiError> {
    admin(&auth, false)?;
    let req = ListRequest::parse(&webhooks::SPEC, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        webhooks::list(&mut conn, &auth.scope, &req).await?,
    ))
}

/// Add a webhook endpoint
///
/// Each change of a record whose event type it subscribes to is then sent to it, signed with
/// the `secret` in the response (shown only now). The URL must be `http(s)`, without
/// credentials, and — unless the server allows private targets — not on a private network.
#[utoipa::path(
    tag = "webhooks",
    request_body = WebhookCreate,
    responses(
        (status = 201, description = "Added; `secret` is shown only now", body = WebhookWithSecret, headers(("ETag" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks")]
async fn create_endpoint(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<WebhookCreate>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let input = body.value;
    validate(&input)?;
    check_url(&state, &input.url)?;
    let secret = signing::new_secret();
    let mut conn = db::conn(&state.pool).await?;
    let new = NewEndpoint {
        url: &input.url,
        description: &input.description,
        event_types: &input.event_types,
        enabled: input.enabled,
        secret: &secret,
    };
    let endpoint = webhooks::create(&mut conn, &auth.scope, &new, Utc::now()).await?;
    let (id, version) = (endpoint.id, endpoint.version);
    Ok(created(
        &WebhookWithSecret { endpoint, secret },
        version,
        &format!("/api/v1/webhooks/{id}"),
    ))
}

/// Get a webhook endpoint
#[utoipa::path(
    tag = "webhooks",
    responses(
        (status = 200, description = "The endpoint", body = WebhookEndpoint, headers(("ETag" = String))),
        (status = 404, description = "No such endpoint in the organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/webhooks/{id}")]
async fn get_endpoint(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let endpoint = webhooks::get(&mut conn, &auth.scope, *id).await?;
    Ok(with_etag(
        actix_web::http::StatusCode::OK,
        &endpoint,
        endpoint.version,
    ))
}

/// Change a webhook endpoint
///
/// Its URL, description, event types, or whether it is on. Turning it on again sends what
/// waited while it was off, in order.
#[utoipa::path(
    tag = "webhooks",
    params(("If-Match" = String, Header, description = "The ETag read; `*` overwrites")),
    request_body = WebhookPatch,
    responses(
        (status = 200, description = "The changed endpoint", body = WebhookEndpoint, headers(("ETag" = String))),
        (status = 404, description = "No such endpoint in the organization", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/webhooks/{id}")]
async fn update_endpoint(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<WebhookPatch>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let patch = body.value;
    validate(&patch)?;
    if let Some(url) = &patch.url {
        check_url(&state, url)?;
    }
    let mut conn = db::conn(&state.pool).await?;
    let endpoint =
        webhooks::update(&mut conn, &auth.scope, *id, if_match.0, &patch, Utc::now()).await?;
    Ok(with_etag(
        actix_web::http::StatusCode::OK,
        &endpoint,
        endpoint.version,
    ))
}

/// Remove a webhook endpoint
///
/// With its queue and its delivery log.
#[utoipa::path(
    tag = "webhooks",
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such endpoint in the organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/webhooks/{id}")]
async fn delete_endpoint(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let mut conn = db::conn(&state.pool).await?;
    webhooks::delete(&mut conn, &auth.scope, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate an endpoint's secret
///
/// The new secret is in the response (shown only now); the previous one keeps signing beside
/// it for 24 hours (`previous_secret_expires_at`), so the receiver can switch without refusing
/// a message: `webhook-signature` carries a signature per secret.
#[utoipa::path(
    tag = "webhooks",
    responses(
        (status = 200, description = "The endpoint with its new secret", body = WebhookWithSecret, headers(("ETag" = String))),
        (status = 404, description = "No such endpoint in the organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks/{id}/rotate-secret")]
async fn rotate_secret(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let secret = signing::new_secret();
    let now = Utc::now();
    let until = now + domain::webhook::rotation_overlap();
    let mut conn = db::conn(&state.pool).await?;
    let endpoint = webhooks::rotate(&mut conn, &auth.scope, *id, &secret, now, until).await?;
    let version = endpoint.version;
    Ok(with_etag(
        actix_web::http::StatusCode::OK,
        &WebhookWithSecret { endpoint, secret },
        version,
    ))
}

/// Send a test event
///
/// Queues a `webhook.test` message to the endpoint (even one that is off), sent at once; its
/// outcome is in the delivery log.
#[utoipa::path(
    tag = "webhooks",
    responses(
        (status = 202, description = "Queued", body = WebhookDelivery),
        (status = 404, description = "No such endpoint in the organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks/{id}/test")]
async fn send_test(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let mut conn = db::conn(&state.pool).await?;
    let delivery = webhook_deliveries::queue_test(&mut conn, &auth.scope, *id, Utc::now()).await?;
    Ok(HttpResponse::Accepted().json(delivery))
}

/// List an endpoint's deliveries
///
/// Newest first, with each one's state, attempts, last status and latency. Filters: `state`
/// (`pending`, `delivered`, `failed`), `event_type`, `entity_id`, `message_id`, `created_at`.
#[utoipa::path(
    tag = "webhooks",
    params(ListParams),
    responses(
        (status = 200, description = "A page of deliveries", body = Page<WebhookDelivery>),
        (status = 404, description = "No such endpoint in the organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/webhooks/{id}/deliveries")]
async fn list_deliveries(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    query: QueryPairs,
) -> Result<web::Json<Page<WebhookDelivery>>, ApiError> {
    admin(&auth, false)?;
    let req = ListRequest::parse(&webhook_deliveries::SPEC, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        webhook_deliveries::list(&mut conn, &auth.scope, *id, &req).await?,
    ))
}

/// Get a delivery
///
/// The message exactly as sent, and each attempt: when, the receiver's status and the start of
/// its answer, the latency, the error.
#[utoipa::path(
    tag = "webhooks",
    responses(
        (status = 200, description = "The delivery", body = WebhookDeliveryDetail),
        (status = 404, description = "No such delivery of the endpoint", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/webhooks/{id}/deliveries/{delivery_id}")]
async fn get_delivery(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<web::Json<WebhookDeliveryDetail>, ApiError> {
    admin(&auth, false)?;
    let (id, delivery_id) = *path;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        webhook_deliveries::detail(&mut conn, &auth.scope, id, delivery_id).await?,
    ))
}

/// Redeliver a message
///
/// Queues a delivered or failed message again, now, with the same `webhook-id` (receivers that
/// already have it may drop it). A pending one is a 409: it goes out when due.
#[utoipa::path(
    tag = "webhooks",
    responses(
        (status = 202, description = "Queued again", body = WebhookDelivery),
        (status = 404, description = "No such delivery of the endpoint", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Still pending", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks/{id}/deliveries/{delivery_id}/redeliver")]
async fn redeliver(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let (id, delivery_id) = *path;
    let mut conn = db::conn(&state.pool).await?;
    let delivery =
        webhook_deliveries::redeliver(&mut conn, &auth.scope, id, delivery_id, Utc::now()).await?;
    Ok(HttpResponse::Accepted().json(delivery))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(event_types)
        .service(list_endpoints)
        .service(create_endpoint)
        .service(get_endpoint)
        .service(update_endpoint)
        .service(delete_endpoint)
        .service(rotate_secret)
        .service(send_test)
        .service(list_deliveries)
        .service(get_delivery)
        .service(redeliver);
}
