//! The web app and the API viewer work under their Content-Security-Policy: no inline script or
//! style, the app's stylesheet and wasm load from their hashed files, styles set through the
//! CSSOM apply.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn the_app_runs_and_is_styled_under_its_content_security_policy() {
    let Some(ui) = Ui::start().await else { return };
    let account = ui
        .app
        .add_account(&ui.admin, json!({"name": "安全策略客户"}))
        .await;
    ui.api_post(
        "/api/v1/opportunities",
        json!({"name": "策略商机", "account_id": account["id"],
               "amount": {"amount": "8000", "currency": "CNY"}}),
    )
    .await;
    ui.sign_in().await;
    ui.goto("/").await;
    ui.wait_text("#my-pipeline", "¥8,000.00").await;
    // The stylesheet (a file of its own) applies: the header's colour.
    let header = ui
        .js(
            "return getComputedStyle(document.querySelector('.app-header')).backgroundColor",
            vec![],
        )
        .await;
    assert_eq!(header, json!("rgb(16, 35, 63)"));
    // The stage bar's width is set through the CSSOM, which the policy allows (a style
    // attribute it would refuse): the one open deal fills its stage's bar.
    let width = ui
        .js(
            "const bars = [...document.querySelectorAll('#my-pipeline .bar > span')];
             return bars.map(b => b.style.width)",
            vec![],
        )
        .await;
    assert!(
        width.as_array().is_some_and(|w| w.contains(&json!("100%"))),
        "{width}"
    );
    ui.shot("home-under-csp").await;
    ui.finish().await;
}

#[tokio::test]
async fn the_api_viewer_loads_under_its_content_security_policy() {
    let Some(ui) = Ui::start().await else { return };
    ui.goto("/docs").await;
    ui.wait_text(".swagger-ui .info .title", "Kehu API").await;
    ui.find(".swagger-ui .opblock-tag").await;
    ui.shot("docs-under-csp").await;
    ui.finish().await;
}
