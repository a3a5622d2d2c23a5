use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};

fn credit_code(serial: u32) -> String {
    domain::credit_code::with_check_char(&format!("91440300MA5{serial:06}"))
        .expect("17 valid characters")
}

async fn create(app: &TestApp, who: &Session, body: Value) -> Res {
    app.post("/api/v1/accounts")
        .auth(&who.token)
        .json(&body)
        .send()
        .await
}

fn path(account: &Value) -> String {
    format!("/api/v1/accounts/{}", account["id"].as_str().expect("id"))
}

#[tokio::test]
async fn create_normalizes_fields_and_get_returns_them_with_an_etag() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let res = create(
        &app,
        &admin,
        json!({
            "name": "  深圳市丰泽日用品有限公司 ", "credit_code": credit_code(1).to_lowercase(),
            "industry": "manufacturing", "employees": 320,
            "annual_revenue": {"amount": "12345678.90", "currency": "CNY"},
            "region": "440305", "address": "深圳市南山区科技园", "website": "fengze.example.cn",
            "phone": "0755-8888 6666", "source": "customer_referral", "class": "key", "tags": ["重点", "日化", "重点"],
        }),
    )
    .await;
    assert_eq!(res.status, 201, "{res:?}");
    let id = res.str("/id").to_string();
    assert_eq!(
        res.header("location"),
        Some(format!("/api/v1/accounts/{id}").as_str())
    );
    assert_eq!(res.body["name"], "深圳市丰泽日用品有限公司");
    assert_eq!(res.body["credit_code"], credit_code(1));
    assert_eq!(res.body["website"], "https://fengze.example.cn");
    assert_eq!(res.body["phone"], "+8675588886666");
    assert_eq!(
        res.body["annual_revenue"],
        json!({"amount": "12345678.90", "currency": "CNY"})
    );
    assert_eq!(res.body["tags"], json!(["重点", "日化"]));
    assert_eq!(
        res.body["owner_id"],
        admin.user_id.to_string(),
        "the creator owns it by default"
    );
    assert_eq!(res.body["version"], 1);

    let got = app
        .get(&format!("/api/v1/accounts/{id}"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(got.status, 200);
    assert_eq!(got.etag(), res.etag());
    assert_eq!(got.body, res.body);
}

#[tokio::test]
async fn invalid_fields_are_a_422_naming_each_field() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let res = create(
        &app,
        &admin,
        json!({
            "name": " ", "credit_code": "91440300MA5000001X", "industry": "spaceships", "employees": -3,
            "annual_revenue": {"amount": "1.23456", "currency": "人民币"}, "region": "深圳",
            "website": "not a site", "phone": "12", "source": "telepathy", "tags": [""],
        }),
    )
    .await;
    assert!(res.is_problem(422), "{res:?}");
    let fields: Vec<&str> = res.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for f in [
        "name",
        "credit_code",
        "industry",
        "employees",
        "annual_revenue.amount",
        "annual_revenue.currency",
        "region",
        "website",
        "phone",
        "source",
        "tags[0]",
    ] {
        assert!(fields.contains(&f), "{f} is named in {fields:?}");
    }
    let wrong_type = create(&app, &admin, json!({"name": "X", "employees": "many"})).await;
    assert!(wrong_type.is_problem(422), "{wrong_type:?}");
    assert_eq!(wrong_type.body["errors"][0]["field"], "employees");
    let unknown = create(&app, &admin, json!({"name": "X", "colour": "red"})).await;
    assert!(unknown.is_problem(422));
    let owner_elsewhere = create(
        &app,
        &admin,
        json!({"name": "X", "owner_id": uuid::Uuid::now_v7()}),
    )
    .await;
    assert!(
        owner_elsewhere.is_problem(422),
        "owner must be a user of the organization: {owner_elsewhere:?}"
    );
    assert_eq!(owner_elsewhere.body["errors"][0]["field"], "owner_id");

    let list = app
        .get("/api/v1/accounts?count=true")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(list.body["total"], 0, "nothing was written");
}

#[tokio::test]
async fn patch_needs_if_match_and_a_stale_version_is_412() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let account = app
        .add_account(&admin, json!({"name": "华为技术有限公司"}))
        .await;
    let url = path(&account);

    let missing = app
        .patch(&url)
        .auth(&admin.token)
        .json(&json!({"class": "target"}))
        .send()
        .await;
    assert!(missing.is_problem(428), "{missing:?}");

    // Two writers read version 1 and write at once: one wins, the other is told it is stale.
    let (a, b) = tokio::join!(
        app.patch(&url)
            .auth(&admin.token)
            .if_match("\"1\"")
            .json(&json!({"employees": 100}))
            .send(),
        app.patch(&url)
            .auth(&admin.token)
            .if_match("\"1\"")
            .json(&json!({"employees": 200}))
            .send(),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 412], "{a:?} {b:?}");
    let (winner, loser) = if a.status == 200 { (a, b) } else { (b, a) };
    assert!(loser.is_problem(412));
    assert_eq!(loser.body["current_version"], 2);
    assert_eq!(winner.body["version"], 2);
    assert_eq!(winner.etag(), "\"2\"");

    let now = app.get(&url).auth(&admin.token).send().await;
    assert_eq!(
        now.body["employees"], winner.body["employees"],
        "the loser changed nothing"
    );

    let cleared = app
        .patch(&url)
        .auth(&admin.token)
        .if_match(&now.etag())
        .json(&json!({"employees": null, "class": "key"}))
        .send()
        .await;
    assert_eq!(cleared.status, 200);
    assert_eq!(
        cleared.body["employees"],
        Value::Null,
        "null clears a field"
    );
    assert_eq!(cleared.body["class"], "key");
    assert_eq!(
        cleared.body["name"], "华为技术有限公司",
        "absent fields are kept"
    );

    let invalid = app
        .patch(&url)
        .auth(&admin.token)
        .if_match(&cleared.etag())
        .json(&json!({"name": ""}))
        .send()
        .await;
    assert!(invalid.is_problem(422));
    assert_eq!(invalid.body["errors"][0]["field"], "name");
}

