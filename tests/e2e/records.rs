//! Records through their forms: account → contact → opportunity, validation errors on the right
//! fields, and the duplicate dialog.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn create_an_account_then_a_contact_and_an_opportunity_at_it() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;

    ui.goto("/accounts/new").await;
    ui.fill("#f-name", "丰泽日化有限公司").await;
    ui.fill("#f-annual_revenue", "3500000").await;
    ui.fill("#f-phone", "0755 8888 6666").await;
    ui.shot("account-form").await;
    ui.click("#save").await;
    let account_path = ui.wait_path("/accounts/0").await;
    ui.wait_text("#record-title", "丰泽日化有限公司").await;

    // A contact from the account's page comes preset to the account.
    ui.click("#new-contact-here").await;
    ui.wait_path("/contacts/new?account_id=").await;
    ui.fill("#f-name", "王芳").await;
    ui.fill("#f-title", "采购经理").await;
    ui.fill("#f-phones", "138 0013 8000").await;
    ui.fill("#f-emails", "Wang.Fang@Example.com").await;
    ui.shot("contact-form").await;
    ui.click("#save").await;
    ui.wait_path("/contacts/0").await;
    ui.wait_text("#record-title", "王芳").await;
    ui.wait_text("#contact-account", "丰泽日化有限公司").await;
    ui.shot("contact-detail").await;

    // An opportunity, also from the account's page, with its contact picked by name.
    ui.goto(&account_path).await;
    ui.click("#new-opportunity-here").await;
    ui.wait_path("/opportunities/new?account_id=").await;
    ui.fill("#f-name", "2027 年度包材采购").await;
    ui.fill("#f-amount", "125000").await;
    ui.fill("#f-contact_id", "王芳").await;
    ui.click(".picker-option").await;
    ui.shot("opportunity-form").await;
    ui.click("#save").await;
    ui.wait_path("/opportunities/0").await;
    ui.wait_text("#deal-amount", "125,000.00").await;
    ui.wait_text("#deal-account", "丰泽日化有限公司").await;
    ui.shot("opportunity-detail").await;

    // The account's page lists both.
    ui.goto(&account_path).await;
    ui.wait_text("#account-contacts", "王芳").await;
    ui.wait_text("#account-opportunities", "2027 年度包材采购")
        .await;
    ui.shot("account-detail").await;

    // And so do the lists, through the API the same records.
    let deals = ui.api_get("/api/v1/opportunities").await;
    assert_eq!(deals["data"][0]["name"], "2027 年度包材采购");
    assert!(
        deals["data"][0]["contact_id"].is_string(),
        "the contact was picked: {deals}"
    );
    ui.goto("/accounts").await;
    ui.wait_text("#accounts-table", "丰泽日化有限公司").await;
    ui.shot("accounts-list").await;
    ui.goto("/contacts").await;
    ui.wait_text("#contacts-table", "丰泽日化有限公司").await;
    ui.shot("contacts-list").await;
    ui.goto("/opportunities").await;
    ui.wait_text("#opportunities-table", "125,000.00").await;
    ui.shot("opportunities-list").await;
    ui.finish().await;
}

#[tokio::test]
async fn server_validation_errors_show_on_their_fields() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;

    ui.goto("/accounts/new").await;
    ui.fill("#f-name", "校验测试公司").await;
    ui.fill("#f-credit_code", "12345").await;
    ui.fill("#f-region", "99").await;
    ui.click("#save").await;
    ui.find(".field[data-field=credit_code] .field-error").await;
    ui.find(".field[data-field=region] .field-error").await;
    assert_eq!(ui.count(".field[data-field=name] .field-error").await, 0);
    ui.wait_path("/accounts/new").await;
    ui.shot("validation-error").await;

    // A contact's second email is the one marked (the server names it `emails[1]`).
    ui.goto("/contacts/new").await;
    ui.fill("#f-name", "李雷").await;
    ui.fill("#f-emails", "li.lei@example.com, not-an-email")
        .await;
    ui.click("#save").await;
    ui.wait_text(".field[data-field=emails] .field-error", "邮箱")
        .await;
    assert_eq!(ui.count(".field[data-field=phones] .field-error").await, 0);
    ui.finish().await;
}

#[tokio::test]
async fn a_duplicate_shows_the_existing_record_and_can_be_created_anyway() {
    let Some(ui) = Ui::start().await else { return };
    let existing = ui
        .app
        .add_account(&ui.admin, json!({"name": "深圳市丰泽科技有限公司"}))
        .await;
    ui.sign_in().await;

    ui.goto("/accounts/new").await;
    ui.fill("#f-name", "深圳市丰泽科技有限公司").await;
    ui.click("#save").await;
    let id = existing["id"].as_str().expect("id");
    ui.find(&format!(".dialog.duplicates li[data-id='{id}'] a"))
        .await;
    ui.shot("duplicate-dialog").await;
    ui.click("#proceed-anyway").await;
    let path = ui.wait_path("/accounts/0").await;
    assert!(!path.contains(id), "a second account was created: {path}");
    let all = ui.api_get("/api/v1/accounts?count=true").await;
    assert_eq!(all["total"], 2);
    ui.finish().await;
}

