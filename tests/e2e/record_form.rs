//! The generic record form and record page (built from the registry's field descriptions) on
//! two entities, products and accounts: a required field left empty is refused on that field
//! (422), a unique value another record has is refused there too (409), the form's sections and
//! labels are the registry's, a custom field's value saved through the form shows on the record
//! page, and a stale edit offers to reload (412).

use crate::browser::Ui;
use serde_json::{json, Value};

/// Adds a text custom field `key` to `entity` (`products`).
async fn add_text_field(ui: &Ui, entity: &str, key: &str, zh: &str) {
    ui.api_post(
        "/api/v1/custom-fields",
        json!({"entity": entity, "key": key, "type": "text", "label": {"zh": zh, "en": key}}),
    )
    .await;
}

/// The record the page shows (its id from `data-id`), read through the API.
async fn shown_record(ui: &Ui, plural: &str) -> Value {
    let id = ui
        .js(
            "return document.querySelector('.record-card').dataset.id",
            vec![],
        )
        .await;
    let id = id.as_str().expect("data-id").to_string();
    ui.api_get(&format!("/api/v1/{plural}/{id}")).await
}

/// A stale edit of `record` (someone else saved `change` first): the form says so, and
/// reloads the latest version, where `field`'s input holds `expected`.
async fn stale_edit(
    ui: &Ui,
    plural: &str,
    record: &Value,
    change: Value,
    field: &str,
    expected: &str,
) {
    let id = record["id"].as_str().expect("id");
    ui.goto(&format!("/{plural}/{id}/edit")).await;
    ui.find(".record-form").await;
    let res = ui
        .app
        .patch(&format!("/api/v1/{plural}/{id}"))
        .auth(&ui.admin.token)
        .if_match(&format!("\"{}\"", record["version"]))
        .json(&change)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    ui.fill("#f-custom-batch", "第二批").await;
    ui.click("#save").await;
    ui.find("#stale-notice").await;
    // Above a long form the notice may sit under the sticky header: bring it to the middle.
    ui.js(
        "document.querySelector('#reload-latest').scrollIntoView({block: 'center'})",
        vec![],
    )
    .await;
    ui.click("#reload-latest").await;
    ui.wait_gone("#stale-notice").await;
    ui.wait_value(&format!("#f-{field}"), expected).await;
    // Saved on the latest version, the change goes through.
    ui.fill("#f-custom-batch", "第二批").await;
    ui.click("#save").await;
    ui.wait_text(".prop[data-field='custom.batch'] dd", "第二批")
        .await;
}

