//! The language switch, the home page, global search, and phone widths.

use crate::browser::Ui;
use serde_json::json;

#[tokio::test]
async fn the_language_switch_relabels_and_reformats_and_is_remembered() {
    let Some(ui) = Ui::start().await else { return };
    ui.app
        .add_account(
            &ui.admin,
            json!({"name": "语言测试公司", "annual_revenue": {"amount": "12500.00", "currency": "CNY"}}),
        )
        .await;
    ui.sign_in().await;
    ui.goto("/accounts").await;
    ui.wait_text("#accounts-table", "¥12,500.00").await;
    ui.wait_text(".main-nav", "客户").await;

    ui.click(".lang-switch button[data-locale='en']").await;
    ui.wait_text(".main-nav", "Accounts").await;
    ui.wait_text("#accounts-table", "CN¥12,500.00").await;
    ui.wait_text("#accounts-table thead", "Annual revenue")
        .await;
    ui.shot("accounts-list-english").await;

    // Remembered across a reload.
    ui.c.refresh().await.expect("reload");
    ui.wait_text(".main-nav", "Opportunities").await;
    let lang = ui.js("return document.documentElement.lang", vec![]).await;
    assert_eq!(lang, json!("en"));

    ui.click(".lang-switch button[data-locale='zh-CN']").await;
    ui.wait_text(".main-nav", "商机").await;
    ui.finish().await;
}

#[tokio::test]
async fn home_shows_my_pipeline_and_forecast_and_slash_searches() {
    let Some(ui) = Ui::start().await else { return };
    let account = ui
        .app
        .add_account(&ui.admin, json!({"name": "首页测试客户"}))
        .await;
    ui.api_post(
        "/api/v1/opportunities",
        json!({"name": "首页商机", "account_id": account["id"],
               "amount": {"amount": "50000", "currency": "CNY"}}),
    )
    .await;
    ui.sign_in().await;
    ui.goto("/").await;
    ui.wait_text("#my-pipeline", "¥50,000.00").await;
    ui.find("#forecast").await;
    ui.find("#neglected").await;
    ui.shot("home").await;

    // `/` focuses the global search from anywhere; results are grouped by entity.
    ui.js(
        "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true}))",
        vec![],
    )
    .await;
    let focused = ui.js("return document.activeElement.id", vec![]).await;
    assert_eq!(focused, json!("global-search"));
    ui.c.active_element()
        .await
        .expect("focused")
        .send_keys("首页\u{E007}")
        .await
        .expect("type");
    ui.wait_path("/search?q=").await;
    ui.find(".result-group[data-entity='account']").await;
    ui.find(".result-group[data-entity='opportunity']").await;
    ui.shot("search").await;

    // A phone's width: lists turn into cards, the board scrolls sideways.
    ui.c.set_window_size(390, 844).await.expect("resize");
    ui.goto("/accounts").await;
    ui.wait_text("#accounts-table", "首页测试客户").await;
    ui.shot("accounts-list-phone").await;
    ui.goto("/pipeline").await;
    ui.find(".deal-card").await;
    ui.shot("pipeline-phone").await;
    ui.finish().await;
}

#[tokio::test]
async fn the_header_links_each_entity_and_unknown_collections_are_not_found() {
    let Some(ui) = Ui::start().await else { return };
    ui.sign_in().await;
    ui.goto("/").await;
    // The header's entity links come from the SPA's table of entity pages, in its order, the
    // customer pool next to the accounts (whose records wait in pools).
    ui.find(".main-nav a[href='/products']").await;
    let hrefs = ui
        .js(
            "return [...document.querySelectorAll('.main-nav a')].map(a => a.getAttribute('href'))",
            vec![],
        )
        .await;
    let hrefs: Vec<&str> = hrefs
        .as_array()
        .expect("links")
        .iter()
        .filter_map(|h| h.as_str())
        .collect();
    let entities = [
        "/leads",
        "/accounts",
        "/pools",
        "/contacts",
        "/opportunities",
        "/products",
    ];
    let at = hrefs
        .iter()
        .position(|h| *h == "/leads")
        .expect("leads link");
    assert_eq!(&hrefs[at..at + entities.len()], entities);

    // Moving from one collection to another swaps the page; the fixed pages keep their address.
    ui.click(".main-nav a[href='/contacts']").await;
    ui.find("#contacts-table").await;
    ui.click(".main-nav a[href='/accounts']").await;
    ui.find("#accounts-table").await;
    ui.goto("/tasks").await;
    ui.find(".tasks-page").await;
    assert_eq!(ui.count(".not-found").await, 0);

    for path in [
        "/no-such-things",
        "/no-such-things/new",
        "/activities/1",
        "/no-such-things/1/edit",
    ] {
        ui.goto(path).await;
        ui.wait_text(".not-found h1", "页面不存在").await;
    }
    ui.finish().await;
}
