//! Formula and roll-up fields: computed on every write (never written), recomputed when their
//! definition changes, and kept in step with the related records in the same transaction, also
//! when many deals of one account are written at once.

use crate::custom_fields::{define, field};
use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};

fn label(zh: &str, en: &str) -> Value {
    json!({"zh": zh, "en": en})
}

fn money(amount: &str) -> Value {
    json!({"amount": amount, "currency": "CNY"})
}

async fn get(app: &TestApp, who: &Session, path: &str) -> Res {
    app.get(path).auth(&who.token).send().await
}

async fn patch(app: &TestApp, who: &Session, path: &str, body: Value) -> Res {
    app.patch(path)
        .auth(&who.token)
        .if_match("*")
        .json(&body)
        .send()
        .await
}

/// The account's custom values, as read back.
async fn custom(app: &TestApp, who: &Session, account: &str) -> Value {
    let res = get(app, who, &format!("/api/v1/accounts/{account}")).await;
    assert_eq!(res.status, 200, "{res:?}");
    res.body["custom"].clone()
}

fn fields_of(res: &Res) -> Vec<String> {
    res.body["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|x| x["field"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn formula_fields_are_computed_on_every_write_and_after_their_definition_changes() {
    let app = TestApp::spawn().await;
    let admin = app.signup("公式").await;
    field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "budget", "type": "number",
                                "label": label("预算", "Budget")}),
    )
    .await;
    let per_head = field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "per_head", "type": "formula",
        "formula": "annual_revenue / employees", "filterable": true,
        "label": label("人均营收", "Revenue per employee")}),
    )
    .await;
    field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "with_tax", "type": "formula",
        "formula": "custom.budget * (1 + 0.13)", "label": label("含税预算", "Budget with tax")}),
    )
    .await;

    // Bad definitions name what is wrong.
    for (type_, formula) in [
        ("formula", Some("annual_revenue / headcount")),
        ("formula", Some("annual_revenue / ")),
        ("formula", None),
        ("text", Some("1")),
    ] {
        let def = json!({"entity": "accounts", "key": "bad", "label": label("坏", "Bad"),
                         "type": type_, "formula": formula});
        let res = define(&app, &admin, def).await;
        assert!(res.is_problem(422), "{formula:?}: {res:?}");
        assert!(
            fields_of(&res).contains(&"formula".to_string()),
            "{formula:?}: {res:?}"
        );
    }

    let a = app
        .add_account(
            &admin,
            json!({"name": "深圳市丰泽日用品有限公司", "employees": 8,
            "annual_revenue": money("1000000"), "custom": {"budget": 100}}),
        )
        .await;
    let id = a["id"].as_str().expect("id");
    assert_eq!(a["custom"]["per_head"], "125000", "{a}");
    assert_eq!(a["custom"]["with_tax"], "113");

    let up = patch(
        &app,
        &admin,
        &format!("/api/v1/accounts/{id}"),
        json!({"employees": 3}),
    )
    .await;
    assert_eq!(up.status, 200, "{up:?}");
    assert_eq!(
        up.body["custom"]["per_head"], "333333.3333",
        "four decimals"
    );
    // Division by zero, or a missing operand, gives no value rather than an error.
    let zero = patch(
        &app,
        &admin,
        &format!("/api/v1/accounts/{id}"),
        json!({"employees": 0}),
    )
    .await;
    assert_eq!(zero.status, 200, "{zero:?}");
    assert!(zero.body["custom"].get("per_head").is_none(), "{zero:?}");
    let written = patch(
        &app,
        &admin,
        &format!("/api/v1/accounts/{id}"),
        json!({"custom": {"per_head": 5}}),
    )
    .await;
    assert!(written.is_problem(422), "{written:?}");
    assert_eq!(fields_of(&written), ["custom.per_head"]);
    patch(
        &app,
        &admin,
        &format!("/api/v1/accounts/{id}"),
        json!({"employees": 10}),
    )
    .await;
    let other = app
        .add_account(
            &admin,
            json!({"name": "小公司", "employees": 2, "annual_revenue": money("100000")}),
        )
        .await;
    assert_eq!(other["custom"]["per_head"], "50000");
    assert!(
        other["custom"].get("with_tax").is_none(),
        "no budget, no value"
    );

    // Filterable and sortable like any number field.
    let hits = get(&app, &admin, "/api/v1/accounts?custom.per_head[gte]=60000").await;
    assert_eq!(hits.status, 200, "{hits:?}");
    let ids: Vec<&str> = hits
        .data()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, [id]);
    let sorted = get(&app, &admin, "/api/v1/accounts?sort=custom.per_head").await;
    let ids: Vec<&str> = sorted
        .data()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, [other["id"].as_str().expect("id"), id]);

    // A changed formula recomputes every record of the organization at once.
    let changed = app
        .patch(&format!(
            "/api/v1/custom-fields/{}",
            per_head["id"].as_str().expect("id")
        ))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"formula": "annual_revenue / employees / 1000"}))
        .send()
        .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    assert_eq!(custom(&app, &admin, id).await["per_head"], "100");
    assert_eq!(
        custom(&app, &admin, other["id"].as_str().expect("id")).await["per_head"],
        "50"
    );
}