#[tokio::test]
async fn the_generic_form_refuses_on_the_field_saves_custom_values_and_reloads_when_stale() {
    let Some(ui) = Ui::start().await else { return };
    add_text_field(&ui, "products", "batch", "批次").await;
    // Unique on accounts: a batch another account has is refused on its field.
    ui.api_post(
        "/api/v1/custom-fields",
        json!({"entity": "accounts", "key": "batch", "type": "text", "unique": true,
               "label": {"zh": "批次", "en": "batch"}}),
    )
    .await;
    ui.sign_in().await;

    // A product: the registry's sections and labels; without its code the server refuses the
    // code's field, and nothing else.
    ui.goto("/products/new").await;
    ui.wait_text(
        ".record-section[data-section='basic'] .field[data-field='code'] label",
        "产品代码",
    )
    .await;
    ui.find(".field[data-field='custom.batch'] #f-custom-batch")
        .await;
    ui.fill("#f-name", "通用表单香皂").await;
    ui.fill("#f-custom-batch", "首批").await;
    ui.click("#save").await;
    ui.find(".field.invalid[data-field='code'] .field-error")
        .await;
    assert_eq!(ui.count(".field[data-field='name'] .field-error").await, 0);
    ui.wait_path("/products/new").await;
    ui.shot("record-form-required").await;
    ui.fill("#f-code", "GF-01").await;
    ui.click("#save").await;
    ui.wait_text("#record-title", "通用表单香皂").await;
    ui.wait_text(".prop[data-field='custom.batch'] dd", "首批")
        .await;
    ui.wait_text(".prop[data-field='code'] dd", "GF-01").await;
    ui.shot("record-page-product").await;
    let product = shown_record(&ui, "products").await;
    assert_eq!(product["custom"]["batch"], "首批");
    stale_edit(
        &ui,
        "products",
        &product,
        json!({"unit": "箱"}),
        "unit",
        "箱",
    )
    .await;
    let product = ui
        .api_get(&format!(
            "/api/v1/products/{}",
            product["id"].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(product["unit"], "箱", "the other change is kept");
    assert_eq!(product["custom"]["batch"], "第二批");

    // An account: the same form from the account's description.
    ui.goto("/accounts/new").await;
    ui.wait_text(
        ".record-section[data-section='contact'] .field[data-field='phone'] label",
        "电话",
    )
    .await;
    ui.fill("#f-custom-batch", "首批").await;
    ui.click("#save").await;
    ui.find(".field.invalid[data-field='name'] .field-error")
        .await;
    ui.wait_path("/accounts/new").await;
    ui.fill("#f-name", "通用表单贸易有限公司").await;
    ui.fill("#f-employees", "120").await;
    ui.click("#save").await;
    ui.wait_text("#record-title", "通用表单贸易有限公司").await;
    ui.wait_text(".prop[data-field='custom.batch'] dd", "首批")
        .await;
    ui.wait_text(".prop[data-field='employees'] dd", "120")
        .await;
    ui.wait_text(".prop[data-field='class'] dd", "潜在客户")
        .await;
    ui.shot("record-page-account").await;
    let account = shown_record(&ui, "accounts").await;
    assert_eq!(account["custom"]["batch"], "首批");
    assert_eq!(account["employees"], 120);
    stale_edit(
        &ui,
        "accounts",
        &account,
        json!({"address": "深圳市南山区科技园"}),
        "address",
        "深圳市南山区科技园",
    )
    .await;
    // A unique value another account has: the 409 shows on that field, in the user's language,
    // with a link to the account that has it.
    ui.goto("/accounts/new").await;
    ui.fill("#f-name", "蓝海物流").await;
    ui.fill("#f-custom-batch", "第二批").await;
    ui.click("#save").await;
    ui.wait_text(
        ".field.invalid[data-field='custom.batch'] .field-error",
        "已被",
    )
    .await;
    ui.wait_text(
        ".field[data-field='custom.batch'] a.taken-by",
        "通用表单贸易有限公司",
    )
    .await;
    let href = ui
        .js(
            "return document.querySelector('a.taken-by').getAttribute('href')",
            vec![],
        )
        .await;
    let id = account["id"].as_str().unwrap_or_default();
    assert_eq!(href, json!(format!("/accounts/{id}")));
    ui.wait_path("/accounts/new").await;
    ui.finish().await;
}

#[tokio::test]
async fn a_deal_on_the_generic_page_moves_its_stage_and_edits_without_it() {
    let Some(ui) = Ui::start().await else { return };
    let account = ui
        .app
        .add_account(&ui.admin, json!({"name": "通用页面客户"}))
        .await;
    let deal = ui
        .api_post(
            "/api/v1/opportunities",
            json!({"name": "通用页面商机", "account_id": account["id"],
                   "amount": {"amount": "66000.00", "currency": "CNY"}}),
        )
        .await;
    let pipelines = ui.api_get("/api/v1/pipelines").await;
    let next = pipelines["data"][0]["stages"][1].clone();
    let id = deal["id"].as_str().expect("deal id").to_string();
    ui.sign_in().await;

    // The page: the deal's own values where the board names them, and its stage moved here
    // (an open stage: no reason asked) is listed in its stage changes.
    ui.goto(&format!("/opportunities/{id}")).await;
    ui.wait_text("#deal-account", "通用页面客户").await;
    ui.wait_text("#deal-amount", "66,000.00").await;
    ui.select("#move-stage", next["id"].as_str().expect("stage id"))
        .await;
    let name = next["name"].as_str().expect("stage name");
    ui.wait_text("#deal-stage", name).await;
    ui.wait_text("#stage-history", name).await;
    ui.shot("record-page-deal").await;
    let moved = ui.api_get(&format!("/api/v1/opportunities/{id}")).await;
    assert_eq!(moved["stage_id"], next["id"]);

    // Its form: no stage (moves change it), the probability empty until set by hand, and a
    // save sends only what changed.
    ui.goto(&format!("/opportunities/{id}/edit")).await;
    ui.wait_value("#f-name", "通用页面商机").await;
    assert_eq!(ui.count("#f-stage_id").await, 0);
    ui.wait_value("#f-probability", "").await;
    ui.fill("#f-competitors", "甲公司, 乙公司").await;
    ui.click("#save").await;
    ui.wait_text(".prop[data-field='competitors'] dd", "甲公司, 乙公司")
        .await;
    let saved = ui.api_get(&format!("/api/v1/opportunities/{id}")).await;
    assert_eq!(saved["competitors"], json!(["甲公司", "乙公司"]));
    assert_eq!(saved["stage_id"], next["id"], "the stage is kept");
    assert_eq!(saved["probability_overridden"], false);
    ui.finish().await;
}

#[tokio::test]
async fn a_lead_is_asked_its_disqualify_reason_only_when_disqualified() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;

    // The registry says the `disqualified` status requires the reason: asked only then.
    ui.goto("/leads/new").await;
    ui.fill("#f-name", "通用表单线索").await;
    ui.find("#f-status").await;
    assert_eq!(ui.count("#f-disqualify_reason").await, 0);
    ui.select("#f-status", "disqualified").await;
    ui.select("#f-disqualify_reason", "no_budget").await;
    ui.click("#save").await;
    ui.wait_text("#record-title", "通用表单线索").await;
    ui.wait_text(".prop[data-field='disqualify_reason'] dd", "无预算")
        .await;
    let lead = shown_record(&ui, "leads").await;
    assert_eq!(lead["disqualify_reason"], "no_budget");

    // Back to contacted: the reason is neither asked nor kept.
    let id = lead["id"].as_str().expect("id");
    ui.goto(&format!("/leads/{id}/edit")).await;
    ui.wait_value("#f-disqualify_reason", "no_budget").await;
    ui.select("#f-status", "contacted").await;
    ui.wait_gone("#f-disqualify_reason").await;
    ui.click("#save").await;
    ui.wait_text("#record-title", "已联系").await;
    assert_eq!(ui.count(".prop[data-field='disqualify_reason']").await, 0);
    let lead = ui.api_get(&format!("/api/v1/leads/{id}")).await;
    assert_eq!(lead["status"], "contacted");
    assert!(lead["disqualify_reason"].is_null(), "{lead}");
    ui.finish().await;
}
