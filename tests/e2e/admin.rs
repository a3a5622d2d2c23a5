//! Housekeeping: merging duplicates after a dry-run preview, and transferring a user's records.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn duplicates_merge_after_a_preview() {
    let Some(ui) = Ui::start().await else { return };
    let older = ui
        .app
        .add_account(
            &ui.admin,
            json!({"name": "重复测试有限公司", "phone": "020 1234 5678"}),
        )
        .await;
    let newer = ui
        .app
        .add_account(
            &ui.admin,
            json!({"name": "重复测试有限公司", "website": "https://dup.example.com"}),
        )
        .await;
    let keep = older["id"].as_str().expect("id").to_string();
    ui.sign_in().await;

    ui.goto("/duplicates?entity=accounts").await;
    let group = ".duplicate-group";
    ui.find(&format!(
        "{group} li[data-id='{}']",
        newer["id"].as_str().expect("id")
    ))
    .await;
    ui.click(&format!("{group} li[data-id='{keep}'] input.keep"))
        .await;
    ui.click(&format!("{group} .preview-merge")).await;
    ui.wait_text(&format!("{group} .merge-preview"), "website")
        .await;
    ui.shot("duplicates-merge-preview").await;
    // The preview changed nothing.
    let before = ui.api_get("/api/v1/accounts?count=true").await;
    assert_eq!(before["total"], 2);

    ui.click(&format!("{group} .confirm-merge")).await;
    ui.find("#no-duplicates").await;
    let after = ui.api_get("/api/v1/accounts?count=true").await;
    assert_eq!(after["total"], 1);
    let kept = ui.api_get(&format!("/api/v1/accounts/{keep}")).await;
    assert_eq!(
        kept["website"], "https://dup.example.com",
        "blanks filled: {kept}"
    );
    ui.finish().await;
}

#[tokio::test]
async fn an_admin_transfers_a_leaving_users_records() {
    let Some(ui) = Ui::start().await else { return };
    let leaving = ui.app.add_user(&ui.admin, "sales", None).await;
    let account = ui
        .app
        .add_account(&leaving, json!({"name": "移交测试客户"}))
        .await;
    ui.sign_in().await;

    ui.goto("/admin/transfer").await;
    ui.select("#transfer-from", &leaving.user_id.to_string())
        .await;
    ui.select("#transfer-to", &ui.admin.user_id.to_string())
        .await;
    ui.click("#preview-transfer").await;
    ui.find("#transfer-result[data-dry-run='true']").await;
    ui.shot("transfer-preview").await;
    let still = ui
        .api_get(&format!(
            "/api/v1/accounts/{}",
            account["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(
        still["owner_id"],
        json!(leaving.user_id),
        "a preview moves nothing"
    );

    ui.click("#confirm-transfer").await;
    ui.find("#transfer-result[data-dry-run='false']").await;
    let moved = ui
        .api_get(&format!(
            "/api/v1/accounts/{}",
            account["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(moved["owner_id"], json!(ui.admin.user_id));
    ui.finish().await;
}