async fn deal(app: &TestApp, who: &Session, account: &str, name: &str, amount: &str) -> Value {
    let res = app
        .post("/api/v1/opportunities")
        .auth(&who.token)
        .json(&json!({"name": name, "account_id": account, "amount": money(amount)}))
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    res.body
}

/// The default pipeline's won stage.
async fn won_stage(app: &TestApp, who: &Session) -> String {
    let pipelines = get(app, who, "/api/v1/pipelines").await;
    let stages = pipelines.data()[0]["stages"]
        .as_array()
        .expect("stages")
        .clone();
    stages
        .iter()
        .find(|s| s["kind"] == "won")
        .and_then(|s| s["id"].as_str())
        .expect("a won stage")
        .to_string()
}

async fn win(app: &TestApp, who: &Session, deal: &Value, stage: &str) {
    let res = app
        .post(&format!(
            "/api/v1/opportunities/{}/move",
            deal["id"].as_str().expect("id")
        ))
        .auth(&who.token)
        .if_match("*")
        .json(&json!({"stage_id": stage, "reason": "价格与交期优势"}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
}

/// An account's won amount, open deals, biggest deal and contacts.
async fn rollups(app: &TestApp, who: &Session, account: &str) -> (Value, Value, Value, Value) {
    let c = custom(app, who, account).await;
    (
        c["won"].clone(),
        c["open"].clone(),
        c["biggest"].clone(),
        c["people"].clone(),
    )
}

#[tokio::test]
async fn roll_up_fields_follow_every_change_to_the_related_records() {
    let app = TestApp::spawn().await;
    let admin = app.signup("汇总").await;
    let a = app.add_account(&admin, json!({"name": "甲公司"})).await;
    let a = a["id"].as_str().expect("id").to_string();
    let first = deal(&app, &admin, &a, "一期", "100").await;
    // Defined over existing records: every account is computed at once.
    for body in [
        json!({"key": "won", "rollup": {"source": "opportunities", "function": "sum", "field": "amount", "filter": "status=won"},
               "filterable": true, "label": label("赢单金额", "Won amount")}),
        json!({"key": "open", "rollup": {"source": "opportunities", "function": "count", "filter": "status=open"},
               "label": label("进行中商机", "Open deals")}),
        json!({"key": "biggest", "rollup": {"source": "opportunities", "function": "max", "field": "amount"},
               "label": label("最大商机", "Biggest deal")}),
        json!({"key": "people", "rollup": {"source": "contacts", "function": "count"},
               "label": label("联系人数", "Contacts")}),
    ] {
        let mut body = body;
        body["entity"] = json!("accounts");
        body["type"] = json!("rollup");
        field(&app, &admin, body).await;
    }
    assert_eq!(
        rollups(&app, &admin, &a).await,
        (json!("0"), json!("1"), json!("100"), json!("0"))
    );
    // A new account starts at zero, with no maximum.
    let b = app.add_account(&admin, json!({"name": "乙公司"})).await;
    assert_eq!(
        b["custom"],
        json!({"won": "0", "open": "0", "people": "0"}),
        "{b}"
    );
    let b = b["id"].as_str().expect("id").to_string();

    let second = deal(&app, &admin, &a, "二期", "250.5").await;
    assert_eq!(
        rollups(&app, &admin, &a).await,
        (json!("0"), json!("2"), json!("250.5"), json!("0"))
    );
    let stage = won_stage(&app, &admin).await;
    win(&app, &admin, &first, &stage).await;
    assert_eq!(rollups(&app, &admin, &a).await.0, "100");
    assert_eq!(rollups(&app, &admin, &a).await.1, "1");

    // Moved to another account: both are recomputed.
    let moved = patch(
        &app,
        &admin,
        &format!(
            "/api/v1/opportunities/{}",
            second["id"].as_str().expect("id")
        ),
        json!({"account_id": b}),
    )
    .await;
    assert_eq!(moved.status, 200, "{moved:?}");
    assert_eq!(
        rollups(&app, &admin, &a).await,
        (json!("100"), json!("0"), json!("100"), json!("0"))
    );
    assert_eq!(
        rollups(&app, &admin, &b).await,
        (json!("0"), json!("1"), json!("250.5"), json!("0"))
    );

    // Deleted and restored.
    let path = format!(
        "/api/v1/opportunities/{}",
        first["id"].as_str().expect("id")
    );
    let gone = app
        .delete(&path)
        .auth(&admin.token)
        .if_match("*")
        .send()
        .await;
    assert_eq!(gone.status, 204, "{gone:?}");
    assert_eq!(rollups(&app, &admin, &a).await.0, "0");
    assert!(
        rollups(&app, &admin, &a).await.2.is_null(),
        "no deal, no maximum"
    );
    let back = app
        .post(&format!("{path}/restore"))
        .auth(&admin.token)
        .if_match("*")
        .send()
        .await;
    assert_eq!(back.status, 200, "{back:?}");
    assert_eq!(rollups(&app, &admin, &a).await.0, "100");

    // Contacts roll up too; a merge of accounts moves them and the deals.
    let contact = app
        .post("/api/v1/contacts")
        .auth(&admin.token)
        .json(&json!({"name": "王芳", "account_id": b}))
        .send()
        .await;
    assert_eq!(contact.status, 201, "{contact:?}");
    assert_eq!(rollups(&app, &admin, &b).await.3, "1");
    let merged = app
        .post("/api/v1/accounts/merge")
        .auth(&admin.token)
        .json(&json!({"into": a, "from": [b]}))
        .send()
        .await;
    assert_eq!(merged.status, 200, "{merged:?}");
    assert_eq!(
        rollups(&app, &admin, &a).await,
        (json!("100"), json!("1"), json!("250.5"), json!("1"))
    );

    // Filterable; never written, not even by an admin.
    let rich = get(&app, &admin, "/api/v1/accounts?custom.won[gt]=50").await;
    assert_eq!(rich.data().len(), 1, "{rich:?}");
    let written = patch(
        &app,
        &admin,
        &format!("/api/v1/accounts/{a}"),
        json!({"custom": {"won": "1"}}),
    )
    .await;
    assert!(written.is_problem(422), "{written:?}");
    assert_eq!(fields_of(&written), ["custom.won"]);
    // The account's own edits keep them.
    let renamed = patch(
        &app,
        &admin,
        &format!("/api/v1/accounts/{a}"),
        json!({"name": "甲公司（集团）"}),
    )
    .await;
    assert_eq!(renamed.status, 200, "{renamed:?}");
    assert_eq!(renamed.body["custom"]["won"], "100");
}

#[tokio::test]
async fn roll_up_definitions_are_checked() {
    let app = TestApp::spawn().await;
    let admin = app.signup("校验").await;
    for (entity, rollup, at) in [
        (
            "contacts",
            json!({"source": "opportunities", "function": "count"}),
            "rollup",
        ),
        (
            "accounts",
            json!({"source": "products", "function": "count"}),
            "rollup.source",
        ),
        (
            "accounts",
            json!({"source": "opportunities", "function": "sum", "field": "name"}),
            "rollup.field",
        ),
        (
            "accounts",
            json!({"source": "opportunities", "function": "sum"}),
            "rollup.field",
        ),
        (
            "accounts",
            json!({"source": "opportunities", "function": "count", "filter": "colour=red"}),
            "rollup.filter",
        ),
        (
            "accounts",
            json!({"source": "opportunities", "function": "count", "filter": "sort=name"}),
            "rollup.filter",
        ),
    ] {
        let res = define(&app, &admin, json!({"entity": entity, "key": "x", "type": "rollup",
                                               "label": label("汇总", "Roll-up"), "rollup": rollup})).await;
        assert!(res.is_problem(422), "{rollup}: {res:?}");
        assert!(
            fields_of(&res).contains(&at.to_string()),
            "{rollup}: {res:?}"
        );
    }
    let required = define(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "x", "type": "rollup", "required": true,
        "label": label("汇总", "Roll-up"), "rollup": {"source": "leads", "function": "count"}}),
    )
    .await;
    assert!(required.is_problem(422), "{required:?}");
}

