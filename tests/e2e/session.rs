//! Signing in and out, and where an unauthenticated visitor ends up.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn sign_in_returns_to_the_page_asked_for_and_sign_out_ends_the_session() {
    let Some(ui) = Ui::start().await else { return };
    // Not signed in: a deep link leads to the sign-in page, remembering where to go.
    ui.goto("/accounts?sort=name").await;
    let at = ui.wait_path("/login").await;
    assert!(
        at.contains("next="),
        "the sign-in page keeps the target: {at}"
    );
    ui.shot("login").await;

    // A wrong password is refused on the page.
    ui.fill("#login-email", &ui.admin.email).await;
    ui.fill("#login-password", "not-the-password").await;
    ui.click("#login-submit").await;
    ui.wait_text("#login-error", "").await;

    ui.fill("#login-password", testkit::PASSWORD).await;
    ui.click("#login-submit").await;
    ui.wait_path("/accounts?sort=name").await;
    ui.find("#sign-out").await;

    // An access token the server no longer takes is renewed silently with the refresh token.
    ui.js(
        "localStorage.setItem('kehu.access_token', 'expired.or.revoked')",
        vec![],
    )
    .await;
    ui.goto("/accounts").await;
    ui.wait_text("#list-total", "0").await;
    ui.wait_path("/accounts").await;
    let renewed = ui
        .js("return localStorage.getItem('kehu.access_token')", vec![])
        .await;
    assert_ne!(
        renewed,
        json!("expired.or.revoked"),
        "a new access token was stored"
    );

    // The refresh token is in an HttpOnly cookie: nothing a page script can read or store.
    let visible = ui
        .js(
            "return [localStorage.getItem('kehu.refresh_token'), document.cookie]",
            vec![],
        )
        .await;
    assert_eq!(
        visible,
        json!([null, ""]),
        "no refresh token in storage or script-readable cookies"
    );

    // When the refresh token is no good either (the session was ended on the server), the
    // session is over: back to sign-in.
    ui.app
        .sql("UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL")
        .await;
    ui.js("localStorage.setItem('kehu.access_token', 'x')", vec![])
        .await;
    ui.goto("/contacts").await;
    ui.wait_path("/login").await;
    ui.fill("#login-email", &ui.admin.email).await;
    ui.fill("#login-password", testkit::PASSWORD).await;
    ui.click("#login-submit").await;
    ui.find("#sign-out").await;

    // Signing out forgets the tokens: the app shows sign-in again, also after a reload.
    ui.click("#sign-out").await;
    ui.wait_path("/login").await;
    ui.goto("/accounts").await;
    ui.wait_path("/login").await;
    ui.finish().await;
}