#[tokio::test]
async fn idempotency_key_replays_the_first_response() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let body = json!({"name": "阿里巴巴（中国）有限公司"});
    let send = |body: Value| {
        app.post("/api/v1/accounts")
            .auth(&admin.token)
            .header("idempotency-key", "import-42")
            .json(&body)
            .send()
    };
    let first = send(body.clone()).await;
    assert_eq!(first.status, 201);
    let again = send(body.clone()).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.body["id"], first.body["id"]);
    let other = send(json!({"name": "腾讯科技（深圳）有限公司"})).await;
    assert!(
        other.is_problem(422),
        "another body under a used key: {other:?}"
    );
    let list = app
        .get("/api/v1/accounts?count=true")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(list.body["total"], 1, "created once");

    // Keys belong to their organization: another tenant may use the same key.
    let b = app.signup("B").await;
    let theirs = app
        .post("/api/v1/accounts")
        .auth(&b.token)
        .header("idempotency-key", "import-42")
        .json(&body)
        .send()
        .await;
    assert_eq!(theirs.status, 201);
    assert_ne!(theirs.body["id"], first.body["id"]);
}

#[tokio::test]
async fn duplicates_are_a_409_with_candidates_unless_forced() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let original = create(
        &app,
        &admin,
        json!({"name": "深圳市丰泽日用品有限公司", "credit_code": credit_code(7)}),
    )
    .await;
    assert_eq!(original.status, 201);

    // Same normalized name (suffix and full-width punctuation aside), by a user who cannot see it.
    let by_name = create(&app, &sales, json!({"name": "深圳市丰泽日用品"})).await;
    assert!(by_name.is_problem(409), "{by_name:?}");
    let candidates = by_name.body["candidates"].as_array().expect("candidates");
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0]["id"], original.body["id"]);
    assert_eq!(candidates[0]["reasons"], json!(["name"]));
    assert_eq!(
        candidates[0]["owner_id"],
        admin.user_id.to_string(),
        "so the salesperson knows whom to ask"
    );

    let by_code = create(
        &app,
        &admin,
        json!({"name": "完全不同的名字", "credit_code": credit_code(7)}),
    )
    .await;
    assert!(by_code.is_problem(409));
    assert_eq!(
        by_code.body["candidates"][0]["reasons"],
        json!(["credit_code"])
    );

    let forced = app
        .post("/api/v1/accounts?force=true")
        .auth(&sales.token)
        .json(&json!({"name": "深圳市丰泽日用品"}))
        .send()
        .await;
    assert_eq!(forced.status, 201, "force=true overrides");

    // Renaming into a duplicate is checked too.
    let other = app
        .add_account(&admin, json!({"name": "广州酷狗计算机科技有限公司"}))
        .await;
    let rename = app
        .patch(&path(&other))
        .auth(&admin.token)
        .if_match("\"1\"")
        .json(&json!({"name": "深圳市丰泽日用品有限公司"}))
        .send()
        .await;
    assert!(rename.is_problem(409), "{rename:?}");

    // A similar name comes along with an exact match, so whoever creates sees both.
    let similar = app
        .add_account(&admin, json!({"name": "深圳市丰泽日用品贸易有限公司"}))
        .await;
    let again = create(&app, &sales, json!({"name": "深圳市丰泽日用品有限公司"})).await;
    assert!(again.is_problem(409), "{again:?}");
    let similar_one = again.body["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .find(|c| c["id"] == similar["id"])
        .unwrap_or_else(|| panic!("the similar name is a candidate: {again:?}"));
    assert_eq!(similar_one["reasons"], json!(["similar_name"]));
}

