//! Custom fields: an admin adds them to accounts on their settings page; the account form shows
//! them (a required one left empty gets its 422 next to it), a value is saved and shown on the
//! record, and the list shows it as a column and filters by it. Editing a field sends `If-Match`
//! (a stale edit offers to reload), fields move up and down, and a deactivated one keeps its
//! values, shown read-only.

use crate::browser::Ui;
use serde_json::{json, Value};

/// The keys of the admin table's rows, in display order.
async fn field_keys(ui: &Ui) -> Value {
    ui.js(
        "return [...document.querySelectorAll('#custom-fields-table tr.custom-field-row')].map(r => r.dataset.key)",
        vec![],
    )
    .await
}

/// The ids of the accounts the list shows, in order.
async fn listed(ui: &Ui) -> Value {
    ui.js(
        "return [...document.querySelectorAll('#accounts-table tbody tr')].map(r => r.dataset.id)",
        vec![],
    )
    .await
}

#[tokio::test]
async fn an_admin_adds_a_custom_field_the_form_saves_and_the_list_shows_and_filters() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;
    ui.click(".main-nav a[href='/admin/settings']").await;
    ui.click("#custom-fields-link").await;
    ui.wait_path("/admin/custom-fields").await;
    ui.find("#custom-fields[data-entity='accounts'] #no-custom-fields")
        .await;
    // The entities come from the registry: each one that takes custom fields has a tab.
    for plural in ["accounts", "contacts", "leads", "opportunities"] {
        ui.find(&format!(".tabs .tab[data-entity='{plural}']"))
            .await;
    }

    // A required, filterable number in a section of its own; a bad key is refused on its input.
    ui.click("#new-field").await;
    ui.fill("#f-key", "Budget 2026").await;
    ui.select("#f-type", "number").await;
    ui.fill("[id='f-label.zh']", "年度预算").await;
    ui.fill("[id='f-label.en']", "Annual budget").await;
    ui.fill("[id='f-help.zh']", "本年度的采购预算（元）").await;
    ui.fill("[id='f-help.en']", "This year's purchasing budget")
        .await;
    ui.fill("#f-section", "商务信息").await;
    ui.fill("#f-min", "0").await;
    ui.click("#f-required").await;
    ui.click("#f-filterable").await;
    ui.click("#save-field").await;
    ui.wait_text(".field[data-field=key] .field-error", "小写字母")
        .await;
    ui.fill("#f-key", "budget").await;
    ui.click("#save-field").await;
    ui.wait_text("#custom-fields-table tr[data-key='budget']", "年度预算")
        .await;
    ui.wait_text("#custom-fields-table tr[data-key='budget'] .flags", "必填")
        .await;

    // A filterable picklist with two options, under the built-in fields (no section).
    ui.click("#new-field").await;
    ui.fill("#f-key", "tier").await;
    ui.select("#f-type", "picklist").await;
    ui.fill("[id='f-label.zh']", "客户等级").await;
    ui.fill("[id='f-label.en']", "Tier").await;
    ui.click("#f-filterable").await;
    for (key, zh, en) in [("gold", "金牌", "Gold"), ("silver", "银牌", "Silver")] {
        ui.fill("#new-key", key).await;
        ui.fill("#new-zh", zh).await;
        ui.fill("#new-en", en).await;
        ui.click("#add-value").await;
    }
    ui.click("#save-field").await;
    ui.wait_text("#custom-fields-table tr[data-key='tier']", "客户等级")
        .await;
    ui.shot("custom-fields-admin").await;
    let fields = ui.api_get("/api/v1/custom-fields?entity=accounts").await;
    let budget = &fields["data"][0];
    assert_eq!(budget["key"], "budget", "{fields}");
    assert_eq!(
        (
            &budget["type"],
            &budget["required"],
            &budget["filterable"],
            &budget["section"],
            &budget["min"]
        ),
        (
            &json!("number"),
            &json!(true),
            &json!(true),
            &json!("商务信息"),
            &json!("0")
        ),
        "{fields}"
    );
    assert_eq!(budget["help"]["zh"], "本年度的采购预算（元）", "{fields}");
    let tier = &fields["data"][1];
    assert_eq!(tier["key"], "tier", "{fields}");
    assert_eq!(
        tier["options"],
        json!([{"key": "gold", "zh": "金牌", "en": "Gold", "active": true},
               {"key": "silver", "zh": "银牌", "en": "Silver", "active": true}]),
        "{fields}"
    );

    // The form shows both, the number in its section with its help, marked required.
    ui.click(".main-nav a[href='/accounts']").await;
    ui.click("#new-account").await;
    ui.wait_path("/accounts/new").await;
    let budget_field =
        ".custom-section[data-section='商务信息'] .field[data-field='custom.budget']";
    ui.wait_text(&format!("{budget_field} label"), "年度预算")
        .await;
    ui.wait_text(&format!("{budget_field} .hint"), "本年度的采购预算")
        .await;
    ui.find(&format!("{budget_field} label .required")).await;
    ui.find("#f-custom-tier option[value='gold']").await;

    // Left empty, the required field gets the server's 422 next to it.
    ui.fill("#f-name", "自定义字段测试有限公司").await;
    ui.click("#save").await;
    ui.wait_text(&format!("{budget_field} .field-error"), "必填")
        .await;
    ui.find(".field.invalid[data-field='custom.budget']").await;
    assert_eq!(ui.count(".field[data-field='name'] .field-error").await, 0);
    ui.shot("custom-field-required").await;
    assert_eq!(ui.app.total(&ui.admin, "accounts").await, 0);

    ui.fill("#f-custom-budget", "1,200,000").await;
    ui.select("#f-custom-tier", "gold").await;
    ui.click("#save").await;
    let page = ui.wait_path("/accounts/0").await;
    let id = page.trim_start_matches("/accounts/").to_string();
    ui.wait_text(".prop[data-field='custom.budget'] dd", "1,200,000")
        .await;
    ui.wait_text(".prop[data-field='custom.tier'] dd", "金牌")
        .await;
    ui.wait_text(".custom-values[data-section='商务信息'] h3", "商务信息")
        .await;
    ui.shot("custom-field-record").await;
    let saved = ui.api_get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(
        saved["custom"],
        json!({"budget": "1200000", "tier": "gold"}),
        "{saved}"
    );

    // A smaller budget, and none of the tiers.
    let small = ui
        .app
        .add_account(
            &ui.admin,
            json!({"name": "小预算客户有限公司", "custom": {"budget": "500"}}),
        )
        .await;
    let small = small["id"].as_str().expect("id").to_string();

    // The list: the field as a column, by the column picker.
    ui.goto("/accounts").await;
    ui.wait_text("#list-total", "2").await;
    ui.click("#column-picker summary").await;
    ui.click("#column-picker input[data-column='custom.budget']")
        .await;
    ui.wait_path("/accounts?columns=custom.budget").await;
    ui.wait_text("#accounts-table th[data-sort='custom.budget']", "年度预算")
        .await;
    let cell =
        |row: &str| format!("#accounts-table tr[data-id='{row}'] td[data-column='custom.budget']");
    ui.wait_text(&cell(&id), "1,200,000").await;
    ui.wait_text(&cell(&small), "500").await;

    // Sorted by it (ascending on the first click).
    ui.click("#accounts-table th[data-sort='custom.budget'] a")
        .await;
    ui.wait_path("/accounts?sort=custom.budget").await;
    ui.wait_text("#list-total", "2").await;
    let ascending = listed(&ui).await;
    assert_eq!(ascending, json!([small, id]), "{ascending}");

    // Filtered by it: at least 1,000 leaves the big one; the column stays.
    ui.fill("#cf-custom-budget-gte", "1000").await;
    ui.click("#apply-custom-filters").await;
    ui.wait_text("#list-total", "1").await;
    ui.wait_text(&cell(&id), "1,200,000").await;
    assert_eq!(listed(&ui).await, json!([id]));
    let here = ui.wait_path("/accounts?").await;
    assert!(
        here.contains("custom.budget%5Bgte%5D=1000") || here.contains("custom.budget[gte]=1000"),
        "{here}"
    );
    assert!(here.contains("columns=custom.budget"), "{here}");
    ui.shot("custom-field-list").await;

    // And by the picklist: silver matches none; gold the big one.
    ui.c.refresh().await.expect("reload");
    ui.wait_text("#list-total", "1").await;
    ui.wait_value("#cf-custom-budget-gte", "1000").await;
    ui.click(".clear-filters").await;
    ui.wait_text("#list-total", "2").await;
    ui.select("#cf-custom-tier", "silver").await;
    ui.find("#list-empty").await;
    ui.select("#cf-custom-tier", "gold").await;
    ui.wait_text("#list-total", "1").await;
    assert_eq!(listed(&ui).await, json!([id]));

    // A saved view keeps the columns with the query.
    ui.fill("#view-name", "金牌客户").await;
    ui.click("#save-view").await;
    ui.wait_text("#saved-views", "金牌客户").await;
    let views = ui.api_get("/api/v1/views?entity=accounts").await;
    assert_eq!(
        views["data"][0]["query"], "sort=custom.budget&custom.tier=gold",
        "{views}"
    );
    assert_eq!(
        views["data"][0]["columns"],
        json!(["custom.budget"]),
        "{views}"
    );
    ui.finish().await;
}

