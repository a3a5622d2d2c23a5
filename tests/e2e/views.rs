//! Saved list views: a filtered list saved under a name, shared, and opened again from the list.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn a_filtered_list_is_saved_as_a_view_and_opened_again() {
    let Some(ui) = Ui::start().await else { return };
    ui.app
        .add_account(
            &ui.admin,
            json!({"name": "视图重点客户有限公司", "class": "key"}),
        )
        .await;
    ui.app
        .add_account(&ui.admin, json!({"name": "视图普通客户有限公司"}))
        .await;
    ui.sign_in().await;

    ui.goto("/accounts?class=key").await;
    ui.wait_text("#list-total", "1").await;
    ui.fill("#view-name", "重点客户").await;
    ui.click("#view-shared").await;
    ui.click("#save-view").await;
    ui.wait_text("#saved-views", "重点客户").await;
    ui.shot("saved-view").await;
    let saved = ui.api_get("/api/v1/views?entity=accounts").await;
    assert_eq!(saved["data"][0]["query"], "class=key", "{saved}");
    assert_eq!(saved["data"][0]["shared"], true, "{saved}");

    ui.goto("/accounts").await;
    ui.wait_text("#list-total", "2").await;
    let id = saved["data"][0]["id"].as_str().expect("id").to_string();
    ui.select("#saved-views", &id).await;
    ui.wait_path("/accounts?class=key").await;
    ui.wait_text("#list-total", "1").await;
    ui.finish().await;
}
