//! Identity and access: organizations, users, departments, tokens and API keys.

use crate::role::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

fn known_scopes(scopes: &[String]) -> Result<(), validator::ValidationError> {
    // What an API key may touch: `<module>:read` or `<module>:write` (write implies read).
    let known = crate::registry::api_key_scopes();
    match scopes.iter().find(|s| !known.contains(s)) {
        Some(_) => Err(validator::ValidationError::new("scope")
            .with_message(format!("known scopes: {}", known.join(", ")).into())),
        None => Ok(()),
    }
}

fn known_locale(locale: &str) -> Result<(), validator::ValidationError> {
    match locale {
        "zh-CN" | "en" => Ok(()),
        _ => Err(validator::ValidationError::new("locale").with_message("zh-CN or en".into())),
    }
}

#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    #[validate(length(min = 1, max = 200))]
    #[cfg_attr(feature = "openapi", schema(example = "深圳市丰泽日用品有限公司"))]
    pub organization_name: String,
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "王芳"))]
    pub name: String,
    #[validate(email, length(max = 254))]
    #[cfg_attr(feature = "openapi", schema(example = "wang.fang@example.com"))]
    pub email: String,
    #[validate(length(min = 10, max = 128))]
    #[cfg_attr(feature = "openapi", schema(example = "correct horse battery"))]
    pub password: String,
    /// `zh-CN` (default) or `en`: the language of the default department names.
    #[validate(custom(function = "known_locale"))]
    pub locale: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(example = "demo@kehu.local"))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(example = "kehu-demo-2026"))]
    pub password: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token. Leave it out (send `{}`) to use the `kehu_refresh` cookie that sign-in
    /// sets for browsers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// A short-lived JWT for `Authorization: Bearer …`.
    pub access_token: String,
    /// Single use: exchange it at `/auth/refresh` for a new pair. Reusing one revokes the session.
    /// Left out when the refresh token came in the `kehu_refresh` cookie: the new one goes back
    /// in the cookie only, out of reach of page scripts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

/// `POST /auth/signup`'s answer, the same whether or not the e-mail was free: sign-up does not
/// tell anyone which e-mails have accounts. Sign in next with the e-mail and password.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupAccepted {
    #[cfg_attr(feature = "openapi", schema(example = "accepted"))]
    pub status: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "if the e-mail had no account, the organization is ready: sign in at /api/v1/auth/login"
        )
    )]
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub locale: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department_id: Uuid,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

/// `GET /me`: who the caller is and what they may do.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: User,
    pub organization: Organization,
    /// The API key's scopes when called with a key; all scopes for a signed-in user.
    pub scopes: Vec<String>,
}

#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    #[validate(email, length(max = 254))]
    pub email: String,
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    /// The initial password; the user should change it.
    #[validate(length(min = 10, max = 128))]
    pub password: String,
    pub role: Role,
    pub department_id: Uuid,
}

#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[validate(length(min = 1, max = 100))]
    pub name: Option<String>,
    pub role: Option<Role>,
    pub department_id: Option<Uuid>,
    /// `false` deactivates the user: they can no longer sign in, and their sessions and keys stop working.
    pub active: Option<bool>,
    #[validate(length(min = 10, max = 128))]
    pub password: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Department {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DepartmentCreate {
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "华南大区"))]
    pub name: String,
    /// The parent department; every department but the root has one.
    pub parent_id: Uuid,
}

#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DepartmentPatch {
    #[validate(length(min = 1, max = 100))]
    pub name: Option<String>,
    pub parent_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    pub id: Uuid,
    pub name: String,
    /// The key's public prefix (`kehu_ab12cd34`), to recognise it in lists and logs.
    pub prefix: String,
    pub user_id: Uuid,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApiKeyCreate {
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "ERP sync"))]
    pub name: String,
    #[validate(length(min = 1), custom(function = "known_scopes"))]
    #[cfg_attr(feature = "openapi", schema(example = json!(["accounts:read"])))]
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// The new key; `secret` is shown this once and never again.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKeyCreated {
    #[serde(flatten)]
    pub key: ApiKey,
    /// Send as `Authorization: Bearer <secret>`.
    pub secret: String,
}
