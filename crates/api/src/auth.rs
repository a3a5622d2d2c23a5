//! Authentication: argon2id passwords, short-lived access JWTs, rotating refresh tokens, API keys,
//! and the `Auth` extractor that turns a bearer credential into a principal with a scope.

pub mod hashing;

use crate::error::ApiError;
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine as _;
use chrono::Utc;
use diesel_async::AsyncPgConnection;
use domain::auth::TokenResponse;
use futures::future::LocalBoxFuture;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use persistence::tokens;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("password hashing: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Verifies against a fixed hash so a sign-in for an unknown email costs the same time.
pub fn burn_password_check(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("kehu-timing-equalizer").unwrap_or_default());
    let _ = verify_password(password, hash);
}

/// A full hashing pool: the client comes back in a second (429 with `Retry-After`).
fn busy(_: hashing::Busy) -> ApiError {
    ApiError::RateLimited {
        retry_after_secs: 1,
    }
}

/// [`hash_password`] on the bounded hashing pool: never on a request worker.
pub async fn hash_password_bounded(state: &AppState, password: &str) -> Result<String, ApiError> {
    let password = password.to_string();
    state
        .hasher
        .run(move || hash_password(&password))
        .await
        .map_err(busy)?
}

/// [`verify_password`] on the bounded hashing pool; without a hash (an unknown account) it
/// burns the same time and answers false.
pub async fn verify_password_bounded(
    state: &AppState,
    password: &str,
    hash: Option<String>,
) -> Result<bool, ApiError> {
    let password = password.to_string();
    state
        .hasher
        .run(move || match hash {
            Some(h) => verify_password(&password, &h),
            None => {
                burn_password_check(&password);
                false
            }
        })
        .await
        .map_err(busy)
}

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub fn sha256(s: &str) -> Vec<u8> {
    Sha256::digest(s.as_bytes()).to_vec()
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    org: Uuid,
    /// The session (refresh-token family): the token dies with it (sign-out, reuse, password change).
    sid: Uuid,
    iat: i64,
    exp: i64,
}

/// How far a token's `iat` may lie in the future (clock skew between nodes); `nbf` gets the
/// validation's leeway.
const CLOCK_SKEW_SECS: i64 = 30;

/// Issues an access token and a refresh token of `family` (a new family on sign-in).
pub async fn issue_tokens(
    conn: &mut AsyncPgConnection,
    state: &AppState,
    org_id: Uuid,
    user_id: Uuid,
    family: Option<Uuid>,
) -> Result<TokenResponse, ApiError> {
    let now = Utc::now();
    let ttl = state.settings.access_ttl.as_secs() as i64;
    let family = family.unwrap_or_else(Uuid::now_v7);
    let claims = Claims {
        sub: user_id,
        org: org_id,
        sid: family,
        iat: now.timestamp(),
        exp: now.timestamp() + ttl,
    };
    let access_token = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&state.settings.jwt_secret),
    )
    .map_err(|e| ApiError::Internal(format!("jwt: {e}")))?;
    let refresh_token = random_token(32);
    let expires = now + chrono::Duration::seconds(state.settings.refresh_ttl.as_secs() as i64);
    tokens::issue(
        conn,
        org_id,
        user_id,
        family,
        &sha256(&refresh_token),
        expires,
    )
    .await?;
    Ok(TokenResponse {
        access_token,
        refresh_token: Some(refresh_token),
        token_type: "Bearer".into(),
        expires_in: ttl,
    })
}

/// A new API key: (public prefix, full secret to show once, hash of the secret part).
pub fn new_api_key() -> (String, String, Vec<u8>) {
    let mut p = [0u8; 4];
    rand::rngs::OsRng.fill_bytes(&mut p);
    let prefix = format!("kehu_{}", hex::encode(p));
    let secret = random_token(32);
    let full = format!("{prefix}_{secret}");
    (prefix, full, sha256(&secret))
}

/// How long from now until `t` (zero if past).
fn until(t: chrono::DateTime<Utc>) -> std::time::Duration {
    (t - Utc::now()).to_std().unwrap_or_default()
}

async fn authenticate(state: &AppState, token: &str) -> Result<Auth, ApiError> {
    let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
    if let Some(auth) = state.principals.get(&key) {
        return Ok(auth);
    }
    let generation = state.principals.generation();
    let invalid = ApiError::Unauthorized("the credential is invalid or expired");
    let mut conn = persistence::db::conn(&state.pool).await?;
    let (user_id, org_claim, key_scopes, expires_in) =
        if let Some(rest) = token.strip_prefix("kehu_") {
            let (prefix, secret) = rest.split_once('_').ok_or(ApiError::Unauthorized(
                "the credential is invalid or expired",
            ))?;
            let found =
                persistence::api_keys::authenticate(&mut conn, &format!("kehu_{prefix}")).await?;
            let Some(live) = found else {
                return Err(invalid);
            };
            if !bool::from(sha256(secret).ct_eq(&live.secret_hash)) {
                return Err(invalid);
            }
            let expires_in = live.expires_at.map(until);
            (live.user_id, None, Some(live.scopes), expires_in)
        } else {
            let mut validation = Validation::new(Algorithm::HS256);
            validation.leeway = 5;
            validation.validate_nbf = true;
            let data = decode::<Claims>(
                token,
                &DecodingKey::from_secret(&state.settings.jwt_secret),
                &validation,
            )
            .map_err(|_| ApiError::Unauthorized("the credential is invalid or expired"))?;
            // jsonwebtoken leaves `iat` alone: a token from the future was not issued by us.
            if data.claims.iat > Utc::now().timestamp() + CLOCK_SKEW_SECS {
                return Err(invalid);
            }
            let expires = chrono::DateTime::from_timestamp(data.claims.exp, 0).unwrap_or_default();
            (
                data.claims.sub,
                Some((data.claims.org, data.claims.sid)),
                None,
                Some(until(expires)),
            )
        };
    let (org_id, user, scope) = match persistence::users::principal(&mut conn, user_id).await {
        Ok(p) => p,
        Err(persistence::StoreError::NotFound) => return Err(invalid),
        Err(e) => return Err(e.into()),
    };
    if let Some((claimed, sid)) = org_claim {
        if claimed != org_id || !persistence::tokens::session_live(&mut conn, user_id, sid).await? {
            return Err(invalid);
        }
    }
    let auth = Auth {
        user,
        scope,
        key_scopes,
    };
    state
        .principals
        .put(key, auth.clone(), generation, expires_in);
    Ok(auth)
}

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_string());
        Box::pin(async move {
            let state =
                state.ok_or_else(|| ApiError::Internal("application state missing".into()))?;
            let token = token.ok_or(ApiError::Unauthorized(
                "send Authorization: Bearer <access token or API key>",
            ))?;
            authenticate(&state, &token).await
        })
    }
}
