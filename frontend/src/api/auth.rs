//! Sign-in, refresh, sign-out and who the caller is.

use super::{ApiError, Call};
use domain::auth::{LoginRequest, Me, RefreshRequest, TokenResponse};

pub async fn login(email: String, password: String) -> Result<TokenResponse, ApiError> {
    Call::post("/auth/login")
        .anonymous()
        .json(&LoginRequest { email, password })
        .send()
        .await
        .map(|r| r.body)
}

/// Exchanges the (single-use) refresh token in the `kehu_refresh` cookie for a new access token
/// (and a new cookie). Only the client's refresh logic calls this.
pub(super) async fn refresh() -> Result<TokenResponse, ApiError> {
    Call::post("/auth/refresh")
        .anonymous()
        .json(&RefreshRequest {
            refresh_token: None,
        })
        .send()
        .await
        .map(|r| r.body)
}

/// Ends the session on the server (the cookie's refresh token and the access token stop working).
pub async fn logout() -> Result<(), ApiError> {
    Call::post("/auth/logout")
        .anonymous()
        .json(&RefreshRequest {
            refresh_token: None,
        })
        .send_empty()
        .await
}

pub async fn me() -> Result<Me, ApiError> {
    Call::get("/me").send().await.map(|r| r.body)
}

/// The user directory (first 200 by name).
pub async fn users() -> Result<Vec<domain::auth::User>, ApiError> {
    Call::get("/users")
        .param("limit", "200")
        .param("sort", "name")
        .send::<domain::list::Page<domain::auth::User>>()
        .await
        .map(|r| r.body.data)
}