#[tokio::test]
async fn sort_and_search_live_in_the_url_and_a_stale_edit_offers_to_reload() {
    let Some(ui) = Ui::start().await else { return };
    let alpha = ui
        .app
        .add_account(
            &ui.admin,
            json!({"name": "Alpha Trading", "class": "key", "tags": ["vip"]}),
        )
        .await;
    ui.app
        .add_account(&ui.admin, json!({"name": "Beta Foods"}))
        .await;
    ui.sign_in().await;

    // Column sort: ascending, then descending, each an address of its own.
    ui.goto("/accounts").await;
    ui.click("th[data-sort='name'] a").await;
    ui.wait_path("/accounts?sort=name").await;
    ui.wait_text("#accounts-table tbody tr:first-child", "Alpha")
        .await;
    ui.click("th[data-sort='name'] a").await;
    ui.wait_path("/accounts?sort=-name").await;
    ui.wait_text("#accounts-table tbody tr:first-child", "Beta")
        .await;

    // Quick search keeps the sort and is in the address too; Back returns to the full list.
    ui.fill("#quick-search", "Beta").await;
    ui.click("#apply-filters").await;
    let at = ui.wait_path("/accounts?").await;
    assert!(at.contains("q=Beta") && at.contains("sort=-name"), "{at}");
    ui.wait_text("#list-total", "1").await;
    ui.c.back().await.expect("back");
    ui.wait_path("/accounts?sort=-name").await;
    ui.wait_text("#list-total", "2").await;

    // The filter bar: an enum filter offers the registry's values by their labels and applies
    // on change; the tag filter applies with the search; clearing keeps the sort.
    let classes = ui
        .js(
            "return [...document.querySelectorAll('#filter-class option')].map(o => o.value + '=' + o.textContent)",
            vec![],
        )
        .await;
    assert_eq!(
        classes,
        json!([
            "=全部类别",
            "potential=潜在客户",
            "target=目标客户",
            "key=重点客户"
        ])
    );
    let labels = ui
        .js(
            "return ['class', 'industry', 'source', 'owner'].map(f => document.querySelector('#filter-' + f).getAttribute('aria-label'))",
            vec![],
        )
        .await;
    assert_eq!(labels, json!(["客户类别", "行业", "来源", "负责人"]));
    ui.select("#filter-class", "key").await;
    ui.wait_path("/accounts?sort=-name&class=key").await;
    ui.wait_text("#list-total", "1").await;
    ui.wait_value("#filter-class", "key").await;
    ui.select("#filter-class", "").await;
    ui.wait_text("#list-total", "2").await;
    ui.fill("#filter-tag", "vip").await;
    ui.click("#apply-filters").await;
    ui.wait_path("/accounts?sort=-name&tags=vip").await;
    ui.wait_text("#list-total", "1").await;
    ui.wait_text("#accounts-table tbody tr:first-child", "Alpha")
        .await;
    ui.click(".clear-filters").await;
    ui.wait_text("#list-total", "2").await;
    ui.wait_value("#filter-tag", "").await;
    assert_eq!(ui.wait_path("/accounts").await, "/accounts?sort=-name");

    // Someone else saves first: the form says so and reloads the latest version on request.
    let id = alpha["id"].as_str().expect("id");
    ui.goto(&format!("/accounts/{id}/edit")).await;
    ui.find("#account-form").await;
    let res = ui
        .app
        .patch(&format!("/api/v1/accounts/{id}"))
        .auth(&ui.admin.token)
        .if_match("\"1\"")
        .json(&json!({"phone": "020 8888 1234"}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    ui.fill("#f-name", "Alpha Trading Co").await;
    ui.click("#save").await;
    ui.find("#stale-notice").await;
    ui.shot("stale-edit").await;
    ui.click("#reload-latest").await;
    ui.wait_gone("#stale-notice").await;
    let phone = ui
        .js("return document.querySelector('#f-phone').value", vec![])
        .await;
    assert_eq!(
        phone,
        json!("+862088881234"),
        "the form shows the latest version"
    );
    ui.fill("#f-name", "Alpha Trading Co").await;
    ui.click("#save").await;
    ui.wait_text("#record-title", "Alpha Trading Co").await;
    ui.finish().await;
}
