//! Notifications in the SPA: an admin makes a sales user the owner of an account (through the
//! API); signed in, the sales user sees the bell's count, opens the panel, sees the notice and
//! follows it to the account, read. More notices are marked read at once in the inbox, and a
//! kind turned off in the preferences is off on the server, and gives no notice while it is.

use crate::browser::Ui;
use domain::notification::{NotificationKind, CHANNELS};
use serde_json::{json, Value};
use testkit::Session;

/// Makes `to` the owner of the account `id`, as the admin.
async fn give(ui: &Ui, id: &str, to: &Session) {
    let res = ui
        .app
        .patch(&format!("/api/v1/accounts/{id}"))
        .auth(&ui.admin.token)
        .if_match("*")
        .json(&json!({"owner_id": to.user_id}))
        .send()
        .await;
    assert_eq!(res.status, 200, "PATCH owner_id: {}", res.body);
}

/// A JSON call to the API as `who`.
async fn get_as(ui: &Ui, who: &Session, path: &str) -> Value {
    let res = ui.app.get(path).auth(&who.token).send().await;
    assert_eq!(res.status, 200, "GET {path}: {}", res.body);
    res.body
}

async fn account(ui: &Ui, name: &str) -> String {
    let a = ui.app.add_account(&ui.admin, json!({"name": name})).await;
    a["id"].as_str().expect("account id").to_string()
}

#[tokio::test]
async fn the_bell_leads_to_a_record_given_to_me_and_kinds_can_be_turned_off() {
    let Some(ui) = Ui::start().await else { return };
    let sales = ui.app.add_user(&ui.admin, "sales", None).await;
    let first = account(&ui, "丰泽香皂有限公司").await;
    give(&ui, &first, &sales).await;
    let count = get_as(&ui, &sales, "/api/v1/notifications/unread-count").await;
    assert_eq!(count["unread"], json!(1), "{count}");

    // The bell counts it; its panel shows it, unread, in Chinese.
    ui.sign_in_as(&sales).await;
    ui.wait_text("#notification-count", "1").await;
    ui.shot("notifications-bell").await;
    ui.click("#notification-bell").await;
    let unread = "#notification-panel li.notification.unread";
    ui.wait_text(unread, "将「丰泽香皂有限公司」转给了你").await;
    ui.wait_text(&format!("{unread} .notification-time"), "刚刚")
        .await;
    ui.shot("notifications-panel").await;

    // Followed: the account's page, the notice read, the badge gone.
    ui.click(&format!("{unread} button.notification-open"))
        .await;
    ui.wait_path(&format!("/accounts/{first}")).await;
    ui.wait_text("#record-title", "丰泽香皂有限公司").await;
    ui.wait_gone("#notification-count").await;
    let count = get_as(&ui, &sales, "/api/v1/notifications/unread-count").await;
    assert_eq!(count["unread"], json!(0), "{count}");
    let all = get_as(&ui, &sales, "/api/v1/notifications").await;
    assert!(all["data"][0]["read_at"].is_string(), "{all}");

    // Two more: counted when the bell is opened again, then all read at once in the inbox.
    let second = account(&ui, "华东贸易有限公司").await;
    let third = account(&ui, "北方重工集团").await;
    give(&ui, &second, &sales).await;
    give(&ui, &third, &sales).await;
    ui.click("#notification-bell").await;
    ui.wait_text("#notification-count", "2").await;
    ui.wait_text("#notification-panel", "北方重工集团").await;
    ui.click("#all-notifications").await;
    ui.wait_path("/notifications").await;
    ui.wait_text("#notification-tabs .tab.active", "未读").await;
    ui.wait_text("#inbox li.notification.unread", "北方重工集团")
        .await;
    assert_eq!(ui.count("#inbox li.notification").await, 2);
    ui.wait_text("#inbox li.notification .notification-kind", "记录转给我")
        .await;
    ui.shot("notifications-inbox").await;
    ui.click("#inbox-mark-all-read").await;
    ui.wait_text("#no-notifications", "没有未读通知").await;
    ui.wait_gone("#notification-count").await;
    ui.click("#notification-tabs .tab[data-tab='all']").await;
    ui.wait_path("/notifications?tab=all").await;
    ui.wait_text("#inbox", "丰泽香皂有限公司").await;
    assert_eq!(ui.count("#inbox li.notification").await, 3);
    assert_eq!(ui.count("#inbox li.notification.unread").await, 0);

    // Preferences: records given to me, off in the app.
    let off = "#preferences-table input[data-kind='records_transferred'][data-channel='in_app']";
    ui.wait_text(
        "#preferences-table tr[data-kind='records_transferred']",
        "记录转给我",
    )
    .await;
    ui.wait_text("#preferences-table thead", "群机器人").await;
    ui.click(off).await;
    ui.click("#save-preferences").await;
    ui.wait_text("#preferences-saved", "已保存").await;
    ui.shot("notifications-preferences").await;
    let prefs = get_as(&ui, &sales, "/api/v1/notification-preferences").await;
    let data = prefs["data"].as_array().expect("preferences");
    let every = NotificationKind::ALL.len() * CHANNELS.len();
    assert_eq!(data.len(), every, "each kind on each channel: {prefs}");
    for p in data {
        let turned_off = p["kind"] == "records_transferred" && p["channel"] == "in_app";
        assert_eq!(p["enabled"], json!(!turned_off), "{p}");
    }
    // While it is off, a record given to me brings no notice.
    let fourth = account(&ui, "南方电子有限公司").await;
    give(&ui, &fourth, &sales).await;
    let count = get_as(&ui, &sales, "/api/v1/notifications/unread-count").await;
    assert_eq!(count["unread"], json!(0), "{count}");

    // In English: the page, the preferences and the panel.
    ui.click(".lang-switch button[data-locale='en']").await;
    ui.wait_text("#notification-preferences h2", "Notification settings")
        .await;
    ui.wait_text(
        "#preferences-table tr[data-kind='records_transferred']",
        "Records transferred to me",
    )
    .await;
    ui.wait_text("#inbox", "made you the owner of “丰泽香皂有限公司”")
        .await;
    let checked = ui
        .js(
            "return document.querySelector(arguments[0]).checked",
            vec![json!(off)],
        )
        .await;
    assert_eq!(checked, json!(false));
    ui.shot("notifications-english").await;
    ui.click("#notification-bell").await;
    ui.wait_text("#notification-panel", "Mark all read").await;
    ui.wait_text("#notification-panel", "made you the owner of")
        .await;
    ui.shot("notifications-panel-english").await;
    // The bell closes it again.
    ui.click("#notification-bell").await;
    ui.wait_gone("#notification-panel").await;
    ui.click(".lang-switch button[data-locale='zh-CN']").await;
    ui.finish().await;
}
