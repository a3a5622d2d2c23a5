use serde_json::{json, Value};
use testkit::urlencode;
use testkit::{Session, TestApp};

async fn create(app: &TestApp, who: &Session, body: Value) -> testkit::Res {
    app.post("/api/v1/contacts")
        .auth(&who.token)
        .json(&body)
        .send()
        .await
}

#[tokio::test]
async fn contacts_normalize_phones_and_emails_and_link_to_accounts() {
    let app = TestApp::spawn().await;
    let admin = app.signup("联系人测试").await;
    let account = app
        .add_account(&admin, json!({"name": "深圳市丰泽日用品有限公司"}))
        .await;
    let account_id = account["id"].as_str().expect("id");
    let res = create(
        &app,
        &admin,
        json!({
            "name": " 王芳 ", "title": "采购经理", "account_id": account_id,
            "phones": ["138 0013 8000", "0755-8888 6666", "+86 138-0013-8000"],
            "emails": ["Wang.Fang@Example.COM"], "wechat": "wangfang_sz", "birthday": "1988-05-17", "tags": ["决策人"],
        }),
    )
    .await;
    assert_eq!(res.status, 201, "{res:?}");
    assert_eq!(res.body["name"], "王芳");
    assert_eq!(
        res.body["phones"],
        json!(["+8613800138000", "+8675588886666"])
    );
    assert_eq!(res.body["emails"], json!(["wang.fang@example.com"]));
    assert_eq!(res.body["birthday"], "1988-05-17");
    let contact_id = res.str("/id").to_string();

    let at_account = app
        .get(&format!("/api/v1/accounts/{account_id}/contacts"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(at_account.status, 200, "{at_account:?}");
    assert_eq!(at_account.data().len(), 1);
    assert_eq!(at_account.data()[0]["id"], contact_id.as_str());
    let unknown_account = app
        .get(&format!(
            "/api/v1/accounts/{}/contacts",
            uuid::Uuid::now_v7()
        ))
        .auth(&admin.token)
        .send()
        .await;
    assert!(unknown_account.is_problem(404));

    for q in ["王芳", "13800138000", "wang.fang", "88886666"] {
        let found = app
            .get(&format!("/api/v1/contacts?q={}", urlencode(q)))
            .auth(&admin.token)
            .send()
            .await;
        assert_eq!(found.data().len(), 1, "quick search {q}: {found:?}");
        let global = app
            .get(&format!("/api/v1/search?q={}", urlencode(q)))
            .auth(&admin.token)
            .send()
            .await;
        assert!(
            global
                .data()
                .iter()
                .any(|h| h["entity"] == "contact" && h["id"] == contact_id.as_str()),
            "global search {q}: {global:?}"
        );
    }
    let filtered = app
        .get("/api/v1/contacts?emails[contains]=wang.fang@example.com")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(filtered.data().len(), 1);

    let bad = create(&app, &admin, json!({"name": "", "phones": ["12"], "emails": ["nope"], "birthday": "2999-01-01", "account_id": uuid::Uuid::now_v7()})).await;
    assert!(bad.is_problem(422), "{bad:?}");
    let fields: Vec<&str> = bad.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for f in ["name", "phones[0]", "emails[0]", "birthday"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    let bad_account = create(
        &app,
        &admin,
        json!({"name": "李四", "account_id": uuid::Uuid::now_v7()}),
    )
    .await;
    assert!(bad_account.is_problem(422));
    assert_eq!(bad_account.body["errors"][0]["field"], "account_id");
}

#[tokio::test]
async fn a_shared_phone_or_email_is_a_duplicate_unless_forced() {
    let app = TestApp::spawn().await;
    let admin = app.signup("联系人查重").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let first = create(
        &app,
        &admin,
        json!({"name": "张伟", "phones": ["13900139000"], "emails": ["zhang.wei@example.com"]}),
    )
    .await;
    assert_eq!(first.status, 201);

    let by_phone = create(
        &app,
        &sales,
        json!({"name": "张 伟", "phones": ["+86 139 0013 9000"]}),
    )
    .await;
    assert!(by_phone.is_problem(409), "{by_phone:?}");
    assert_eq!(by_phone.body["candidates"][0]["id"], first.body["id"]);
    assert_eq!(by_phone.body["candidates"][0]["reasons"], json!(["phone"]));
    let both = create(&app, &sales, json!({"name": "Zhang Wei", "phones": ["13900139000"], "emails": ["ZHANG.WEI@example.com"]})).await;
    assert_eq!(
        both.body["candidates"][0]["reasons"],
        json!(["phone", "email"])
    );
    let forced = app
        .post("/api/v1/contacts?force=true")
        .auth(&sales.token)
        .json(&json!({"name": "张伟", "phones": ["13900139000"]}))
        .send()
        .await;
    assert_eq!(forced.status, 201);

    // Adding a taken email on update is checked too; keeping one's own is not a duplicate.
    let other = create(
        &app,
        &admin,
        json!({"name": "李娜", "emails": ["li.na@example.com"]}),
    )
    .await;
    let url = format!("/api/v1/contacts/{}", other.str("/id"));
    let same = app
        .patch(&url)
        .auth(&admin.token)
        .if_match("\"1\"")
        .json(&json!({"title": "总监"}))
        .send()
        .await;
    assert_eq!(same.status, 200, "{same:?}");
    let taken = app
        .patch(&url)
        .auth(&admin.token)
        .if_match("\"2\"")
        .json(&json!({"emails": ["li.na@example.com", "zhang.wei@example.com"]}))
        .send()
        .await;
    assert!(taken.is_problem(409), "{taken:?}");
}

#[tokio::test]
async fn contacts_follow_visibility_versions_delete_and_history() {
    let app = TestApp::spawn().await;
    let admin = app.signup("联系人权限").await;
    let north = app.add_department(&admin, "华北大区", None).await;
    let sales = app.add_user(&admin, "sales", None).await;
    let other_sales = app.add_user(&admin, "sales", Some(north)).await;
    let other_tenant = app.signup("别家").await;
    let mine = create(
        &app,
        &sales,
        json!({"name": "赵敏", "phones": ["13700137000"]}),
    )
    .await;
    let url = format!("/api/v1/contacts/{}", mine.str("/id"));

    for outsider in [&other_sales, &other_tenant] {
        assert!(app
            .get(&url)
            .auth(&outsider.token)
            .send()
            .await
            .is_problem(404));
        assert!(app
            .patch(&url)
            .auth(&outsider.token)
            .if_match("*")
            .json(&json!({"title": "x"}))
            .send()
            .await
            .is_problem(404));
        assert!(app
            .delete(&url)
            .auth(&outsider.token)
            .if_match("*")
            .send()
            .await
            .is_problem(404));
        let listed = app
            .get("/api/v1/contacts")
            .auth(&outsider.token)
            .send()
            .await;
        assert!(listed.data().is_empty());
        let searched = app
            .get(&format!("/api/v1/search?q={}", urlencode("赵敏")))
            .auth(&outsider.token)
            .send()
            .await;
        assert!(searched.data().is_empty());
    }
    assert_eq!(app.get(&url).auth(&admin.token).send().await.status, 200);

    assert!(app
        .patch(&url)
        .auth(&sales.token)
        .json(&json!({"title": "经理"}))
        .send()
        .await
        .is_problem(428));
    let updated = app
        .patch(&url)
        .auth(&sales.token)
        .if_match("\"1\"")
        .json(&json!({"title": "经理", "phones": []}))
        .send()
        .await;
    assert_eq!(updated.status, 200);
    assert!(app
        .patch(&url)
        .auth(&sales.token)
        .if_match("\"1\"")
        .json(&json!({"title": "总监"}))
        .send()
        .await
        .is_problem(412));
    assert_eq!(
        app.delete(&url)
            .auth(&sales.token)
            .if_match("\"2\"")
            .send()
            .await
            .status,
        204
    );
    assert!(app
        .get(&url)
        .auth(&sales.token)
        .send()
        .await
        .is_problem(404));
    assert_eq!(
        app.post(&format!("{url}/restore"))
            .auth(&sales.token)
            .send()
            .await
            .status,
        200
    );

    let history = app
        .get(&format!("{url}/history"))
        .auth(&sales.token)
        .send()
        .await;
    let actions: Vec<&str> = history
        .data()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["restore", "delete", "update", "create"]);
    let changes = history.data()[2]["changes"].as_array().expect("changes");
    assert!(changes.contains(&json!({"field": "title", "old": null, "new": "经理"})));
    assert!(changes.contains(&json!({"field": "phones", "old": ["+8613700137000"], "new": []})));
}
