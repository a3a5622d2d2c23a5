use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};

async fn stages(app: &TestApp, who: &Session) -> Vec<Value> {
    let res = app.get("/api/v1/pipelines").auth(&who.token).send().await;
    assert_eq!(res.status, 200, "{res:?}");
    let default = &res.data()[0];
    assert_eq!(default["is_default"], true);
    default["stages"].as_array().expect("stages").clone()
}

fn stage_id(stages: &[Value], position: usize) -> String {
    stages[position - 1]["id"]
        .as_str()
        .expect("stage id")
        .to_string()
}

async fn deal(app: &TestApp, who: &Session, account: &Value, body: Value) -> Res {
    let mut body = body;
    body["account_id"] = account["id"].clone();
    app.post("/api/v1/opportunities")
        .auth(&who.token)
        .json(&body)
        .send()
        .await
}

async fn move_to(
    app: &TestApp,
    who: &Session,
    deal: &Value,
    etag: &str,
    stage: &str,
    reason: Option<&str>,
) -> Res {
    let mut body = json!({"stage_id": stage});
    if let Some(r) = reason {
        body["reason"] = json!(r);
    }
    app.post(&format!(
        "/api/v1/opportunities/{}/move",
        deal["id"].as_str().expect("id")
    ))
    .auth(&who.token)
    .if_match(etag)
    .json(&body)
    .send()
    .await
}

#[tokio::test]
async fn a_new_organization_has_the_default_pipeline() {
    let app = TestApp::spawn().await;
    let admin = app.signup("流程测试").await;
    let stages = stages(&app, &admin).await;
    let summary: Vec<(String, i64, String)> = stages
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().into(),
                s["probability"].as_i64().unwrap_or(-1),
                s["kind"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    let expected = [
        ("资格确认", 10, "open"),
        ("需求分析", 25, "open"),
        ("方案报价", 50, "open"),
        ("谈判审核", 75, "open"),
        ("赢单", 100, "won"),
        ("输单", 0, "lost"),
    ];
    assert_eq!(
        summary,
        expected.map(|(n, p, k)| (n.to_string(), p, k.to_string()))
    );

    let sales = app.add_user(&admin, "sales", None).await;
    let pipeline = json!({"name": "大客户流程", "stages": [
        {"name": "初步接触", "probability": 20}, {"name": "签约", "probability": 100, "kind": "won"}, {"name": "放弃", "probability": 0, "kind": "lost"}]});
    assert!(app
        .post("/api/v1/pipelines")
        .auth(&sales.token)
        .json(&pipeline)
        .send()
        .await
        .is_problem(403));
    let created = app
        .post("/api/v1/pipelines")
        .auth(&admin.token)
        .json(&pipeline)
        .send()
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    assert_eq!(created.body["stages"][0]["position"], 1);
    let own_stages = app
        .get(&format!(
            "/api/v1/pipelines/{}/stages",
            created.body["id"].as_str().expect("id")
        ))
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(own_stages.data().len(), 3);
    assert_eq!(own_stages.data()[1]["kind"], "won");
    assert!(app
        .post("/api/v1/pipelines")
        .auth(&admin.token)
        .json(&pipeline)
        .send()
        .await
        .is_problem(409));
    let invalid = app
        .post("/api/v1/pipelines")
        .auth(&admin.token)
        .json(&json!({"name": "坏流程", "stages": [{"name": "a", "probability": 120}, {"name": "b", "probability": 1}, {"name": "c", "probability": 2}]}))
        .send()
        .await;
    assert!(invalid.is_problem(422), "{invalid:?}");
    let fields: Vec<&str> = invalid.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"stages[0].probability") && fields.contains(&"stages"),
        "{fields:?}"
    );
}

