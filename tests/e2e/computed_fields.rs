//! Computed custom fields: an admin defines a roll-up (the won amount of an account's deals) and a
//! formula (a 422 on an unknown field is shown on its input) in the field editor; the record shows
//! their values, the form shows them as computed, never as inputs, and an edit keeps them.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn formula_and_roll_up_fields_are_defined_in_the_editor_and_shown_computed() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;
    ui.goto("/admin/custom-fields").await;
    ui.find("#custom-fields[data-entity='accounts']").await;

    // A roll-up: the won amount of the account's deals.
    ui.click("#new-field").await;
    ui.fill("#f-key", "won").await;
    ui.select("#f-type", "rollup").await;
    ui.fill("[id='f-label.zh']", "赢单金额").await;
    ui.fill("[id='f-label.en']", "Won amount").await;
    ui.select("#f-rollup-source", "opportunities").await;
    ui.select("#f-rollup-function", "sum").await;
    ui.fill("#f-rollup-field", "amount").await;
    ui.fill("#f-rollup-filter", "status=won").await;
    ui.click("#save-field").await;
    ui.wait_text("#custom-fields-table tr[data-key='won']", "赢单金额")
        .await;

    // A formula with an unknown field gets its 422 on the input, then is fixed.
    ui.click("#new-field").await;
    ui.fill("#f-key", "per_head").await;
    ui.select("#f-type", "formula").await;
    ui.fill("[id='f-label.zh']", "人均营收").await;
    ui.fill("[id='f-label.en']", "Revenue per employee").await;
    ui.fill("#f-formula", "annual_revenue / headcount").await;
    ui.click("#save-field").await;
    ui.wait_text(".field[data-field=formula] .field-error", "headcount")
        .await;
    ui.fill("#f-formula", "annual_revenue / employees").await;
    ui.click("#save-field").await;
    ui.wait_text("#custom-fields-table tr[data-key='per_head']", "人均营收")
        .await;
    let defined = ui.api_get("/api/v1/custom-fields?entity=accounts").await;
    let rollup = defined["data"]
        .as_array()
        .and_then(|d| d.iter().find(|f| f["key"] == "won"))
        .map(|f| f["rollup"].clone());
    assert_eq!(
        rollup,
        Some(
            json!({"source": "opportunities", "function": "sum", "field": "amount", "filter": "status=won"})
        )
    );

    // Values come from the record and its deals; the form shows them, never as inputs.
    let account = ui
        .api_post(
            "/api/v1/accounts",
            json!({"name": "计算字段测试有限公司", "employees": 4,
                   "annual_revenue": {"amount": "1000000", "currency": "CNY"}}),
        )
        .await;
    let id = account["id"].as_str().expect("id").to_string();
    let pipelines = ui.api_get("/api/v1/pipelines").await;
    let won_stage = pipelines["data"][0]["stages"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["kind"] == "won"))
        .and_then(|s| s["id"].as_str())
        .expect("a won stage")
        .to_string();
    let deal = ui
        .api_post(
            "/api/v1/opportunities",
            json!({"name": "赢下的单", "account_id": id,
                   "amount": {"amount": "88000", "currency": "CNY"}}),
        )
        .await;
    let moved = ui
        .app
        .post(&format!(
            "/api/v1/opportunities/{}/move",
            deal["id"].as_str().expect("id")
        ))
        .auth(&ui.admin.token)
        .if_match("*")
        .json(&json!({"stage_id": won_stage, "reason": "价格合适"}))
        .send()
        .await;
    assert_eq!(moved.status, 200, "{moved:?}");
    ui.goto(&format!("/accounts/{id}")).await;
    ui.wait_text(".prop[data-field='custom.won'] dd", "88,000")
        .await;
    ui.wait_text(".prop[data-field='custom.per_head'] dd", "250,000")
        .await;
    ui.click("#edit-record").await;
    ui.wait_text("#f-custom-won", "自动计算").await;
    assert_eq!(ui.count("input#f-custom-per_head").await, 0);
    // An edit of the account keeps them (they are not sent, and not refused).
    ui.fill("#f-name", "计算字段测试（集团）有限公司").await;
    ui.click("#save").await;
    ui.wait_path(&format!("/accounts/{id}")).await;
    ui.wait_text("#record-title", "集团").await;
    let saved = ui.api_get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(
        saved["custom"],
        json!({"won": "88000", "per_head": "250000"}),
        "{saved}"
    );
    ui.finish().await;
}
