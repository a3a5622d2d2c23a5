//! The admin settings page: the organization's neglect period, and picklists edited there and
//! offered by the record forms; who sees it; and field changes on a timeline in words.

use crate::browser::Ui;
use serde_json::json;

const SETTINGS_LINK: &str = ".main-nav a[href='/admin/settings']";

#[tokio::test]
async fn an_admin_changes_the_neglect_period_and_it_is_kept() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;
    ui.click(SETTINGS_LINK).await;
    ui.wait_path("/admin/settings").await;
    ui.wait_value("#f-neglect_days", "30").await;

    // Out of range: the server's 422 shows on the field, and nothing changes.
    ui.fill("#f-neglect_days", "5000").await;
    ui.click("#save-settings").await;
    ui.find(".field[data-field=neglect_days] .field-error")
        .await;
    let settings = ui.api_get("/api/v1/settings").await;
    assert_eq!(settings["neglect_days"], 30, "{settings}");

    ui.fill("#f-neglect_days", "14").await;
    ui.click("#save-settings").await;
    ui.find("#settings-saved").await;
    assert_eq!(
        ui.count(".field[data-field=neglect_days] .field-error")
            .await,
        0
    );
    ui.shot("settings").await;

    // Kept: after a reload the page reads it back from the server.
    ui.c.refresh().await.expect("reload");
    ui.wait_value("#f-neglect_days", "14").await;
    let settings = ui.api_get("/api/v1/settings").await;
    assert_eq!(settings["neglect_days"], 14, "{settings}");
    ui.finish().await;
}

/// The keys of the rows in the picklist editor, in display order.
async fn editor_keys(ui: &Ui) -> serde_json::Value {
    ui.js(
        "return [...document.querySelectorAll('#picklist-editor tr.picklist-value')].map(r => r.dataset.key)",
        vec![],
    )
    .await
}

/// The values the account form's industry select offers, in order.
async fn industry_options(ui: &Ui) -> serde_json::Value {
    ui.js(
        "return [...document.querySelectorAll('#f-industry option')].map(o => o.value).filter(v => v)",
        vec![],
    )
    .await
}

/// To the new-account form through the app's own links (no page load: the form must use the
/// picklist as just saved, not a copy from when the app started).
async fn open_account_form(ui: &Ui) {
    ui.click(".main-nav a[href='/accounts']").await;
    ui.click("#new-account").await;
    ui.wait_path("/accounts/new").await;
    ui.find("#f-industry option[value='manufacturing']").await;
}

#[tokio::test]
async fn a_picklist_value_added_and_moved_is_offered_by_the_form_until_deactivated() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;
    ui.click(SETTINGS_LINK).await;
    ui.click("#picklists .tab[data-list='industry']").await;
    ui.wait_path("/admin/settings?list=industry").await;
    ui.find("#picklist-editor[data-list='industry'] tr[data-key='other']")
        .await;
    // Stored keys are not editable and there is no way to remove a value.
    assert_eq!(
        ui.count("#picklist-editor tr[data-key='other'] input.key-input")
            .await,
        0
    );
    assert_eq!(ui.count("#picklist-editor .delete").await, 0);

    // A value with a key the API refuses: the 422 shows on that value's row, whose key can
    // still be corrected (it is not saved yet).
    ui.fill("#new-key", "Retail Shops").await;
    ui.fill("#new-zh", "零售").await;
    ui.fill("#new-en", "Retail").await;
    ui.click("#add-value").await;
    ui.click("#save-picklist").await;
    let bad_row = "#picklist-editor tr.picklist-value.invalid";
    ui.find(&format!(
        "{bad_row}[data-key='Retail Shops'] td.key .field-error"
    ))
    .await;
    ui.wait_text(&format!("{bad_row} td.key .field-error"), "小写字母")
        .await;
    ui.fill(&format!("{bad_row} input.key-input"), "retail")
        .await;

    // Up two places, down one: before "other". The last row cannot go further down.
    let retail = "#picklist-editor tr[data-key='retail']";
    ui.click(&format!("{retail} .move-up")).await;
    ui.click(&format!("{retail} .move-up")).await;
    ui.click(&format!("{retail} .move-down")).await;
    let last_down = ui
        .js(
            "return document.querySelector(\"#picklist-editor tr[data-key='other'] .move-down\").disabled",
            vec![],
        )
        .await;
    assert_eq!(last_down, json!(true));
    let keys = editor_keys(&ui).await;
    let keys: Vec<&str> = keys
        .as_array()
        .expect("keys")
        .iter()
        .filter_map(|k| k.as_str())
        .collect();
    assert_eq!(keys[keys.len() - 2..], ["retail", "other"], "{keys:?}");
    ui.click("#save-picklist").await;
    ui.find("#picklist-saved").await;
    ui.wait_gone(".picklist-value.invalid").await;
    ui.shot("picklist-editor").await;

    let stored = ui.api_get("/api/v1/picklists/industry").await;
    let values = stored["values"].as_array().expect("values");
    let n = values.len();
    assert_eq!(
        values[n - 2],
        json!({"key": "retail", "zh": "零售", "en": "Retail", "active": true})
    );
    assert_eq!(values[n - 1]["key"], "other");

    // The account form offers it, in its place, with its label.
    open_account_form(&ui).await;
    ui.wait_text("#f-industry option[value='retail']", "零售")
        .await;
    let options = industry_options(&ui).await;
    let options = options.as_array().expect("options");
    assert_eq!(
        options[options.len() - 2..],
        [json!("retail"), json!("other")]
    );
    ui.select("#f-industry", "retail").await;
    ui.fill("#f-name", "零售测试客户").await;
    ui.click("#save").await;
    ui.wait_path("/accounts/0").await;
    ui.wait_text("#record-title", "零售测试客户").await;

    // Deactivated: no longer offered; records that have it still read its label.
    ui.click(SETTINGS_LINK).await;
    ui.click("#picklist-editor tr[data-key='retail'] .toggle-active")
        .await;
    ui.find("#picklist-editor tr.inactive[data-key='retail']")
        .await;
    ui.click("#save-picklist").await;
    ui.find("#picklist-saved").await;
    let stored = ui.api_get("/api/v1/picklists/industry").await;
    assert!(
        stored["values"]
            .as_array()
            .expect("values")
            .iter()
            .any(|v| v["key"] == "retail" && v["active"] == false),
        "{stored}"
    );
    open_account_form(&ui).await;
    ui.wait_gone("#f-industry option[value='retail']").await;
    ui.goto("/accounts").await;
    ui.wait_text("#accounts-table", "零售").await;

    // Someone else saved the list meanwhile: the editor says so and reloads on request.
    ui.goto("/admin/settings?list=industry").await;
    ui.find("#picklist-editor tr[data-key='retail']").await;
    let mut values = stored["values"].clone();
    values[0]["zh"] = json!("制造业");
    let res = ui
        .app
        .client
        .put(ui.app.url("/api/v1/picklists/industry"))
        .bearer_auth(&ui.admin.token)
        .header("If-Match", format!("\"{}\"", stored["version"]))
        .json(&json!({ "values": values }))
        .send()
        .await
        .expect("PUT picklist");
    assert_eq!(res.status(), 200);
    ui.fill(
        "#picklist-editor tr[data-key='retail'] input.en",
        "Retail trade",
    )
    .await;
    ui.click("#save-picklist").await;
    ui.find("#stale-notice").await;
    ui.click("#reload-latest").await;
    ui.wait_gone("#stale-notice").await;
    ui.wait_value(
        "#picklist-editor tr[data-key='manufacturing'] input.zh",
        "制造业",
    )
    .await;
    ui.finish().await;
}