#[tokio::test]
async fn a_custom_field_is_edited_with_if_match_moved_and_deactivated() {
    let Some(ui) = Ui::start().await else { return };
    let define = |body: Value| ui.api_post("/api/v1/custom-fields", body);
    let budget = define(
        json!({"entity": "accounts", "key": "budget", "type": "money",
        "label": {"zh": "预算", "en": "Budget"}}),
    )
    .await;
    define(json!({"entity": "accounts", "key": "note", "type": "text",
        "label": {"zh": "备注", "en": "Note"}, "max_length": 50}))
    .await;
    let account = ui
        .app
        .add_account(
            &ui.admin,
            json!({"name": "停用字段客户有限公司",
                   "custom": {"budget": {"amount": "8800.00", "currency": "CNY"}}}),
        )
        .await;
    let account = account["id"].as_str().expect("id").to_string();
    ui.sign_in().await;
    ui.goto("/admin/custom-fields?entity=accounts").await;
    ui.wait_text("#custom-fields-table tr[data-key='note']", "备注")
        .await;
    assert_eq!(field_keys(&ui).await, json!(["budget", "note"]));

    // An edit: its key and type stay; a bound the API refuses shows on its input.
    ui.click("#custom-fields-table tr[data-key='note'] .edit-field")
        .await;
    ui.wait_value("[id='f-label.zh']", "备注").await;
    let fixed = ui
        .js(
            "return [document.querySelector('#f-key').disabled, document.querySelector('#f-type').disabled]",
            vec![],
        )
        .await;
    assert_eq!(fixed, json!([true, true]));
    ui.fill("#f-max_length", "999").await;
    ui.click("#save-field").await;
    ui.find(".field[data-field=max_length] .field-error").await;
    ui.fill("#f-max_length", "80").await;
    ui.fill("[id='f-label.zh']", "内部备注").await;
    ui.click("#save-field").await;
    ui.wait_text("#custom-fields-table tr[data-key='note']", "内部备注")
        .await;
    let note = ui.api_get("/api/v1/custom-fields?entity=accounts").await;
    assert_eq!(note["data"][1]["max_length"], 80, "{note}");
    assert_eq!(note["data"][1]["label"]["en"], "Note", "{note}");

    // Stale: changed elsewhere after the editor opened, the save gets 412 and a reload.
    ui.click("#custom-fields-table tr[data-key='budget'] .edit-field")
        .await;
    ui.wait_value("[id='f-label.zh']", "预算").await;
    let path = format!(
        "/api/v1/custom-fields/{}",
        budget["id"].as_str().unwrap_or("")
    );
    let res = ui
        .app
        .patch(&path)
        .auth(&ui.admin.token)
        .if_match(&format!("\"{}\"", budget["version"]))
        .json(&json!({"label": {"zh": "项目预算", "en": "Project budget"}}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    ui.fill("[id='f-label.zh']", "采购预算").await;
    ui.click("#save-field").await;
    ui.find("#stale-notice").await;
    ui.shot("custom-field-stale").await;
    ui.click("#reload-latest").await;
    ui.wait_value("[id='f-label.zh']", "项目预算").await;
    ui.wait_gone("#stale-notice").await;
    ui.click("#cancel-field").await;
    ui.wait_gone("#field-editor").await;
    ui.wait_text("#custom-fields-table tr[data-key='budget']", "项目预算")
        .await;

    // Moved: note first. The list is stale again (changed elsewhere): 412, reload, move.
    let current = ui.api_get(&path).await;
    let res = ui
        .app
        .patch(&path)
        .auth(&ui.admin.token)
        .if_match(&format!("\"{}\"", current["version"]))
        .json(&json!({"help": {"zh": "含税", "en": "Tax included"}}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    ui.click("#custom-fields-table tr[data-key='note'] .move-up")
        .await;
    ui.find("#stale-notice").await;
    assert_eq!(field_keys(&ui).await, json!(["budget", "note"]));
    ui.click("#reload-latest").await;
    ui.wait_gone("#stale-notice").await;
    ui.click("#custom-fields-table tr[data-key='note'] .move-up")
        .await;
    ui.wait_text("#custom-fields-table tbody tr:first-child", "内部备注")
        .await;
    assert_eq!(field_keys(&ui).await, json!(["note", "budget"]));
    let stored = ui.api_get("/api/v1/custom-fields?entity=accounts").await;
    assert_eq!(stored["data"][0]["key"], "note", "{stored}");
    assert_eq!(stored["data"][1]["key"], "budget", "{stored}");

    // Deactivated: kept, marked, its values read-only on the form.
    ui.click("#custom-fields-table tr[data-key='budget'] .toggle-active")
        .await;
    ui.find("#custom-fields-table tr.inactive[data-key='budget']")
        .await;
    let stored = ui.api_get("/api/v1/custom-fields?entity=accounts").await;
    assert_eq!(stored["data"][1]["active"], false, "{stored}");
    ui.shot("custom-field-deactivated").await;

    ui.goto(&format!("/accounts/{account}/edit")).await;
    ui.wait_text("p.readonly#f-custom-budget", "8,800.00").await;
    ui.find("input#f-custom-note").await;
    ui.fill("#f-custom-note", "老客户").await;
    ui.click("#save").await;
    ui.wait_path(&format!("/accounts/{account}")).await;
    ui.wait_text(".prop[data-field='custom.note'] dd", "老客户")
        .await;
    ui.wait_text(".prop[data-field='custom.budget'] dd", "8,800.00")
        .await;
    let saved = ui.api_get(&format!("/api/v1/accounts/{account}")).await;
    assert_eq!(
        saved["custom"],
        json!({"budget": {"amount": "8800.00", "currency": "CNY"}, "note": "老客户"}),
        "{saved}"
    );
    // A new account's form does not offer it.
    ui.goto("/accounts/new").await;
    ui.find("#f-custom-note").await;
    assert_eq!(ui.count("#f-custom-budget").await, 0);

    // Reactivated.
    ui.goto("/admin/custom-fields?entity=accounts").await;
    ui.click("#custom-fields-table tr[data-key='budget'] .toggle-active")
        .await;
    ui.wait_gone("#custom-fields-table tr.inactive").await;
    ui.finish().await;
}

/// Sets an input's value as a person's typing would (date pickers take no keystrokes alike in
/// every locale).
async fn set_value(ui: &Ui, css: &str, value: &str) {
    ui.find(css).await;
    ui.js(
        "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
         el.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![json!(css), json!(value)],
    )
    .await;
}

#[tokio::test]
async fn every_custom_field_type_has_its_input_and_reads_back_unchanged() {
    let Some(ui) = Ui::start().await else { return };
    let target = ui
        .app
        .add_account(&ui.admin, json!({"name": "查找目标有限公司"}))
        .await;
    let target = target["id"].as_str().expect("id").to_string();
    let options = json!([{"key": "a", "zh": "甲", "en": "A"}, {"key": "b", "zh": "乙", "en": "B"}]);
    for (key, def) in [
        ("note", json!({"type": "text"})),
        ("story", json!({"type": "long_text"})),
        ("size", json!({"type": "number"})),
        ("deal", json!({"type": "money"})),
        ("signed", json!({"type": "date"})),
        ("visited", json!({"type": "datetime"})),
        ("vip", json!({"type": "boolean"})),
        ("grade", json!({"type": "picklist", "options": options})),
        (
            "marks",
            json!({"type": "multi_picklist", "options": options}),
        ),
        ("manager", json!({"type": "user"})),
        ("company", json!({"type": "lookup", "target": "accounts"})),
        ("mail", json!({"type": "email"})),
        ("mobile", json!({"type": "phone"})),
        ("site", json!({"type": "url"})),
    ] {
        let mut body = def;
        body["entity"] = json!("contacts");
        body["key"] = json!(key);
        body["label"] = json!({"zh": format!("字段{key}"), "en": key});
        ui.api_post("/api/v1/custom-fields", body).await;
    }
    ui.sign_in().await;
    ui.goto("/contacts/new").await;
    ui.find("#f-custom-site").await;
    ui.fill("#f-name", "类型测试联系人").await;
    ui.fill("#f-custom-note", "重要").await;
    ui.fill("#f-custom-story", "很长的故事").await;
    ui.fill("#f-custom-size", "12.5").await;
    ui.fill("#f-custom-deal", "12500.00").await;
    set_value(&ui, "#f-custom-signed", "2026-01-05").await;
    set_value(&ui, "#f-custom-visited", "2026-01-05T09:30").await;
    ui.click("#f-custom-vip").await;
    ui.select("#f-custom-grade", "b").await;
    ui.click("#f-custom-marks input[value='a']").await;
    ui.click("#f-custom-marks input[value='b']").await;
    ui.select("#f-custom-manager", &ui.admin.user_id.to_string())
        .await;
    ui.fill("#f-custom-company", "查找目标").await;
    ui.click(".field[data-field='custom.company'] .picker-option")
        .await;
    // Chosen, the list closes and stays closed (a search still under way does not reopen it).
    ui.wait_gone(".field[data-field='custom.company'] .picker-options")
        .await;
    ui.fill("#f-custom-mail", "Wang.Fang@Example.com").await;
    ui.fill("#f-custom-mobile", "138 0013 8000").await;
    // Refused by the server: the 422 shows on that input only.
    ui.fill("#f-custom-site", "ftp://example.com").await;
    ui.click("#save").await;
    ui.wait_text(".field[data-field='custom.site'] .field-error", "网址")
        .await;
    assert_eq!(ui.count(".field.invalid").await, 1);
    ui.fill("#f-custom-site", "https://example.com/kehu").await;
    ui.shot("custom-field-types").await;
    ui.click("#save").await;
    let page = ui.wait_path("/contacts/0").await;
    let id = page.trim_start_matches("/contacts/").to_string();

    let saved = ui.api_get(&format!("/api/v1/contacts/{id}")).await;
    let custom = &saved["custom"];
    let visited = ui
        .js(
            "return new Date('2026-01-05T09:30').toISOString().replace('.000Z', 'Z')",
            vec![],
        )
        .await;
    assert_eq!(
        custom,
        &json!({
            "note": "重要", "story": "很长的故事", "size": "12.5",
            "deal": {"amount": "12500.00", "currency": "CNY"},
            "signed": "2026-01-05", "visited": visited, "vip": true, "grade": "b",
            "marks": ["a", "b"], "manager": ui.admin.user_id.to_string(), "company": target,
            "mail": "wang.fang@example.com", "mobile": "+8613800138000",
            "site": "https://example.com/kehu",
        }),
        "{saved}"
    );

    // The record page: options by label, the user by name, the lookup as a link to its record.
    ui.wait_text(".prop[data-field='custom.marks'] dd", "甲, 乙")
        .await;
    ui.wait_text(".prop[data-field='custom.vip'] dd", "是")
        .await;
    ui.wait_text(".prop[data-field='custom.manager'] dd", "(我)")
        .await;
    ui.wait_text(
        &format!(".prop[data-field='custom.company'] a[href='/accounts/{target}']"),
        "查找目标有限公司",
    )
    .await;
    ui.shot("custom-field-types-record").await;

    // Edited without a change, every input reads its value back as stored: nothing is sent.
    ui.click("#edit-record").await;
    ui.wait_path(&format!("/contacts/{id}/edit")).await;
    ui.wait_value("#f-custom-visited", "2026-01-05T09:30").await;
    ui.wait_value("#f-custom-company", "查找目标有限公司").await;
    ui.click("#save").await;
    ui.wait_path(&format!("/contacts/{id}")).await;
    ui.wait_text("#record-title", "类型测试联系人").await;
    let again = ui.api_get(&format!("/api/v1/contacts/{id}")).await;
    assert_eq!(again["version"], saved["version"], "{again}");

    // One value changed: only it is in the change.
    ui.click("#edit-record").await;
    ui.fill("#f-custom-size", "13").await;
    ui.click("#save").await;
    ui.wait_text(".prop[data-field='custom.size'] dd", "13")
        .await;
    let history = ui.api_get(&format!("/api/v1/contacts/{id}/history")).await;
    let changed: Vec<&str> = history["data"][0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert_eq!(changed, ["custom.size"], "{history}");
    // The page's history names it by its label, its values as the field reads them.
    ui.wait_text("#history tr[data-field='custom.size']", "字段size")
        .await;
    ui.wait_text("#history tr[data-field='custom.size'] td.old", "12.5")
        .await;
    ui.finish().await;
}