#[tokio::test]
async fn deals_move_through_stages_with_a_complete_history() {
    let app = TestApp::spawn().await;
    let admin = app.signup("商机测试").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let stages = stages(&app, &sales).await;
    let account = app
        .add_account(&sales, json!({"name": "深圳市丰泽日用品有限公司"}))
        .await;
    let contact = app
        .post("/api/v1/contacts")
        .auth(&sales.token)
        .json(&json!({"name": "王芳", "account_id": account["id"]}))
        .send()
        .await;

    let created = deal(
        &app,
        &sales,
        &account,
        json!({"name": "2027 包材采购", "contact_id": contact.body["id"], "amount": {"amount": "1234567.89", "currency": "CNY"},
               "expected_close": "2026-12-15", "source": "trade_show", "competitors": ["立白", "蓝月亮"]}),
    )
    .await;
    assert_eq!(created.status, 201, "{created:?}");
    assert_eq!(created.body["stage_id"], stage_id(&stages, 1).as_str());
    assert_eq!(created.body["probability"], 10, "the stage's probability");
    assert_eq!(created.body["status"], "open");
    assert_eq!(
        created.body["amount"],
        json!({"amount": "1234567.89", "currency": "CNY"}),
        "exact decimals"
    );
    let d = created.body.clone();

    let moved = move_to(&app, &sales, &d, "\"1\"", &stage_id(&stages, 3), None).await;
    assert_eq!(moved.status, 200, "{moved:?}");
    assert_eq!(moved.body["probability"], 50);
    let overridden = app
        .patch(&format!(
            "/api/v1/opportunities/{}",
            d["id"].as_str().expect("id")
        ))
        .auth(&sales.token)
        .if_match(&moved.etag())
        .json(&json!({"probability": 60}))
        .send()
        .await;
    assert_eq!(overridden.body["probability"], 60);
    assert_eq!(overridden.body["probability_overridden"], true);
    let kept = move_to(
        &app,
        &sales,
        &d,
        &overridden.etag(),
        &stage_id(&stages, 4),
        None,
    )
    .await;
    assert_eq!(
        kept.body["probability"], 60,
        "an override survives open moves"
    );

    assert!(
        move_to(&app, &sales, &d, &kept.etag(), &stage_id(&stages, 4), None)
            .await
            .is_problem(409),
        "same stage"
    );
    assert!(
        move_to(&app, &sales, &d, "\"1\"", &stage_id(&stages, 5), Some("x"))
            .await
            .is_problem(412)
    );
    let no_reason = move_to(&app, &sales, &d, &kept.etag(), &stage_id(&stages, 5), None).await;
    assert!(no_reason.is_problem(422));
    assert_eq!(no_reason.body["errors"][0]["field"], "reason");
    let unknown = move_to(
        &app,
        &sales,
        &d,
        &kept.etag(),
        &uuid::Uuid::now_v7().to_string(),
        None,
    )
    .await;
    assert_eq!(unknown.body["errors"][0]["field"], "stage_id");

    let won = move_to(
        &app,
        &sales,
        &d,
        &kept.etag(),
        &stage_id(&stages, 5),
        Some("价格与交期优势"),
    )
    .await;
    assert_eq!(won.status, 200, "{won:?}");
    assert_eq!(won.body["status"], "won");
    assert_eq!(won.body["probability"], 100);
    assert_eq!(won.body["close_reason"], "价格与交期优势");
    assert!(won.body["closed_at"].is_string());
    let reopened = move_to(&app, &sales, &d, &won.etag(), &stage_id(&stages, 4), None).await;
    assert_eq!(reopened.body["status"], "open");
    assert_eq!(reopened.body["closed_at"], Value::Null);
    assert_eq!(
        reopened.body["probability"], 75,
        "closing cleared the override"
    );

    let history = app
        .get(&format!(
            "/api/v1/opportunities/{}/stage-history",
            d["id"].as_str().expect("id")
        ))
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(history.status, 200, "{history:?}");
    let moves: Vec<(Value, Value)> = history
        .data()
        .iter()
        .map(|c| (c["from_stage_id"].clone(), c["to_stage_id"].clone()))
        .collect();
    let s = |p: usize| json!(stage_id(&stages, p));
    assert_eq!(
        moves,
        [
            (s(5), s(4)),
            (s(4), s(5)),
            (s(3), s(4)),
            (s(1), s(3)),
            (Value::Null, s(1))
        ]
    );
    assert!(history
        .data()
        .iter()
        .all(|c| c["actor_id"] == sales.user_id.to_string()));
    assert_eq!(history.data()[1]["reason"], "价格与交期优势");

    let at_account = app
        .get(&format!(
            "/api/v1/accounts/{}/opportunities",
            account["id"].as_str().expect("id")
        ))
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(at_account.data().len(), 1);
    let found = app
        .get(&format!("/api/v1/search?q={}", testkit::urlencode("包材")))
        .auth(&sales.token)
        .send()
        .await;
    assert!(
        found.data().iter().any(|h| h["entity"] == "opportunity"),
        "{found:?}"
    );
    let filtered = app
        .get("/api/v1/opportunities?status=open&amount[gte]=1000000&sort=-amount")
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(filtered.data().len(), 1);

    let invalid = deal(&app, &sales, &account, json!({"name": "", "amount": {"amount": "-1", "currency": "CNY"}, "probability": 101, "stage_id": stage_id(&stages, 5)})).await;
    assert!(invalid.is_problem(422));
    let fields: Vec<&str> = invalid.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for f in ["name", "amount.amount", "probability"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    let closed_start = deal(
        &app,
        &sales,
        &account,
        json!({"name": "直接赢单", "stage_id": stage_id(&stages, 5)}),
    )
    .await;
    assert_eq!(closed_start.body["errors"][0]["field"], "stage_id");
}

#[tokio::test]
async fn the_forecast_sums_what_each_caller_may_see() {
    let app = TestApp::spawn().await;
    let admin = app.signup("预测测试").await;
    let south = app.add_department(&admin, "华南大区", None).await;
    let a = app.add_user(&admin, "sales", Some(south)).await;
    let b = app.add_user(&admin, "sales", Some(south)).await;
    let stages = stages(&app, &admin).await;
    let acc_a = app.add_account(&a, json!({"name": "甲客户"})).await;
    let acc_b = app.add_account(&b, json!({"name": "乙客户"})).await;
    let money = |amount: &str| json!({"amount": amount, "currency": "CNY"});
    // a: 100000 at 10% and 200000.50 at 75% in December; 50000 won; 999 closing in 2027 (outside).
    deal(
        &app,
        &a,
        &acc_a,
        json!({"name": "a1", "amount": money("100000"), "expected_close": "2026-12-01"}),
    )
    .await;
    let a2 = deal(
        &app,
        &a,
        &acc_a,
        json!({"name": "a2", "amount": money("200000.50"), "expected_close": "2026-12-20"}),
    )
    .await;
    assert_eq!(
        move_to(&app, &a, &a2.body, "\"1\"", &stage_id(&stages, 4), None)
            .await
            .status,
        200
    );
    let a3 = deal(
        &app,
        &a,
        &acc_a,
        json!({"name": "a3", "amount": money("50000"), "expected_close": "2027-03-01"}),
    )
    .await;
    assert_eq!(
        move_to(
            &app,
            &a,
            &a3.body,
            "\"1\"",
            &stage_id(&stages, 5),
            Some("签约")
        )
        .await
        .status,
        200
    );
    deal(
        &app,
        &a,
        &acc_a,
        json!({"name": "a4", "amount": money("999"), "expected_close": "2027-01-02"}),
    )
    .await;
    // b: 300000 USD at 25%.
    let b1 = deal(&app, &b, &acc_b, json!({"name": "b1", "amount": {"amount": "300000", "currency": "USD"}, "expected_close": "2026-11-30"})).await;
    assert_eq!(
        move_to(&app, &b, &b1.body, "\"1\"", &stage_id(&stages, 2), None)
            .await
            .status,
        200
    );

    let period = "from=2026-10-01&to=2026-12-31";
    let as_a = app
        .get(&format!("/api/v1/forecast?{period}"))
        .auth(&a.token)
        .send()
        .await;
    assert_eq!(as_a.status, 200, "{as_a:?}");
    assert_eq!(
        as_a.data().len(),
        1,
        "a sees only their own deals: {as_a:?}"
    );
    let row = &as_a.data()[0];
    assert_eq!(row["group_id"], a.user_id.to_string());
    assert_eq!(row["currency"], "CNY");
    assert_eq!(row["open_count"], 2);
    assert_eq!(
        row["weighted"], "160000.38",
        "100000 × 10% + 200000.50 × 75%"
    );
    assert_eq!(row["commit"], "200000.50");
    assert_eq!(row["best_case"], "300000.50");
    assert_eq!(row["closed_won"], "50000");

    let as_admin = app
        .get(&format!("/api/v1/forecast?{period}&by=department"))
        .auth(&admin.token)
        .send()
        .await;
    let rows = as_admin.data();
    assert_eq!(
        rows.len(),
        2,
        "one department, two currencies: {as_admin:?}"
    );
    assert!(rows
        .iter()
        .all(|r| r["group_id"] == south.to_string() && r["group_name"] == "华南大区"));
    let usd = rows
        .iter()
        .find(|r| r["currency"] == "USD")
        .expect("USD row");
    assert_eq!(usd["weighted"], "75000.00");

    let bad = app
        .get("/api/v1/forecast?from=2026-12-31&to=2026-01-01&by=team")
        .auth(&admin.token)
        .send()
        .await;
    assert!(bad.is_problem(422));
    let fields: Vec<&str> = bad.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["to", "by"]);

    // b cannot see a's deals anywhere.
    let a2_url = format!("/api/v1/opportunities/{}", a2.str("/id"));
    assert!(app.get(&a2_url).auth(&b.token).send().await.is_problem(404));
    assert!(app
        .get(&format!("{a2_url}/stage-history"))
        .auth(&b.token)
        .send()
        .await
        .is_problem(404));
    let listed = app.get("/api/v1/opportunities").auth(&b.token).send().await;
    assert_eq!(listed.data().len(), 1);
    let foreign_account = deal(&app, &b, &acc_a, json!({"name": "抢单"})).await;
    assert_eq!(
        foreign_account.body["errors"][0]["field"], "account_id",
        "{foreign_account:?}"
    );
}

