//! The lists' totals row and their projected rows: the deals list, with more deals than one
//! page, sums the amounts (per currency) and a custom number column over every deal matching
//! its filters, not only the loaded page, and asks the API for the shown columns only.

use crate::browser::Ui;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The query parameters of every request the page made to the deals list, in order.
async fn list_requests(ui: &Ui) -> Vec<Value> {
    let found = ui
        .js(
            "return performance.getEntriesByType('resource')
                .map(e => new URL(e.name))
                .filter(u => u.pathname === '/api/v1/opportunities')
                .map(u => Object.fromEntries(u.searchParams))",
            vec![],
        )
        .await;
    found.as_array().cloned().unwrap_or_default()
}

/// The names of a comma-separated parameter.
fn names(v: &Value) -> BTreeSet<String> {
    v.as_str()
        .unwrap_or_default()
        .split(',')
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn the_deals_list_sums_every_matching_deal_and_fetches_only_its_columns() {
    let Some(ui) = Ui::start().await else { return };
    for (key, kind, zh, en) in [
        ("budget", "number", "预算", "Budget"),
        ("note", "text", "备注", "Note"),
        ("region_code", "text", "区域代码", "Region code"),
    ] {
        ui.api_post(
            "/api/v1/custom-fields",
            json!({"entity": "opportunities", "key": key, "type": kind,
                   "label": {"zh": zh, "en": en}}),
        )
        .await;
    }
    let account = ui
        .app
        .add_account(&ui.admin, json!({"name": "合计测试客户有限公司"}))
        .await;
    // 55 deals in yuan and 5 in dollars: more than one page (50).
    for n in 1..=60 {
        let (name, amount, currency, budget) = if n <= 55 {
            (format!("年度采购 {n}"), "1000.00", "CNY", n.to_string())
        } else {
            (format!("服务合同 {n}"), "200.50", "USD", "10".to_string())
        };
        ui.api_post(
            "/api/v1/opportunities",
            json!({"name": name, "account_id": account["id"],
                   "amount": {"amount": amount, "currency": currency},
                   "custom": {"budget": budget, "note": "长备注文字", "region_code": "GD"}}),
        )
        .await;
    }
    ui.sign_in().await;

    // The budget and the note as columns: the totals row sums the amounts per currency and the
    // budgets over all 60 deals, while one page of 50 is loaded.
    ui.goto("/opportunities?columns=custom.budget,custom.note")
        .await;
    ui.wait_text("#list-total", "60").await;
    ui.wait_text("#list-sums th", "合计").await;
    let amount = "#list-sums td[data-column='amount']";
    ui.wait_text(amount, "¥55,000.00").await;
    ui.wait_text(amount, "US$1,002.50").await;
    let budget = "#list-sums td[data-column='custom.budget']";
    ui.wait_text(budget, "1,590").await; // 1 + … + 55, and 5 × 10
    assert_eq!(ui.count("#opportunities-table tbody tr").await, 50);
    let note = ui
        .wait_text("#list-sums td[data-column='custom.note']", "")
        .await;
    assert_eq!(note, "", "a text column has no sum");
    ui.shot("list-totals").await;

    // The list asked for what it shows: its columns and the two custom ones, not the third
    // custom field nor the deals' other fields; sums of the amount and the budget only.
    let requests = list_requests(&ui).await;
    let firsts = requests.iter().filter(|r| r["count"] == "true").count();
    assert_eq!(
        firsts, 1,
        "one first page, once the custom fields are known: {requests:?}"
    );
    let first = requests
        .iter()
        .find(|r| r["count"] == "true")
        .unwrap_or_else(|| panic!("no first-page request: {requests:?}"));
    let expected: BTreeSet<String> = [
        "name",
        "account_id",
        "stage_id",
        "status",
        "amount",
        "probability",
        "expected_close",
        "owner_id",
        "custom.budget",
        "custom.note",
    ]
    .map(str::to_string)
    .into();
    assert_eq!(names(&first["fields"]), expected, "{first}");
    assert_eq!(first["totals"], "amount,custom.budget", "{first}");

    // The next page leaves the sums as they are, and is not summed again.
    ui.click("#load-more").await;
    ui.find("#opportunities-table tbody tr:nth-child(60)").await;
    ui.wait_gone("#load-more").await; // the last page
    assert_eq!(ui.count("#opportunities-table tbody tr").await, 60);
    ui.wait_text(amount, "¥55,000.00").await;
    ui.wait_text(budget, "1,590").await;
    let requests = list_requests(&ui).await;
    let next = requests
        .iter()
        .find(|r| r.get("cursor").is_some())
        .unwrap_or_else(|| panic!("no next-page request: {requests:?}"));
    assert_eq!(names(&next["fields"]), expected, "{next}");
    assert!(next.get("totals").is_none(), "{next}");

    // Filtered to the dollar deals, the sums are theirs.
    ui.fill("#quick-search", "服务合同").await;
    ui.click("#apply-filters").await;
    ui.wait_text("#list-total", "5").await;
    let filtered = ui.wait_text(budget, "50").await;
    assert_eq!(filtered, "50");
    let dollars = ui.wait_text(amount, "US$1,002.50").await;
    assert!(!dollars.contains('¥'), "{dollars}");
    ui.shot("list-totals-filtered").await;

    // Without custom columns, the list fetches the built-in ones only and sums the amount.
    ui.goto("/opportunities").await;
    ui.wait_text("#list-total", "60").await;
    ui.wait_text(amount, "¥55,000.00").await;
    assert_eq!(
        ui.count("#list-sums td[data-column='custom.budget']").await,
        0
    );
    let requests = list_requests(&ui).await;
    let last = requests.last().expect("a request");
    assert!(
        !last["fields"]
            .as_str()
            .unwrap_or_default()
            .contains("custom."),
        "{last}"
    );
    assert_eq!(last["totals"], "amount", "{last}");

    // A filter that matches nothing has no totals row.
    ui.select("#filter-status", "won").await;
    ui.find("#list-empty").await;
    assert_eq!(ui.count("#list-sums").await, 0);
    ui.finish().await;
}
