//! `/notifications`: the caller's own notices — the bell's unread count, the list, marking read
//! — and `/notification-preferences`, which kinds reach them on which channel. Everyone has an
//! inbox; no one reads another's.

use super::ListParams;
use crate::error::ApiError;
use crate::extract::{JsonBody, QueryPairs};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, post, put, web, HttpResponse};
use chrono::Utc;
use domain::list::Page;
use domain::notification::{Notification, NotificationPreference, UnreadCount};
use domain::problem::Problem;
use persistence::list::ListRequest;
use persistence::{db, notifications};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// List my notifications
///
/// Newest first. `unread=true` keeps the unread ones; filters: `kind`, `entity`, `entity_id`,
/// `created_at`.
#[utoipa::path(
    tag = "notifications",
    params(ListParams, ("unread" = Option<bool>, Query, description = "Only the unread ones")),
    responses((status = 200, description = "A page of notifications", body = Page<Notification>))
)]
#[get("/notifications")]
async fn list_notifications(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<Notification>>, ApiError> {
    let mut pairs = query.0;
    let unread = match pairs.iter().position(|(k, _)| k == "unread") {
        Some(i) => match pairs.remove(i).1.as_str() {
            "true" => true,
            "false" => false,
            _ => {
                return Err(ApiError::Validation(vec![
                    domain::problem::FieldError::new("unread", "type", "true or false"),
                ]))
            }
        },
        None => false,
    };
    let req = ListRequest::parse(&notifications::SPEC, &pairs)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        notifications::list(&mut conn, &auth.scope, &req, unread).await?,
    ))
}

/// Count my unread notifications
///
/// What the bell shows; cheap enough to poll.
#[utoipa::path(
    tag = "notifications",
    responses((status = 200, description = "The unread count", body = UnreadCount))
)]
#[get("/notifications/unread-count")]
async fn unread_count(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<web::Json<UnreadCount>, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(UnreadCount {
        unread: notifications::unread(&mut conn, &auth.scope).await?,
    }))
}

/// Mark a notification read
#[utoipa::path(
    tag = "notifications",
    responses(
        (status = 200, description = "The notification, read", body = Notification),
        (status = 404, description = "No such notification of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/notifications/{id}/read")]
async fn mark_read(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<web::Json<Notification>, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        notifications::mark_read(&mut conn, &auth.scope, *id, Utc::now()).await?,
    ))
}

#[derive(Serialize, ToSchema)]
struct Marked {
    /// How many were unread.
    marked: i64,
}

/// Mark all my notifications read
#[utoipa::path(
    tag = "notifications",
    responses((status = 200, description = "How many were marked", body = Marked))
)]
#[post("/notifications/read-all")]
async fn mark_all_read(state: web::Data<AppState>, auth: Auth) -> Result<HttpResponse, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    let marked = notifications::mark_all_read(&mut conn, &auth.scope, Utc::now()).await?;
    Ok(HttpResponse::Ok().json(Marked { marked }))
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Preferences {
    data: Vec<NotificationPreference>,
}

/// Get my notification preferences
///
/// Every kind on every channel, with whether it reaches me (all do until turned off).
#[utoipa::path(
    tag = "notifications",
    responses((status = 200, description = "The preferences", body = Preferences))
)]
#[get("/notification-preferences")]
async fn get_preferences(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<web::Json<Preferences>, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(Preferences {
        data: notifications::preferences(&mut conn, &auth.scope).await?,
    }))
}

/// Set my notification preferences
///
/// The kinds and channels named are set; the others stay. A kind turned off is not given
/// while it is off (the scheduled checks give what is still true once it is on again: a task
/// still overdue).
#[utoipa::path(
    tag = "notifications",
    request_body = Preferences,
    responses(
        (status = 200, description = "The preferences now", body = Preferences),
        (status = 422, description = "An unknown kind or channel", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/notification-preferences")]
async fn set_preferences(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<Preferences>,
) -> Result<web::Json<Preferences>, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(Preferences {
        data: notifications::set_preferences(&mut conn, &auth.scope, &body.value.data).await?,
    }))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_notifications)
        .service(unread_count)
        .service(mark_read)
        .service(mark_all_read)
        .service(get_preferences)
        .service(set_preferences);
}