#[tokio::test]
async fn a_lost_deal_records_a_lost_reason_from_the_picklist() {
    let app = TestApp::spawn().await;
    let admin = app.signup("输单原因").await;
    let stages = stages(&app, &admin).await;
    let account = app.add_account(&admin, json!({"name": "输单客户"})).await;
    let d = deal(&app, &admin, &account, json!({"name": "丢掉的单"})).await;
    let url = format!("/api/v1/opportunities/{}/move", d.str("/id"));
    let send = |body: Value| {
        app.post(&url)
            .auth(&admin.token)
            .if_match("*")
            .json(&body)
            .send()
    };
    let on_won =
        send(json!({"stage_id": stage_id(&stages, 5), "reason": "签约", "lost_reason": "price"}))
            .await;
    assert!(on_won.is_problem(422));
    assert_eq!(on_won.body["errors"][0]["field"], "lost_reason");
    let unknown = send(
        json!({"stage_id": stage_id(&stages, 6), "reason": "对手降价", "lost_reason": "bad_luck"}),
    )
    .await;
    assert!(unknown.is_problem(422));
    assert_eq!(unknown.body["errors"][0]["field"], "lost_reason");
    let lost = send(json!({"stage_id": stage_id(&stages, 6), "reason": "对手降价 15%", "lost_reason": "competitor"})).await;
    assert_eq!(lost.status, 200, "{lost:?}");
    assert_eq!(lost.body["status"], "lost");
    assert_eq!(lost.body["lost_reason"], "competitor");
    assert_eq!(lost.body["close_reason"], "对手降价 15%");
    let by_reason = app
        .get("/api/v1/opportunities?lost_reason=competitor")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(by_reason.data().len(), 1);
    let reopened = send(json!({"stage_id": stage_id(&stages, 2)})).await;
    assert_eq!(
        reopened.body["lost_reason"],
        Value::Null,
        "reopening clears it"
    );
}