#[tokio::test]
async fn deals_written_at_once_all_count_in_their_account() {
    let app = TestApp::spawn().await;
    let admin = app.signup("并发汇总").await;
    field(&app, &admin, json!({"entity": "accounts", "key": "total", "type": "rollup",
        "label": label("商机总额", "Pipeline"), "rollup": {"source": "opportunities", "function": "sum", "field": "amount"}}))
    .await;
    field(&app, &admin, json!({"entity": "accounts", "key": "deals", "type": "rollup",
        "label": label("商机数", "Deals"), "rollup": {"source": "opportunities", "function": "count"}}))
    .await;
    let a = app.add_account(&admin, json!({"name": "热门客户"})).await;
    let a = a["id"].as_str().expect("id").to_string();
    // As many at once as the server has connections: each waits for the account, none for a slot.
    let writes = (1..=8).map(|i| {
        let (app, admin, a) = (&app, &admin, &a);
        async move { deal(app, admin, a, &format!("商机{i}"), &format!("{i}")).await }
    });
    futures::future::join_all(writes).await;
    let c = custom(&app, &admin, &a).await;
    assert_eq!(
        (c["deals"].clone(), c["total"].clone()),
        (json!("8"), json!("36")),
        "{c}"
    );
}

async fn redefine(app: &TestApp, admin: &Session, field: &Value, body: Value) {
    let path = format!(
        "/api/v1/custom-fields/{}",
        field["id"].as_str().expect("id")
    );
    let res = patch(app, admin, &path, body).await;
    assert_eq!(res.status, 200, "{res:?}");
}

