//! Regions by name: a record's page and history show `湖北省 武汉市`, not `420100`, and the form
//! picks a region through province → city → district selects.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn record_pages_and_history_show_regions_by_name() {
    let Some(ui) = Ui::start().await else { return };
    let account = ui
        .app
        .add_account(
            &ui.admin,
            json!({"name": "武汉江岸贸易有限公司", "region": "420100"}),
        )
        .await;
    let id = account["id"].as_str().expect("id");
    let res = ui
        .app
        .patch(&format!("/api/v1/accounts/{id}"))
        .auth(&ui.admin.token)
        .if_match("\"1\"")
        .json(&json!({"region": "420102"}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    // Beijing's districts sit under a grouping level (市辖区), which the name leaves out.
    let lead = ui
        .api_post(
            "/api/v1/leads?force=true",
            json!({"name": "周杰", "company": "北京朝阳文化传媒", "region": "110105"}),
        )
        .await;
    ui.sign_in().await;

    ui.goto(&format!("/accounts/{id}")).await;
    let props = ui
        .wait_text(".record-card .props", "湖北省 武汉市 江岸区")
        .await;
    assert!(!props.contains("420102"), "the bare code is shown: {props}");
    let change = ".history-entry[data-action='update'] tr[data-field='region']";
    ui.wait_text(&format!("{change} .old"), "湖北省 武汉市")
        .await;
    ui.wait_text(&format!("{change} .new"), "湖北省 武汉市 江岸区")
        .await;
    let history = ui.wait_text(change, "江岸区").await;
    assert!(
        !history.contains("420100") && !history.contains("420102"),
        "the history shows codes: {history}"
    );
    ui.shot("account-region").await;
    ui.js(
        "document.querySelector('#history').scrollIntoView()",
        vec![],
    )
    .await;
    ui.shot("account-region-history").await;

    // English names, smallest place first.
    ui.click(".lang-switch button[data-locale='en']").await;
    ui.wait_text(".record-card .props", "Jiangan District, Wuhan, Hubei")
        .await;
    ui.click(".lang-switch button[data-locale='zh-CN']").await;

    let lead_id = lead["id"].as_str().expect("lead id");
    ui.goto(&format!("/leads/{lead_id}")).await;
    let props = ui.wait_text(".record-card .props", "北京市 朝阳区").await;
    assert!(
        !props.contains("110105") && !props.contains("市辖区"),
        "{props}"
    );
    ui.finish().await;
}

#[tokio::test]
async fn the_form_picks_a_region_through_the_selects() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;

    ui.goto("/accounts/new").await;
    ui.fill("#f-name", "黄石江岸物流有限公司").await;
    ui.select("#f-region-province", "420000").await;
    ui.select("#f-region-city", "420100").await;
    ui.select("#f-region-district", "420102").await;
    ui.wait_value("#f-region", "420102").await;
    ui.shot("region-form").await;
    ui.click("#save").await;
    let path = ui.wait_path("/accounts/0").await;
    ui.wait_text(".record-card .props", "湖北省 武汉市 江岸区")
        .await;
    let id = path.trim_start_matches("/accounts/").to_string();
    let saved = ui.api_get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(saved["region"], "420102");

    // Editing starts from the saved region; another city drops the district below the old one.
    ui.goto(&format!("/accounts/{id}/edit")).await;
    ui.wait_value("#f-region-province", "420000").await;
    ui.wait_value("#f-region-city", "420100").await;
    ui.wait_value("#f-region-district", "420102").await;
    ui.shot("region-form-edit").await;
    ui.select("#f-region-city", "420200").await;
    ui.wait_value("#f-region", "420200").await;
    ui.wait_value("#f-region-district", "").await;
    ui.click("#save").await;
    ui.wait_text(".record-card .props", "湖北省 黄石市").await;
    let saved = ui.api_get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(saved["region"], "420200");

    // A typed code fills the selects too; clearing empties the region.
    ui.goto(&format!("/accounts/{id}/edit")).await;
    ui.wait_value("#f-region-city", "420200").await;
    ui.fill("#f-region", "110105").await;
    ui.wait_value("#f-region-province", "110000").await;
    ui.wait_value("#f-region-district", "110105").await;
    ui.click("#f-region-clear").await;
    ui.wait_value("#f-region", "").await;
    ui.wait_gone("#f-region-city").await;
    ui.click("#save").await;
    ui.wait_gone("#account-form").await;
    let saved = ui.api_get(&format!("/api/v1/accounts/{id}")).await;
    assert_eq!(saved["region"], json!(null), "{saved}");
    ui.finish().await;
}
