//! Logging activities on a record's timeline, and my tasks (overdue first) done from the list.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn log_a_visit_and_a_task_then_finish_the_task_from_my_tasks() {
    let Some(ui) = Ui::start().await else { return };
    let account = ui
        .app
        .add_account(&ui.admin, json!({"name": "活动测试客户"}))
        .await;
    let id = account["id"].as_str().expect("id").to_string();
    ui.sign_in().await;
    ui.goto(&format!("/accounts/{id}")).await;

    // A visit, with its notes.
    ui.select("#f-activity-kind", "visit").await;
    ui.fill("#f-activity-subject", "上门拜访王经理").await;
    ui.fill("#f-activity-body", "确认下季度追加订单，两周内报价。")
        .await;
    ui.click("#log-activity-save").await;
    ui.wait_text("#timeline .timeline-item .subject", "上门拜访王经理")
        .await;

    // A subject is required: the server's 422 shows on the field.
    ui.click("#log-activity-save").await;
    ui.find("#log-activity .field[data-field=subject] .field-error")
        .await;

    // A task that is already overdue.
    ui.select("#f-activity-kind", "task").await;
    ui.fill("#f-activity-subject", "发送报价单").await;
    ui.js(
        "const el = document.querySelector('#f-activity-due'); el.value = '2026-01-05T10:00'; \
         el.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![],
    )
    .await;
    ui.click("#log-activity-save").await;
    ui.wait_text("#timeline", "发送报价单").await;
    ui.shot("account-timeline").await;

    ui.goto("/tasks").await;
    ui.wait_text("#tasks-table tbody tr.overdue", "发送报价单")
        .await;
    ui.shot("my-tasks").await;
    ui.click("#tasks-table tbody tr.overdue .mark-done").await;
    ui.wait_gone("#tasks-table tbody tr.overdue").await;
    let tasks = ui.api_get("/api/v1/tasks/mine").await;
    assert_eq!(tasks["data"].as_array().map(Vec::len), Some(0), "{tasks}");

    // The timeline shows it done; the visit counts as contact with the customer.
    ui.goto(&format!("/accounts/{id}")).await;
    ui.wait_text("#timeline .activity[data-kind='task']", "已完成")
        .await;
    let fresh = ui.api_get(&format!("/api/v1/accounts/{id}")).await;
    assert!(fresh["last_activity_at"].is_string(), "{fresh}");
    ui.finish().await;
}