#[tokio::test]
async fn a_formula_changed_while_records_are_written_holds_on_every_record() {
    let app = TestApp::spawn().await;
    let admin = app.signup("并发公式").await;
    field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "budget", "type": "number",
        "label": label("预算", "Budget")}),
    )
    .await;
    let times = field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "times", "type": "formula",
        "formula": "custom.budget * 2", "label": label("倍数", "Times")}),
    )
    .await;
    let mut ids = Vec::new();
    for i in 1..=5 {
        let a = app
            .add_account(
                &admin,
                json!({"name": format!("公式客户{i}"), "custom": {"budget": i}}),
            )
            .await;
        ids.push(a["id"].as_str().expect("id").to_string());
    }
    for k in 3..=5 {
        // The definition changes while every account is written: whichever commits first, each
        // value ends up computed by the new formula from the new budget.
        let writes = ids.iter().enumerate().map(|(i, id)| {
            let (app, admin) = (&app, &admin);
            async move {
                let path = format!("/api/v1/accounts/{id}");
                let body = json!({"custom": {"budget": i + k}});
                let res = patch(app, admin, &path, body).await;
                assert_eq!(res.status, 200, "{res:?}");
            }
        });
        let formula = json!({"formula": format!("custom.budget * {k}")});
        futures::future::join(
            redefine(&app, &admin, &times, formula),
            futures::future::join_all(writes),
        )
        .await;
        for (i, id) in ids.iter().enumerate() {
            let c = custom(&app, &admin, id).await;
            assert_eq!(
                c["times"],
                json!(((i + k) * k).to_string()),
                "round {k}: {c}"
            );
        }
    }
}

#[tokio::test]
async fn a_roll_up_changed_while_deals_are_written_counts_every_deal() {
    let app = TestApp::spawn().await;
    let admin = app.signup("并发汇总定义").await;
    let rollup = field(&app, &admin, json!({"entity": "accounts", "key": "deals", "type": "rollup",
        "label": label("商机", "Deals"), "rollup": {"source": "opportunities", "function": "count"}}))
    .await;
    let a = app
        .add_account(&admin, json!({"name": "汇总定义客户"}))
        .await;
    let a = a["id"].as_str().expect("id").to_string();
    let (mut count, mut total) = (0, 0);
    for round in 0..4 {
        let writes = (1..=5).map(|i| {
            let (app, admin, a) = (&app, &admin, &a);
            async move { deal(app, admin, a, &format!("商机{round}-{i}"), &i.to_string()).await }
        });
        let (function, field_) = if round % 2 == 0 {
            ("sum", json!("amount"))
        } else {
            ("count", Value::Null)
        };
        let def =
            json!({"rollup": {"source": "opportunities", "function": function, "field": field_}});
        futures::future::join(
            redefine(&app, &admin, &rollup, def),
            futures::future::join_all(writes),
        )
        .await;
        count += 5;
        total += 15;
        let want = if function == "sum" { total } else { count };
        let c = custom(&app, &admin, &a).await;
        assert_eq!(
            c["deals"],
            json!(want.to_string()),
            "round {round} ({function}): {c}"
        );
    }
}