#[tokio::test]
async fn a_sales_user_has_no_settings_link_and_cannot_save_there() {
    let Some(ui) = Ui::start().await else { return };
    let sales = ui.app.add_user(&ui.admin, "sales", None).await;
    ui.sign_in_as(&sales).await;
    // Who is signed in is known once the name shows; only then is the admin menu decided.
    ui.wait_text(".user-name", "sales 用户").await;
    ui.find(".main-nav a[href='/duplicates']").await;
    assert_eq!(ui.count(SETTINGS_LINK).await, 0);
    assert_eq!(ui.count(".main-nav a[href='/admin/transfer']").await, 0);

    // By address: the page says changes are for admins, and the API's 403 shows as such.
    ui.goto("/admin/settings").await;
    ui.find("#admin-only").await;
    ui.wait_value("#f-neglect_days", "30").await;
    ui.fill("#f-neglect_days", "7").await;
    ui.click("#save-settings").await;
    ui.wait_text("#org-settings .notice.error", "没有执行此操作的权限")
        .await;
    ui.find("#picklist-editor tr[data-key='other']").await;
    ui.click("#save-picklist").await;
    ui.wait_text("#picklists .notice.error", "没有执行此操作的权限")
        .await;
    let settings = ui.api_get("/api/v1/settings").await;
    assert_eq!(settings["neglect_days"], 30, "{settings}");
    ui.finish().await;
}

#[tokio::test]
async fn a_timeline_names_changed_fields_and_shows_before_and_after() {
    let Some(ui) = Ui::start().await else { return };
    let account = ui
        .app
        .add_account(
            &ui.admin,
            json!({"name": "时间线字段客户", "industry": "manufacturing", "tags": ["华南"]}),
        )
        .await;
    let id = account["id"].as_str().expect("id");
    let res = ui
        .app
        .patch(&format!("/api/v1/accounts/{id}"))
        .auth(&ui.admin.token)
        .if_match("\"1\"")
        .json(&json!({"industry": "commerce", "employees": 120, "tags": ["华南", "重点"]}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    ui.sign_in().await;
    ui.goto(&format!("/accounts/{id}")).await;

    let update = "#timeline .kind-field_change .field-changes";
    ui.wait_text(
        &format!("{update} li[data-field='industry']"),
        "行业: 工业制造 → 商业贸易",
    )
    .await;
    ui.wait_text(
        &format!("{update} li[data-field='employees']"),
        "员工人数: — → 120",
    )
    .await;
    // A list is named, not spelled out.
    let tags = ui
        .wait_text(&format!("{update} li[data-field='tags']"), "标签")
        .await;
    assert!(!tags.contains('→'), "{tags}");
    // The create lists the fields it filled in, by their labels.
    let created = ui
        .wait_text("#timeline .kind-field_change .field-names", "名称")
        .await;
    assert!(
        created.contains("行业") && !created.contains("industry"),
        "{created}"
    );
    ui.js(
        "document.querySelector('#timeline .field-changes').scrollIntoView({block: 'center'})",
        vec![],
    )
    .await;
    ui.shot("timeline-field-changes").await;

    ui.click(".lang-switch button[data-locale='en']").await;
    ui.wait_text(
        &format!("{update} li[data-field='industry']"),
        "Industry: Manufacturing → Commerce & trade",
    )
    .await;
    ui.finish().await;
}
