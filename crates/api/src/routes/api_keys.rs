//! `/api-keys`: credentials for integrations. A key acts as the user who made it, limited to its scopes.

use super::ListParams;
use crate::auth::new_api_key;
use crate::error::{validate, ApiError};
use crate::extract::{JsonBody, QueryPairs};
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{delete, get, post, web, HttpResponse};
use domain::auth::{ApiKey, ApiKeyCreate, ApiKeyCreated};
use domain::list::Page;
use domain::problem::Problem;
use persistence::api_keys::{self, NewKey};
use persistence::db;
use persistence::list::ListRequest;
use uuid::Uuid;

fn signed_in(auth: &Auth) -> Result<(), ApiError> {
    // Keys cannot mint or revoke keys: a leaked key must not be able to outlive its revocation.
    if auth.key_scopes.is_some() {
        return Err(ApiError::Forbidden(
            "API keys are managed by signed-in users, not by other keys".into(),
        ));
    }
    Ok(())
}

/// List API keys
///
/// Your own keys (an admin sees the organization's). Secrets are never shown again.
#[utoipa::path(tag = "api-keys", params(ListParams), responses((status = 200, description = "A page of keys", body = Page<ApiKey>)))]
#[get("/api-keys")]
async fn list_keys(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<ApiKey>>, ApiError> {
    signed_in(&auth)?;
    let req = ListRequest::parse(&api_keys::SPEC, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        api_keys::list(&mut conn, &auth.scope, &req).await?,
    ))
}

/// Create an API key
///
/// The response holds the secret, once. Read-only roles get read scopes only; `expires_at`, when
/// given, must be in the future.
#[utoipa::path(
    tag = "api-keys",
    request_body = ApiKeyCreate,
    responses(
        (status = 201, description = "Created; `secret` is shown only now", body = ApiKeyCreated),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api-keys")]
async fn create_key(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<ApiKeyCreate>,
) -> Result<HttpResponse, ApiError> {
    signed_in(&auth)?;
    let input = body.value;
    validate(&input)?;
    if !auth.user.role.can_write() && input.scopes.iter().any(|s| s.ends_with(":write")) {
        return Err(ApiError::Validation(vec![
            domain::problem::FieldError::new(
                "scopes",
                "scope",
                "your role can only grant read scopes",
            ),
        ]));
    }
    if input.expires_at.is_some_and(|t| t <= chrono::Utc::now()) {
        return Err(ApiError::Validation(vec![
            domain::problem::FieldError::new("expires_at", "range", "must be in the future"),
        ]));
    }
    let (prefix, secret, hash) = new_api_key();
    let mut conn = db::conn(&state.pool).await?;
    let key = api_keys::create(
        &mut conn,
        &auth.scope,
        NewKey {
            name: &input.name,
            prefix: &prefix,
            secret_hash: &hash,
            scopes: &input.scopes,
            expires_at: input.expires_at,
        },
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/api-keys/{}", key.id)))
        .json(ApiKeyCreated { key, secret }))
}

/// Revoke an API key
#[utoipa::path(
    tag = "api-keys",
    responses(
        (status = 204, description = "Revoked (revoking twice is fine)"),
        (status = 404, description = "No such key visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/api-keys/{id}")]
async fn revoke_key(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    signed_in(&auth)?;
    let mut conn = db::conn(&state.pool).await?;
    api_keys::revoke(&mut conn, &auth.scope, *id).await?;
    state.principals.forget(auth.scope.org_id);
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_keys)
        .service(create_key)
        .service(revoke_key);
}
