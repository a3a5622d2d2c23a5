//! Workflow rules in the SPA: an admin adds a rule from the settings (on accounts, when one is
//! created in manufacturing: tell the owner and make it a key account) with its condition and
//! two actions; an account made through the API is then changed by the server's own outbox
//! worker, which its page shows by itself (the rule that ran, what it did, the new class); the
//! rule's dry run says why another account would not match, its runs list the account, and the
//! rule is turned off.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn an_admin_adds_a_rule_and_the_record_page_shows_what_it_did() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;
    ui.goto("/admin/settings").await;
    ui.wait_text("#workflow-rules-panel", "工作流规则").await;
    ui.click("#workflow-rules-link").await;
    ui.wait_path("/admin/workflow-rules").await;
    ui.wait_text("#no-rules", "还没有工作流规则").await;

    // The rule: accounts, when created, in manufacturing.
    ui.click("#new-rule").await;
    ui.wait_value("#f-entity", "account").await;
    ui.wait_value("#f-trigger", "created").await;
    ui.fill("#f-name", "制造业新客户").await;
    ui.click("#add-conditions").await;
    let condition = ".condition-row[data-index='0']";
    ui.select(&format!("{condition} .condition-field"), "industry")
        .await;
    ui.select(&format!("{condition} .condition-value"), "manufacturing")
        .await;
    // The first action is a notice to the owner; the second sets the class.
    let notify = ".action-row[data-index='0']";
    ui.wait_value(&format!("{notify} .action-type"), "notify")
        .await;
    ui.fill(&format!("{notify} .action-message"), "来了一家制造业客户")
        .await;
    ui.click("#add-action").await;
    let set = ".action-row[data-index='1']";
    ui.select(&format!("{set} .action-type"), "set_field").await;
    ui.select(&format!("{set} .action-field"), "class").await;
    ui.select(&format!("{set} .action-value"), "key").await;
    ui.shot("workflow-rule-form").await;
    ui.click("#save-rule").await;
    let row = "#workflow-rules-table tr.workflow-rule-row";
    ui.wait_text(row, "制造业新客户").await;
    ui.wait_text(&format!("{row} .entity"), "客户").await;
    ui.wait_text(&format!("{row} .trigger"), "新建时").await;
    ui.wait_text(&format!("{row} .actions-summary"), "发送通知、修改字段")
        .await;
    ui.shot("workflow-rules").await;
    let rules = ui.api_get("/api/v1/workflow-rules").await;
    let rule = &rules["data"][0];
    assert_eq!(
        rule["conditions"],
        json!([{"field": "industry", "op": null, "value": "manufacturing"}]),
        "{rules}"
    );
    assert_eq!(
        rule["actions"],
        json!([
            {"type": "notify", "to": {"type": "owner"}, "message": "来了一家制造业客户"},
            {"type": "set_field", "field": "class", "value": "key"},
        ]),
        "{rules}"
    );

    // A matching account and another; the server's outbox runs the rule on both.
    let made = ui
        .app
        .add_account(
            &ui.admin,
            json!({"name": "东莞长安五金制品有限公司", "industry": "manufacturing"}),
        )
        .await;
    let id = made["id"].as_str().expect("id").to_string();
    assert_eq!(made["class"], "potential");
    let other = ui
        .app
        .add_account(&ui.admin, json!({"name": "深圳软件服务有限公司"}))
        .await;
    let other_id = other["id"].as_str().expect("id").to_string();

    // Its page waits for the run, then shows it and reads the account again.
    ui.goto(&format!("/accounts/{id}")).await;
    ui.wait_text("#record-title", "东莞长安五金制品有限公司")
        .await;
    let run = "#workflow-runs .workflow-run[data-state='done']";
    ui.wait_text(run, "制造业新客户").await;
    ui.wait_text(&format!("{run} .badge"), "已执行").await;
    ui.wait_text(
        &format!("{run} .effects li[data-type='set_field']"),
        "客户类别：潜在客户 → 重点客户",
    )
    .await;
    ui.wait_text(
        &format!("{run} .effects li[data-type='notify']"),
        "来了一家制造业客户",
    )
    .await;
    ui.wait_text(".prop[data-field='class'] dd", "重点客户")
        .await;
    ui.wait_text("#record-approvals", "还没有审批").await;
    ui.shot("account-rules-that-ran").await;
    let after = ui.api_get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(after["class"], "key", "{after}");
    // The other one: the rule looked at it and let it be.
    ui.goto(&format!("/accounts/{other_id}")).await;
    ui.wait_text(
        "#workflow-runs .workflow-run[data-state='skipped']",
        "未满足条件",
    )
    .await;

    // The dry run: the other account would not match, and says why; the runs name both.
    ui.goto("/admin/workflow-rules").await;
    ui.click(&format!("{row} .open-rule")).await;
    ui.wait_text("#rule-panel h2", "制造业新客户").await;
    ui.wait_text("#rule-runs", "东莞长安五金制品有限公司").await;
    ui.wait_text("#rule-runs", "深圳软件服务有限公司").await;
    ui.fill("#dry-run-id", &other_id).await;
    ui.click("#run-dry-run").await;
    ui.wait_text("#dry-run-result[data-matched='false']", "不会执行")
        .await;
    ui.wait_text("#dry-run-result .run-reason", "记录不满足条件")
        .await;
    ui.fill("#dry-run-id", &id).await;
    ui.click("#run-dry-run").await;
    ui.wait_text("#dry-run-result[data-matched='true']", "会执行")
        .await;
    ui.wait_text(
        "#dry-run-result .effects li[data-type='notify']",
        "来了一家制造业客户",
    )
    .await;
    ui.shot("workflow-dry-run").await;

    // Turned off.
    ui.click(&format!("{row} .toggle-rule")).await;
    ui.wait_text(&format!("{row}[data-enabled='false'] .state"), "已停用")
        .await;
    let rules = ui.api_get("/api/v1/workflow-rules").await;
    assert_eq!(rules["data"][0]["enabled"], false, "{rules}");

    // In English.
    ui.click(".lang-switch button[data-locale='en']").await;
    ui.wait_text(&format!("{row} .trigger"), "Created").await;
    ui.goto(&format!("/accounts/{id}")).await;
    ui.wait_text("#workflow-runs h2", "Rules that ran").await;
    ui.wait_text("#workflow-runs .effects", "Class: Potential → Key")
        .await;
    ui.click(".lang-switch button[data-locale='zh-CN']").await;
    ui.finish().await;
}
