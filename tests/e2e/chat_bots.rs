//! Team-chat bots in the SPA: an admin opens the page from settings, adds a DingTalk bot (no
//! kinds and a non-http URL are refused on their inputs first) with a secret that is never shown
//! again, edits it leaving the secret empty (kept), then removes the secret, turns the bot off
//! and deletes it (asked once more).

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn an_admin_adds_edits_and_deletes_a_chat_bot() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;
    ui.goto("/admin/settings").await;
    ui.wait_text("#chat-bots-panel", "群机器人").await;
    ui.click("#chat-bots-link").await;
    ui.wait_path("/admin/chat-bots").await;
    ui.wait_text("#no-chat-bots", "还没有群机器人").await;

    // Nothing chosen, then a non-http URL: each refused on its input.
    ui.click("#new-chat-bot").await;
    ui.select("#f-platform", "dingtalk").await;
    ui.wait_text("#f-kinds", "任务提醒").await;
    ui.wait_text("#f-kinds", "记录转给我").await;
    ui.fill("#f-name", "华东销售群").await;
    ui.fill("#f-url", "ftp://oapi.dingtalk.com/robot/send")
        .await;
    ui.click("#save-chat-bot").await;
    ui.wait_text(
        ".field[data-field=kinds] .field-error",
        "请至少选择一种通知",
    )
    .await;
    ui.click("#f-kinds input[data-kind='task_overdue']").await;
    ui.click("#f-kinds input[data-kind='records_transferred']")
        .await;
    ui.click("#save-chat-bot").await;
    ui.wait_text(
        ".field[data-field=url] .field-error",
        "应以 https:// 或 http:// 开头",
    )
    .await;
    ui.shot("chat-bots-form-errors").await;
    ui.fill(
        "#f-url",
        "https://oapi.dingtalk.com/robot/send?access_token=e2e-token",
    )
    .await;
    ui.fill("#f-secret", "SECe2e-secret").await;
    ui.click("#save-chat-bot").await;

    let row = "#chat-bots-table tr.chat-bot-row";
    ui.wait_text(row, "华东销售群").await;
    ui.wait_text(&format!("{row} .platform"), "钉钉").await;
    ui.wait_text(&format!("{row} .kinds"), "任务逾期、记录转给我")
        .await;
    ui.wait_text(&format!("{row} .signed"), "已签名").await;
    ui.wait_text(&format!("{row}[data-enabled='true'] .state"), "启用")
        .await;
    ui.shot("chat-bots-list").await;
    let bots = ui.api_get("/api/v1/chat-bots").await;
    let bot = &bots["data"][0];
    assert_eq!(bot["platform"], json!("dingtalk"), "{bots}");
    assert_eq!(bot["signed"], json!(true), "{bots}");
    assert_eq!(
        bot["kinds"],
        json!(["task_overdue", "records_transferred"]),
        "{bots}"
    );
    assert!(bot.get("secret").is_none(), "{bots}");
    let id = bot["id"].as_str().expect("id").to_string();

    // Edited with the secret left empty: renamed, one more kind, still signed.
    ui.click(&format!("{row} button.edit-chat-bot")).await;
    ui.wait_value("#f-name", "华东销售群").await;
    ui.wait_value("#f-secret", "").await;
    ui.wait_text(".field[data-field=secret] .hint", "留空则保留现有密钥")
        .await;
    ui.fill("#f-name", "华东销售二群").await;
    ui.click("#f-kinds input[data-kind='task_reminder']").await;
    ui.click("#save-chat-bot").await;
    ui.wait_text(row, "华东销售二群").await;
    ui.wait_text(&format!("{row} .kinds"), "任务提醒、任务逾期、记录转给我")
        .await;
    let after = ui.api_get(&format!("/api/v1/chat-bots/{id}")).await;
    assert_eq!(after["name"], json!("华东销售二群"), "{after}");
    assert_eq!(after["signed"], json!(true), "the secret was kept: {after}");
    assert_eq!(after["kinds"].as_array().map(Vec::len), Some(3), "{after}");

    // The secret removed.
    ui.click(&format!("{row} button.edit-chat-bot")).await;
    ui.click("#f-remove-secret").await;
    ui.click("#save-chat-bot").await;
    ui.wait_text(&format!("{row} .signed"), "未签名").await;
    let after = ui.api_get(&format!("/api/v1/chat-bots/{id}")).await;
    assert_eq!(after["signed"], json!(false), "{after}");

    // Turned off.
    ui.click(&format!("{row} button.toggle-chat-bot")).await;
    ui.wait_text(&format!("{row}[data-enabled='false'] .state"), "已停用")
        .await;
    let after = ui.api_get(&format!("/api/v1/chat-bots/{id}")).await;
    assert_eq!(after["enabled"], json!(false), "{after}");

    // In English.
    ui.click(".lang-switch button[data-locale='en']").await;
    ui.wait_text(&format!("{row} .platform"), "DingTalk").await;
    ui.wait_text(
        &format!("{row} .kinds"),
        "Task reminders, Overdue tasks, Records transferred to me",
    )
    .await;
    ui.wait_text(&format!("{row} .state"), "Off").await;
    ui.click(&format!("{row} button.edit-chat-bot")).await;
    ui.wait_text("#chat-bot-form h2", "Edit bot").await;
    ui.shot("chat-bots-english").await;
    ui.click("#cancel-chat-bot").await;
    ui.click(".lang-switch button[data-locale='zh-CN']").await;

    // Deleted, once confirmed.
    ui.click(&format!("{row} button.delete-chat-bot")).await;
    ui.wait_text(&format!("{row} .delete-warning"), "尚未发出的通知")
        .await;
    ui.click(&format!("{row} button.confirm-delete")).await;
    ui.wait_text("#no-chat-bots", "还没有群机器人").await;
    let gone = ui
        .app
        .get(&format!("/api/v1/chat-bots/{id}"))
        .auth(&ui.admin.token)
        .send()
        .await;
    assert_eq!(gone.status, 404);
    ui.finish().await;
}
