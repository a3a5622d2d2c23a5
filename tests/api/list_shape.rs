//! What a list returns besides its rows' order: `fields=` (only the columns a client shows) and
//! `totals=` (number and money fields summed over every matching record the caller can see,
//! one sum per currency), for built-in and custom fields alike.

use crate::custom_fields::field;
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn fields_return_only_the_columns_asked_for() {
    let app = TestApp::spawn().await;
    let admin = app.signup("列").await;
    field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "budget", "type": "number", "label": {"zh": "预算", "en": "Budget"}}),
    )
    .await;
    app.add_account(
        &admin,
        json!({"name": "丰泽", "phone": "0755-88886666", "custom": {"budget": 5}}),
    )
    .await;
    let res = app
        .get("/api/v1/accounts?fields=name,owner_id,custom.budget&sort=name")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let row = &res.data()[0];
    let mut keys: Vec<&str> = row
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort();
    assert_eq!(
        keys,
        ["custom", "id", "name", "owner_id", "version"],
        "{row}"
    );
    assert_eq!(row["custom"], json!({"budget": "5"}));
    // The full row is bigger; the same page is smaller.
    let full = app
        .get("/api/v1/accounts?sort=name")
        .auth(&admin.token)
        .send()
        .await;
    assert!(full.data()[0].to_string().len() > 2 * row.to_string().len());
    for bad in ["shoe_size", "name,custom.nothing"] {
        let res = app
            .get(&format!("/api/v1/accounts?fields={bad}"))
            .auth(&admin.token)
            .send()
            .await;
        assert!(res.is_problem(400), "{bad}: {res:?}");
        assert!(
            res.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("fields")),
            "{res:?}"
        );
    }
    // Paging works the same with fewer fields: the cursor comes from the whole record.
    app.add_account(&admin, json!({"name": "华信"})).await;
    let first = app
        .get("/api/v1/accounts?fields=name&sort=name&limit=1")
        .auth(&admin.token)
        .send()
        .await;
    let cursor = first.str("/next_cursor").to_string();
    let second = app
        .get(&format!(
            "/api/v1/accounts?fields=name&sort=name&limit=1&cursor={cursor}"
        ))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(second.data().len(), 1, "{second:?}");
    assert_ne!(second.data()[0]["name"], first.data()[0]["name"]);
}

#[tokio::test]
async fn totals_sum_every_matching_record_the_caller_sees() {
    let app = TestApp::spawn().await;
    let admin = app.signup("合计").await;
    let sales = app.add_user(&admin, "sales", None).await;
    field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "budget", "type": "number", "filterable": true,
               "label": {"zh": "预算", "en": "Budget"}}),
    )
    .await;
    field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "deal", "type": "money", "label": {"zh": "合同", "en": "Deal"}}),
    )
    .await;
    let rows = [
        (&admin, "甲", 10, "1000.50", "CNY", "2"),
        (&admin, "乙", 20, "2000", "USD", "3.5"),
        (&admin, "丙", 30, "3000", "CNY", "100"),
        (&sales, "丁", 40, "4000", "CNY", "1"),
    ];
    for (who, name, employees, revenue, currency, budget) in rows {
        app.add_account(
            who,
            json!({"name": name, "employees": employees,
                   "annual_revenue": {"amount": revenue, "currency": currency},
                   "custom": {"budget": budget, "deal": {"amount": budget, "currency": currency}}}),
        )
        .await;
    }
    let totals = |who: &testkit::Session, query: &str| {
        let (app, token, query) = (&app, who.token.clone(), query.to_string());
        async move {
            let res = app
                .get(&format!("/api/v1/accounts?{query}&limit=1&totals=employees,annual_revenue,custom.budget,custom.deal"))
                .auth(&token)
                .send()
                .await;
            assert_eq!(res.status, 200, "{res:?}");
            assert_eq!(res.data().len(), 1, "one row, totals of all");
            res.body["totals"].clone()
        }
    };
    let all = totals(&admin, "sort=name").await;
    assert_eq!(
        all["employees"],
        json!([{"currency": null, "sum": "100", "count": 4}])
    );
    assert_eq!(
        all["annual_revenue"],
        json!([{"currency": "CNY", "sum": "8000.50", "count": 3}, {"currency": "USD", "sum": "2000", "count": 1}])
    );
    assert_eq!(
        all["custom.budget"],
        json!([{"currency": null, "sum": "106.5", "count": 4}])
    );
    assert_eq!(
        all["custom.deal"],
        json!([{"currency": "CNY", "sum": "103", "count": 3}, {"currency": "USD", "sum": "3.5", "count": 1}])
    );
    // With the list's filters, and only what the caller may see.
    let filtered = totals(&admin, "custom.budget[gte]=3").await;
    assert_eq!(
        filtered["employees"],
        json!([{"currency": null, "sum": "50", "count": 2}])
    );
    let own = totals(&sales, "sort=name").await;
    assert_eq!(
        own["employees"],
        json!([{"currency": null, "sum": "40", "count": 1}])
    );
    for bad in ["name", "custom.nothing", "currency"] {
        let res = app
            .get(&format!("/api/v1/accounts?totals={bad}"))
            .auth(&admin.token)
            .send()
            .await;
        assert!(res.is_problem(400), "{bad}: {res:?}");
    }
    // Deals sum their amounts per currency too.
    let deals = app
        .get("/api/v1/opportunities?totals=amount")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(deals.status, 200, "{deals:?}");
    assert_eq!(deals.body["totals"]["amount"], json!([]));
}
