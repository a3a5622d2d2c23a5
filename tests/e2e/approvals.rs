//! Approvals in the SPA. An approver opens "my approvals" from the header, finds the approval a
//! sales rep submitted (through the API) waiting, reads the change asked for and approves it
//! with a comment: the approval is granted, the trail says so, and the deal moved. And an admin
//! sets up a process from the settings; the rep's stage move it guards is refused, offered for
//! approval, submitted with a comment, and then withdrawn from its page.

use crate::browser::Ui;
use serde_json::{json, Value};
use testkit::Session;

/// The default pipeline's stage ids, in order.
async fn stages(ui: &Ui) -> Vec<String> {
    let pipelines = ui.api_get("/api/v1/pipelines").await;
    pipelines["data"][0]["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_string())
        .collect()
}

/// A deal of `who`'s, at its first stage; its id.
async fn deal(ui: &Ui, who: &Session, name: &str) -> String {
    let account = ui
        .app
        .add_account(who, json!({"name": format!("{name}客户有限公司")}))
        .await;
    let res = ui
        .app
        .post("/api/v1/opportunities")
        .auth(&who.token)
        .json(&json!({"name": name, "account_id": account["id"],
                      "amount": {"amount": "300000", "currency": "CNY"}}))
        .send()
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    res.body["id"].as_str().expect("id").to_string()
}

async fn get_as(ui: &Ui, who: &Session, path: &str) -> Value {
    let res = ui.app.get(path).auth(&who.token).send().await;
    assert_eq!(res.status, 200, "GET {path}: {}", res.body);
    res.body
}

#[tokio::test]
async fn an_approver_approves_from_the_inbox_and_the_deal_moves() {
    let Some(ui) = Ui::start().await else { return };
    let approver = ui.app.add_user(&ui.admin, "manager", None).await;
    let rep = ui.app.add_user(&ui.admin, "sales", None).await;
    let negotiation = stages(&ui).await[3].clone();
    let process = ui
        .api_post(
            "/api/v1/approval-processes",
            json!({
                "entity": "opportunity", "name": "大额商机审批",
                "guards": [{"field": "stage_id", "to": [negotiation]}],
                "fields": ["stage_id"],
                "steps": [{"name": "经理审批", "mode": "any",
                           "approvers": {"type": "users", "user_ids": [approver.user_id]}}],
            }),
        )
        .await;
    let id = deal(&ui, &rep, "华南大单").await;
    let submitted = ui
        .app
        .post("/api/v1/approvals")
        .auth(&rep.token)
        .json(&json!({"process_id": process["id"], "record_id": id,
                      "proposed": {"stage_id": negotiation, "reason": "客户已确认预算"},
                      "comment": "请经理审批"}))
        .send()
        .await;
    assert_eq!(submitted.status, 201, "{}", submitted.body);
    let approval = submitted.body["id"].as_str().expect("id").to_string();

    // The approver: "my approvals" in the header, waiting for them.
    ui.sign_in_as(&approver).await;
    ui.click("#approvals-link").await;
    ui.wait_path("/approvals").await;
    let row = format!("#approvals-table tr.approval-row[data-id='{approval}']");
    ui.wait_text(&row, "大额商机审批").await;
    ui.wait_text(&format!("{row} .record"), "华南大单").await;
    ui.wait_text(&format!("{row} .state"), "审批中").await;
    ui.shot("approvals-inbox").await;

    // Its page: the change asked for, the step, the trail so far.
    ui.click(&format!("{row} a.open-approval")).await;
    ui.wait_path(&format!("/approvals/{approval}")).await;
    ui.wait_text("#approval-title", "大额商机审批").await;
    ui.wait_text("#approval-title", "审批中").await;
    ui.wait_text("#proposed tr[data-field='stage_id']", "谈判审核")
        .await;
    ui.wait_text(
        &format!(
            "#approval-steps .approval-task[data-approver='{}']",
            approver.user_id
        ),
        "待审批",
    )
    .await;
    ui.wait_text("#approval-trail", "请经理审批").await;
    ui.find("#decision-panel #approve").await;
    ui.shot("approval-page").await;

    // Approved with a comment: granted, and the deal moved.
    ui.fill("#decision-comment", "同意推进谈判").await;
    ui.click("#approve").await;
    ui.wait_text("#approval-title", "已通过").await;
    ui.wait_text(
        "#approval-trail .trail-entry[data-action='approve']",
        "同意推进谈判",
    )
    .await;
    ui.wait_text("#approval-trail", "审批通过，变更已生效")
        .await;
    assert_eq!(ui.count("#decision-panel").await, 0);
    ui.shot("approval-approved").await;
    let after = get_as(&ui, &rep, &format!("/api/v1/opportunities/{id}")).await;
    assert_eq!(after["stage_id"], json!(negotiation), "{after}");
    ui.click("#approval-record a").await;
    ui.wait_path(&format!("/opportunities/{id}")).await;
    ui.wait_text("#deal-stage", "谈判审核").await;
    ui.wait_text(
        &format!("#record-approvals tr.approval-row[data-id='{approval}']"),
        "已通过",
    )
    .await;

    // Nothing waits any more.
    ui.goto("/approvals").await;
    ui.wait_text("#no-approvals", "没有等待你审批的事项").await;
    ui.click("#approval-tabs a[data-tab='all']").await;
    ui.wait_text(&row, "已通过").await;
    ui.finish().await;
}

#[tokio::test]
async fn an_admin_sets_up_a_process_and_a_guarded_move_is_submitted_for_approval() {
    let Some(ui) = Ui::start().await else { return };
    let approver = ui.app.add_user(&ui.admin, "manager", None).await;
    let rep = ui.app.add_user(&ui.admin, "sales", None).await;
    let all = stages(&ui).await;
    let (first, negotiation) = (all[0].clone(), all[3].clone());
    let id = deal(&ui, &rep, "华东大单").await;

    // The process, from the settings: moving into negotiation needs the approver.
    ui.sign_in().await;
    ui.goto("/admin/settings").await;
    ui.click("#approval-processes-link").await;
    ui.wait_path("/admin/approval-processes").await;
    ui.wait_text("#no-processes", "还没有审批流程").await;
    ui.click("#new-process").await;
    ui.wait_value("#f-entity", "opportunity").await;
    ui.fill("#f-name", "谈判阶段审批").await;
    let guard = ".guard-row[data-index='0']";
    ui.select(&format!("{guard} .guard-field"), "stage_id")
        .await;
    ui.click(&format!(
        "{guard} input.guard-value[data-value='{negotiation}']"
    ))
    .await;
    let step = ".step-row[data-index='0']";
    ui.fill(&format!("{step} .step-name"), "经理审批").await;
    ui.select(&format!("{step} .step-approvers"), "users").await;
    ui.select("#step-0-users-add", &approver.user_id.to_string())
        .await;
    ui.find(&format!(
        "#step-0-users li.chip[data-user='{}']",
        approver.user_id
    ))
    .await;
    ui.shot("approval-process-form").await;
    ui.click("#save-process").await;
    let row = "#processes-table tr.process-row";
    ui.wait_text(row, "谈判阶段审批").await;
    ui.wait_text(&format!("{row} .guards"), "阶段 → 谈判审核")
        .await;
    ui.wait_text(&format!("{row} .steps"), "经理审批").await;
    ui.shot("approval-processes").await;
    let processes = ui.api_get("/api/v1/approval-processes").await;
    let p = &processes["data"][0];
    assert_eq!(
        p["guards"],
        json!([{"field": "stage_id", "to": [negotiation]}])
    );
    assert_eq!(p["fields"], json!(["stage_id"]));
    assert_eq!(
        p["steps"][0]["approvers"],
        json!({"type": "users", "user_ids": [approver.user_id]})
    );
    ui.click("#sign-out").await;
    ui.wait_path("/login").await;

    // The rep moves the deal: refused, offered for approval, submitted.
    ui.sign_in_as(&rep).await;
    ui.goto(&format!("/opportunities/{id}")).await;
    ui.wait_text("#record-title", "华东大单").await;
    ui.select("#move-stage", &negotiation).await;
    ui.wait_text("#approval-offer", "此变更需要审批：「谈判阶段审批」")
        .await;
    // The stage shown is the deal's still.
    ui.wait_value("#move-stage", &first).await;
    ui.fill("#approval-comment", "客户要求本周进入谈判").await;
    ui.shot("approval-offer").await;
    ui.click("#submit-approval").await;
    ui.wait_text("#approval-submitted", "已提交审批").await;
    let deal_now = get_as(&ui, &rep, &format!("/api/v1/opportunities/{id}")).await;
    assert_ne!(deal_now["stage_id"], json!(negotiation), "not moved yet");
    ui.click("#approval-link").await;
    ui.wait_path("/approvals/").await;
    ui.wait_text("#approval-title", "审批中").await;
    ui.wait_text("#proposed tr[data-field='stage_id']", "谈判审核")
        .await;
    ui.wait_text("#approval-trail", "客户要求本周进入谈判")
        .await;
    // The rep decides nothing here, but may withdraw it.
    assert_eq!(ui.count("#approve").await, 0);
    ui.click("#cancel-approval").await;
    ui.wait_text("#approval-title", "已撤回").await;
    let mine = get_as(&ui, &rep, "/api/v1/approvals").await;
    assert_eq!(mine["data"][0]["state"], "cancelled", "{mine}");
    ui.finish().await;
}
