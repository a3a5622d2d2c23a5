//! Lead conversion: the dialog, a duplicate account linked instead of created, the result.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn converting_a_lead_links_the_duplicate_account_and_opens_a_deal() {
    let Some(ui) = Ui::start().await else { return };
    let existing = ui
        .app
        .add_account(&ui.admin, json!({"name": "广州白云日化有限公司"}))
        .await;
    let lead = ui
        .api_post(
            "/api/v1/leads?force=true",
            json!({"name": "赵敏", "company": "广州白云日化有限公司", "title": "采购总监",
                   "phone": "13911112222", "email": "zhao.min@baiyun.example"}),
        )
        .await;
    let lead_id = lead["id"].as_str().expect("lead id").to_string();

    ui.sign_in().await;
    ui.goto("/leads").await;
    ui.wait_text("#leads-table", "赵敏").await;
    ui.shot("leads-list").await;
    ui.click(&format!("#leads-table tr[data-id='{lead_id}'] a"))
        .await;
    ui.wait_path(&format!("/leads/{lead_id}")).await;
    ui.click("#convert-lead").await;
    ui.find("#convert-dialog").await;
    ui.fill("#convert-deal-amount", "200000").await;
    ui.shot("lead-convert-dialog").await;
    ui.click("#confirm-convert").await;

    // The company exists as an account: the dialog offers it, and linking it converts into it.
    let account_id = existing["id"].as_str().expect("account id");
    let candidate = format!(".dialog.duplicates li[data-id='{account_id}']");
    ui.find(&candidate).await;
    ui.shot("lead-convert-duplicate").await;
    ui.click(&format!("{candidate} .use-candidate")).await;
    ui.wait_gone(".dialog.duplicates").await;
    ui.click("#confirm-convert").await;
    ui.wait_path(&format!("/accounts/{account_id}")).await;
    ui.wait_text("#account-contacts", "赵敏").await;
    ui.wait_text("#account-opportunities", "¥200,000.00").await;

    let converted = ui.api_get(&format!("/api/v1/leads/{lead_id}")).await;
    assert_eq!(converted["status"], "converted");
    assert_eq!(converted["account_id"], existing["id"]);
    assert!(
        converted["opportunity_id"].is_string(),
        "a deal was opened: {converted}"
    );
    let accounts = ui.api_get("/api/v1/accounts?count=true").await;
    assert_eq!(accounts["total"], 1, "no second account was created");

    // The lead's page now links to what it became.
    ui.goto(&format!("/leads/{lead_id}")).await;
    ui.find("#converted-notice #converted-account").await;
    assert_eq!(ui.count("#convert-lead").await, 0);
    ui.finish().await;
}
