//! `/auth`: sign-up, sign-in, token refresh and sign-out.
//!
//! Browsers keep the refresh token in an HttpOnly, SameSite=Strict cookie scoped to `/api/v1/auth`
//! (`kehu_refresh`), out of reach of page scripts; API clients keep getting it in the JSON body.

use crate::auth::{hash_password_bounded, issue_tokens, sha256, verify_password_bounded};
use crate::error::{validate, ApiError};
use crate::extract::JsonBody;
use crate::ratelimit;
use crate::state::AppState;
use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::{post, web, HttpRequest, HttpResponse, ResponseError};
use diesel_async::AsyncConnection;
use domain::auth::{
    LoginRequest, RefreshRequest, SignupAccepted, SignupRequest, TokenResponse, UserCreate,
};
use domain::problem::Problem;
use domain::role::Role;
use persistence::tokens::Spend;
use persistence::{db, departments, organizations, tokens, users, StoreError};

const COOKIE: &str = "kehu_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

fn client_address(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default()
}

/// The refresh cookie holding `token` (`None`: one that deletes it). `Secure` over HTTPS; plain
/// HTTP (a laptop, a LAN) would otherwise lose the session.
fn refresh_cookie(req: &HttpRequest, state: &AppState, token: Option<String>) -> Cookie<'static> {
    let max_age = match token {
        Some(_) => time::Duration::seconds(state.settings.refresh_ttl.as_secs() as i64),
        None => time::Duration::ZERO,
    };
    Cookie::build(COOKIE, token.unwrap_or_default())
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(req.connection_info().scheme() == "https")
        .max_age(max_age)
        .finish()
}

fn with_cookie(mut res: HttpResponse, cookie: &Cookie<'static>) -> Result<HttpResponse, ApiError> {
    res.add_cookie(cookie)
        .map_err(|e| ApiError::Internal(format!("cookie: {e}")))?;
    Ok(res)
}

/// What a sign-up transaction ends in besides success: the e-mail had an account already.
enum SignupFailure {
    Taken,
    Error(ApiError),
}

impl From<diesel::result::Error> for SignupFailure {
    fn from(e: diesel::result::Error) -> Self {
        SignupFailure::Error(e.into())
    }
}

impl From<StoreError> for SignupFailure {
    fn from(e: StoreError) -> Self {
        SignupFailure::Error(e.into())
    }
}

/// Sign up
///
/// Creates an organization with the default department tree and its first admin; sign in next
/// with the e-mail and password. The answer is the same 202 whether or not the e-mail already
/// had an account (then nothing is created and that account is untouched), so sign-up does not
/// reveal who has an account; it costs the same time either way. Rate limited per client
/// address (429 with `Retry-After`).
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = SignupRequest,
    responses(
        (status = 202, description = "Accepted: sign in with the e-mail and password", body = SignupAccepted),
        (status = 403, description = "Sign-up is disabled on this server", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this address, or too many passwords being hashed right now", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/signup")]
async fn signup(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<SignupRequest>,
) -> Result<HttpResponse, ApiError> {
    if !state.settings.signup_enabled {
        return Err(ApiError::Forbidden(
            "sign-up is disabled on this server; ask an admin for an account".into(),
        ));
    }
    let input = body.value;
    validate(&input)?;
    {
        let mut conn = db::conn(&state.pool).await?;
        ratelimit::signup(&mut conn, &state.settings, &client_address(&req)).await?;
    }
    // Hashed before a connection is taken: the hash may wait its turn on the pool.
    let hash = hash_password_bounded(&state, &input.password).await?;
    let locale = input.locale.clone().unwrap_or_else(|| "zh-CN".into());
    let mut conn = db::conn(&state.pool).await?;
    // A taken e-mail fails at the last insert and rolls everything back: the same work either way.
    let created = conn
        .transaction::<_, SignupFailure, _>(async |c| {
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
            match users::create(c, org.id, None, &user_input, &hash).await {
                Ok(_) => Ok(()),
                Err(StoreError::Taken(..)) => Err(SignupFailure::Taken),
                Err(e) => Err(e.into()),
            }
        })
        .await;
    match created {
        Ok(()) | Err(SignupFailure::Taken) => {}
        Err(SignupFailure::Error(e)) => return Err(e),
    }
    Ok(HttpResponse::Accepted().json(SignupAccepted {
        status: "accepted".into(),
        detail:
            "if the e-mail had no account, the organization is ready: sign in at /api/v1/auth/login"
                .into(),
    }))
}

