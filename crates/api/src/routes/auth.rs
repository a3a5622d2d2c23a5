//! `/auth`: sign-up, sign-in, token refresh and sign-out.

use crate::auth::{burn_password_check, hash_password, issue_tokens, sha256, verify_password};
use crate::error::{validate, ApiError};
use crate::extract::JsonBody;
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use domain::auth::{LoginRequest, RefreshRequest, SignupRequest, TokenResponse, UserCreate};
use domain::problem::Problem;
use domain::role::Role;
use persistence::tokens::Spend;
use persistence::{db, departments, organizations, tokens, users};

/// Sign up
///
/// Creates an organization with the default department tree and its first admin, and signs them in.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = SignupRequest,
    responses(
        (status = 201, description = "Signed in as the new organization's admin", body = TokenResponse),
        (status = 403, description = "Sign-up is disabled on this server", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The email is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/signup")]
async fn signup(
    state: web::Data<AppState>,
    body: JsonBody<SignupRequest>,
) -> Result<HttpResponse, ApiError> {
    if !state.settings.signup_enabled {
        return Err(ApiError::Forbidden(
            "sign-up is disabled on this server; ask an admin for an account".into(),
        ));
    }
    let input = body.value;
    validate(&input)?;
    let hash = hash_password(&input.password)?;
    let locale = input.locale.clone().unwrap_or_else(|| "zh-CN".into());
    let mut conn = db::conn(&state.pool).await?;
    let state = &state;
    let tokens = conn
        .transaction::<_, ApiError, _>(async |c| {
            let org = organizations::create(c, input.organization_name.trim(), &locale).await?;
            let (root, _) = departments::create_default_tree(c, org.id, &locale).await?;
            persistence::pipelines::create_default(c, org.id, &locale).await?;
            let user_input = UserCreate {
                email: input.email.clone(),
                name: input.name.clone(),
                password: String::new(),
                role: Role::Admin,
                department_id: root,
            };
            let user = users::create(c, org.id, None, &user_input, &hash).await?;
            issue_tokens(c, state, org.id, user.id, None).await
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", "/api/v1/me"))
        .json(tokens))
}

/// Sign in
///
/// Rate limited per account and per client address (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong email or password, or the user is deactivated", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let email = domain::normalize::email(&body.value.email);
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default();
    let limiter = &state.login_limiter;
    limiter
        .hit(
            &format!("account:{email}"),
            state.settings.login_per_account,
        )
        .and_then(|_| {
            limiter.hit(
                &format!("address:{address}"),
                state.settings.login_per_address,
            )
        })
        .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    let mut conn = db::conn(&state.pool).await?;
    let denied = ApiError::Unauthorized("wrong email or password");
    let Some((user_id, org_id, hash, active)) = users::find_for_login(&mut conn, &email).await?
    else {
        burn_password_check(&body.value.password);
        return Err(denied);
    };
    if !verify_password(&body.value.password, &hash) || !active {
        return Err(denied);
    }
    users::touch_login(&mut conn, user_id).await?;
    Ok(web::Json(
        issue_tokens(&mut conn, &state, org_id, user_id, None).await?,
    ))
}

/// Refresh the session
///
/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a spent
/// one again (a stolen copy) ends the whole session with 401.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, description = "Invalid, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
async fn refresh(
    state: web::Data<AppState>,
    body: JsonBody<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let hash = sha256(&body.value.refresh_token);
    let mut conn = db::conn(&state.pool).await?;
    let spent = conn
        .transaction::<_, ApiError, _>(async |c| Ok(tokens::spend(c, &hash).await?))
        .await?;
    match spent {
        Spend::Fresh {
            org_id,
            user_id,
            family_id,
        } => {
            if users::principal(&mut conn, user_id).await.is_err() {
                return Err(ApiError::Unauthorized("the user is deactivated"));
            }
            Ok(web::Json(
                issue_tokens(&mut conn, &state, org_id, user_id, Some(family_id)).await?,
            ))
        }
        Spend::Reused => Err(ApiError::Unauthorized(
            "this refresh token was already used; the session is ended, sign in again",
        )),
        Spend::Invalid => Err(ApiError::Unauthorized(
            "the refresh token is invalid or expired",
        )),
    }
}

/// Sign out
///
/// Ends the session the refresh token belongs to.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"))
)]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    body: JsonBody<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut conn = db::conn(&state.pool).await?;
    tokens::revoke_by_token(&mut conn, &sha256(&body.value.refresh_token)).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(signup)
        .service(login)
        .service(refresh)
        .service(logout);
}
