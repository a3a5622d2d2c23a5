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

/// Exchanges the (single-use) refresh token for a new pair. Only the client's refresh logic calls this.
pub(super) async fn refresh(refresh_token: String) -> Result<TokenResponse, ApiError> {
    Call::post("/auth/refresh")
        .anonymous()
        .json(&RefreshRequest { refresh_token })
        .send()
        .await
        .map(|r| r.body)
}

/// Ends the session on the server (the refresh token stops working).
pub async fn logout(refresh_token: String) -> Result<(), ApiError> {
    Call::post("/auth/logout")
        .anonymous()
        .json(&RefreshRequest { refresh_token })
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