#[tokio::test]
async fn soft_delete_moves_to_the_recycle_bin_and_restore_brings_it_back() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let account = app
        .add_account(&admin, json!({"name": "小米科技有限责任公司"}))
        .await;
    let url = path(&account);

    let no_if_match = app.delete(&url).auth(&admin.token).send().await;
    assert!(no_if_match.is_problem(428));
    let stale = app
        .delete(&url)
        .auth(&admin.token)
        .if_match("\"7\"")
        .send()
        .await;
    assert!(stale.is_problem(412));
    let deleted = app
        .delete(&url)
        .auth(&admin.token)
        .if_match("\"1\"")
        .send()
        .await;
    assert_eq!(deleted.status, 204, "{deleted:?}");

    assert!(app
        .get(&url)
        .auth(&admin.token)
        .send()
        .await
        .is_problem(404));
    let list = app.get("/api/v1/accounts").auth(&admin.token).send().await;
    assert!(list.data().is_empty());
    let bin = app
        .get("/api/v1/accounts?deleted=true")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(bin.data().len(), 1);
    assert!(bin.data()[0]["deleted_at"].is_string());
    let found = app
        .get("/api/v1/search?q=小米")
        .auth(&admin.token)
        .send()
        .await;
    assert!(found.data().is_empty(), "deleted records are not found");

    let restored = app
        .post(&format!("{url}/restore"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(restored.status, 200, "{restored:?}");
    assert_eq!(restored.body["deleted_at"], Value::Null);
    assert_eq!(app.get(&url).auth(&admin.token).send().await.status, 200);
    let twice = app
        .post(&format!("{url}/restore"))
        .auth(&admin.token)
        .send()
        .await;
    assert!(twice.is_problem(409), "restoring a live record: {twice:?}");
}

#[tokio::test]
async fn history_lists_field_level_changes_newest_first() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let manager = app.add_user(&admin, "manager", None).await;
    let account = app
        .add_account(
            &admin,
            json!({"name": "比亚迪股份有限公司", "class": "potential"}),
        )
        .await;
    let url = path(&account);
    let changed = app
        .patch(&url)
        .auth(&manager.token)
        .if_match("\"1\"")
        .json(&json!({"class": "key", "employees": 5000, "name": "比亚迪股份有限公司"}))
        .send()
        .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    assert_eq!(
        app.delete(&url)
            .auth(&admin.token)
            .if_match("\"2\"")
            .send()
            .await
            .status,
        204
    );
    assert_eq!(
        app.post(&format!("{url}/restore"))
            .auth(&admin.token)
            .send()
            .await
            .status,
        200
    );

    let history = app
        .get(&format!("{url}/history"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(history.status, 200, "{history:?}");
    let actions: Vec<&str> = history
        .data()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["restore", "delete", "update", "create"]);
    let update = &history.data()[2];
    assert_eq!(update["actor_id"], manager.user_id.to_string());
    let changes = update["changes"].as_array().expect("changes");
    assert_eq!(
        changes.len(),
        2,
        "unchanged fields are not listed: {changes:?}"
    );
    assert!(changes.contains(&json!({"field": "class", "old": "potential", "new": "key"})));
    assert!(changes.contains(&json!({"field": "employees", "old": null, "new": 5000})));
    let create = &history.data()[3];
    assert!(create["changes"]
        .as_array()
        .expect("changes")
        .contains(&json!({"field": "name", "old": null, "new": "比亚迪股份有限公司"})));

    let page = app
        .get(&format!("{url}/history?limit=2"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(page.data().len(), 2);
    let cursor = page.str("/next_cursor");
    let rest = app
        .get(&format!("{url}/history?limit=2&cursor={cursor}"))
        .auth(&admin.token)
        .send()
        .await;
    let rest_actions: Vec<&str> = rest
        .data()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(rest_actions, ["update", "create"]);
}

#[tokio::test]
async fn list_filters_with_operators_and_rejects_unknown_ones() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    for (name, employees, class, tags) in [
        ("甲公司", 10, "potential", json!(["华南"])),
        ("乙公司", 200, "target", json!(["华南", "重点"])),
        ("丙公司", 3000, "key", json!(["华北"])),
    ] {
        app.add_account(
            &admin,
            json!({"name": name, "employees": employees, "class": class, "tags": tags}),
        )
        .await;
    }
    let names = |res: &Res| {
        res.data()
            .iter()
            .map(|a| a["name"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    let q = |query: &str| {
        app.get(&format!("/api/v1/accounts?{query}"))
            .auth(&admin.token)
            .send()
    };

    assert_eq!(
        names(&q("employees[gte]=200&sort=employees").await),
        ["乙公司", "丙公司"]
    );
    assert_eq!(
        names(&q("class[in]=potential,key&sort=-employees").await),
        ["丙公司", "甲公司"]
    );
    assert_eq!(
        names(&q("tags[contains]=华南&sort=employees").await),
        ["甲公司", "乙公司"]
    );
    assert_eq!(names(&q("class=key").await), ["丙公司"]);
    assert_eq!(
        names(&q("class[ne]=key&employees[lt]=100").await),
        ["甲公司"]
    );
    let counted = q("count=true&employees[gt]=5").await;
    assert_eq!(counted.body["total"], 3);

    for bad in [
        "colour=red",
        "employees[near]=3",
        "sort=address",
        "limit=0",
        "employees=many",
        "cursor=garbage",
    ] {
        let res = q(bad).await;
        assert!(res.is_problem(400), "{bad}: {res:?}");
        assert!(
            res.body["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{bad} explains itself"
        );
    }
}