/// Sign in
///
/// Rate limited per account from one address, per address, and per account from all addresses
/// together (429 with `Retry-After`): wrong passwords from one place do not lock the account's
/// owner out elsewhere. Also sets the `kehu_refresh` cookie (HttpOnly, SameSite=Strict, path
/// `/api/v1/auth`) for browsers; the body carries the refresh token for API clients.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse, headers(("Set-Cookie" = String, description = "`kehu_refresh`: the refresh token, for browsers"))),
        (status = 401, description = "Wrong email or password, or the user is deactivated", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts, or too many passwords being checked right now", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    if state.hasher.saturated() {
        // No passwords can be checked right now: refuse before any database work.
        return Err(ApiError::RateLimited {
            retry_after_secs: 1,
        });
    }
    let email = domain::normalize::email(&body.value.email);
    let address = client_address(&req);
    let found = {
        let mut conn = db::conn(&state.pool).await?;
        ratelimit::signin(&mut conn, &state.settings, &email, &address).await?;
        users::find_for_login(&mut conn, &email).await?
    };
    // The connection is back in the pool while the password is checked (that may queue).
    let hash = found.as_ref().map(|(_, _, hash, _)| hash.clone());
    let correct = verify_password_bounded(&state, &body.value.password, hash).await?;
    let denied = ApiError::Unauthorized("wrong email or password");
    let Some((user_id, org_id, _, active)) = found.filter(|_| correct) else {
        return Err(denied);
    };
    if !active {
        return Err(denied);
    }
    let mut conn = db::conn(&state.pool).await?;
    ratelimit::signin_succeeded(&mut conn, &email, &address).await?;
    users::touch_login(&mut conn, user_id).await?;
    let tokens = issue_tokens(&mut conn, &state, org_id, user_id, None).await?;
    let cookie = refresh_cookie(&req, &state, tokens.refresh_token.clone());
    with_cookie(HttpResponse::Ok().json(tokens), &cookie)
}

/// Spends `token` and issues the next pair of its session.
async fn exchange(state: &AppState, token: &str) -> Result<TokenResponse, ApiError> {
    let hash = sha256(token);
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
            issue_tokens(&mut conn, state, org_id, user_id, Some(family_id)).await
        }
        Spend::Reused { org_id } => {
            // The session's access tokens died with it; this node must not remember them.
            state.principals.forget(org_id);
            Err(ApiError::Unauthorized(
                "this refresh token was already used; the session is ended, sign in again",
            ))
        }
        Spend::Invalid => Err(ApiError::Unauthorized(
            "the refresh token is invalid or expired",
        )),
    }
}

/// Refresh the session
///
/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a spent
/// one again (a stolen copy) ends the whole session, its access tokens included, with 401.
/// The token comes in the body or, when the body has none (`{}`), in the `kehu_refresh` cookie;
/// a cookie's successor goes back in the cookie only, not in the body.
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
    req: HttpRequest,
    body: JsonBody<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    if let Some(token) = body.value.refresh_token {
        return Ok(HttpResponse::Ok().json(exchange(&state, &token).await?));
    }
    let Some(cookie) = req.cookie(COOKIE) else {
        return Err(ApiError::Unauthorized(
            "send the refresh token in the body, or sign in again",
        ));
    };
    match exchange(&state, cookie.value()).await {
        Ok(mut tokens) => {
            let cookie = refresh_cookie(&req, &state, tokens.refresh_token.take());
            with_cookie(HttpResponse::Ok().json(tokens), &cookie)
        }
        // A dead cookie is dropped, so the browser stops sending it.
        Err(e) => with_cookie(e.error_response(), &refresh_cookie(&req, &state, None)),
    }
}

/// Sign out
///
/// Ends the session of the refresh token in the body or, when the body has none (`{}`), in the
/// `kehu_refresh` cookie: its refresh and access tokens stop working. Clears the cookie.
#[utoipa::path(
    tag = "auth",
    security(()),
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"))
)]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body
        .value
        .refresh_token
        .or_else(|| req.cookie(COOKIE).map(|c| c.value().to_string()));
    if let Some(token) = token {
        let mut conn = db::conn(&state.pool).await?;
        if let Some(org_id) = tokens::revoke_by_token(&mut conn, &sha256(&token)).await? {
            state.principals.forget(org_id);
        }
    }
    with_cookie(
        HttpResponse::NoContent().finish(),
        &refresh_cookie(&req, &state, None),
    )
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(signup)
        .service(login)
        .service(refresh)
        .service(logout);
}
