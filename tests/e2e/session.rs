//! Signing in and out, and where an unauthenticated visitor ends up.

use crate::browser::Ui;

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

    // Signing out forgets the tokens: the app shows sign-in again, also after a reload.
    ui.click("#sign-out").await;
    ui.wait_path("/login").await;
    ui.goto("/accounts").await;
    ui.wait_path("/login").await;
    ui.finish().await;
}
