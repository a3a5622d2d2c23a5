use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};

async fn post(app: &TestApp, who: &Session, path: &str, body: Value) -> Res {
    app.post(path).auth(&who.token).json(&body).send().await
}

async fn get(app: &TestApp, who: &Session, path: &str) -> Res {
    app.get(path).auth(&who.token).send().await
}

/// The parts of a merge result that must not depend on whether it was a dry run.
fn outcome(res: &Res) -> Value {
    let mut record = res.body["record"].clone();
    for volatile in ["updated_at", "version"] {
        record[volatile] = Value::Null;
    }
    json!({"record": record, "merged": res.body["merged"], "filled": res.body["filled"], "moved": res.body["moved"]})
}

#[tokio::test]
async fn an_account_merge_equals_its_dry_run_and_keeps_everything() {
    let app = TestApp::spawn().await;
    let admin = app.signup("客户合并").await;
    let kept = app
        .add_account(&admin, json!({"name": "深圳市丰泽日用品有限公司", "phone": "0755-8888 6666", "tags": ["日化"]}))
        .await;
    let other = app
        .add_account(
            &admin,
            json!({"name": "深圳市丰泽日用品有限公司", "credit_code": "91440300708461136T",
                   "industry": "manufacturing", "phone": "0755-1234 5678", "tags": ["重点", "日化"]}),
        )
        .await;
    let (kept_id, other_id) = (
        kept["id"].as_str().expect("id"),
        other["id"].as_str().expect("id"),
    );
    for (name, phone) in [("王芳", "13800138000"), ("李强", "13912345678")] {
        let c = post(
            &app,
            &admin,
            "/api/v1/contacts",
            json!({"name": name, "phones": [phone], "account_id": other_id}),
        )
        .await;
        assert_eq!(c.status, 201, "{c:?}");
    }
    let deal = post(
        &app,
        &admin,
        "/api/v1/opportunities",
        json!({"name": "年度采购", "account_id": other_id}),
    )
    .await;
    assert_eq!(deal.status, 201, "{deal:?}");

    let groups = get(&app, &admin, "/api/v1/duplicates?entity=accounts").await;
    assert_eq!(groups.status, 200, "{groups:?}");
    let group = &groups.data()[0];
    assert_eq!(group["reason"], "name");
    let members: Vec<&str> = group["records"]
        .as_array()
        .expect("records")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(
        members.contains(&kept_id) && members.contains(&other_id),
        "{group:?}"
    );

    let body = json!({"into": kept_id, "from": [other_id]});
    let preview = post(
        &app,
        &admin,
        "/api/v1/accounts/merge?dry_run=true",
        body.clone(),
    )
    .await;
    assert_eq!(preview.status, 200, "{preview:?}");
    assert_eq!(preview.body["dry_run"], true);
    assert_eq!(
        preview.body["moved"],
        json!({"contacts": 2, "opportunities": 1, "leads": 0, "activities": 0, "history": 1})
    );
    assert_eq!(
        get(&app, &admin, &format!("/api/v1/accounts/{other_id}"))
            .await
            .status,
        200,
        "a dry run changes nothing"
    );
    assert_eq!(
        get(
            &app,
            &admin,
            &format!("/api/v1/accounts/{other_id}/contacts")
        )
        .await
        .data()
        .len(),
        2
    );

    let done = post(&app, &admin, "/api/v1/accounts/merge", body.clone()).await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.body["dry_run"], false);
    assert_eq!(
        outcome(&done),
        outcome(&preview),
        "the merge is what its dry run showed"
    );
    let record = &done.body["record"];
    assert_eq!(
        record["phone"], "+8675588886666",
        "the kept record's values win"
    );
    assert_eq!(
        record["credit_code"], "91440300708461136T",
        "blanks are filled"
    );
    assert_eq!(record["industry"], "manufacturing");
    assert_eq!(record["tags"], json!(["日化", "重点"]));
    let mut filled: Vec<&str> = done.body["filled"]
        .as_array()
        .expect("filled")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    filled.sort();
    assert_eq!(filled, ["credit_code", "industry", "tags"]);

    assert!(get(&app, &admin, &format!("/api/v1/accounts/{other_id}"))
        .await
        .is_problem(404));
    let contacts = get(
        &app,
        &admin,
        &format!("/api/v1/accounts/{kept_id}/contacts"),
    )
    .await;
    assert_eq!(contacts.data().len(), 2, "every related record is kept");
    let deals = get(
        &app,
        &admin,
        &format!("/api/v1/accounts/{kept_id}/opportunities"),
    )
    .await;
    assert_eq!(deals.data().len(), 1);
    let moved_history = get(
        &app,
        &admin,
        &format!(
            "/api/v1/contacts/{}/history",
            contacts.data()[0]["id"].as_str().expect("id")
        ),
    )
    .await;
    assert!(moved_history
        .data()
        .iter()
        .any(|e| e["changes"][0]["field"] == "account_id"
            && e["changes"][0]["old"] == other_id
            && e["changes"][0]["new"] == kept_id));
    let history = get(
        &app,
        &admin,
        &format!("/api/v1/accounts/{kept_id}/history?limit=200"),
    )
    .await;
    let actions: Vec<&str> = history
        .data()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "create").count(),
        2,
        "both creates: {actions:?}"
    );
    assert_eq!(actions[0], "merge", "{actions:?}");
    let binned = get(&app, &admin, "/api/v1/accounts?deleted=true").await;
    assert!(binned.data().iter().any(|a| a["id"] == other_id));
    assert_eq!(
        get(&app, &admin, "/api/v1/duplicates?entity=accounts")
            .await
            .data()
            .len(),
        0
    );
    let again = post(&app, &admin, "/api/v1/accounts/merge", body).await;
    assert!(again.is_problem(404), "a merged account is gone: {again:?}");
}

#[tokio::test]
async fn contacts_merge_their_phones_emails_and_deals() {
    let app = TestApp::spawn().await;
    let admin = app.signup("联系人合并").await;
    let account = app.add_account(&admin, json!({"name": "白云日化"})).await;
    let a = post(
        &app,
        &admin,
        "/api/v1/contacts",
        json!({"name": "王芳", "phones": ["13800138000"], "emails": ["wang@a.example"]}),
    )
    .await;
    let b = post(&app, &admin, "/api/v1/contacts?force=true",
        json!({"name": "王芳（采购）", "phones": ["13800138000", "075588886666"], "emails": ["fang@b.example"], "title": "采购经理", "account_id": account["id"]})).await;
    assert_eq!(b.status, 201, "{b:?}");
    let deal = post(
        &app,
        &admin,
        "/api/v1/opportunities",
        json!({"name": "采购", "account_id": account["id"], "contact_id": b.body["id"]}),
    )
    .await;
    assert_eq!(deal.status, 201, "{deal:?}");
    let groups = get(&app, &admin, "/api/v1/duplicates?entity=contacts").await;
    assert_eq!(groups.data().len(), 1, "{groups:?}");
    assert_eq!(groups.data()[0]["reason"], "phone");
    assert_eq!(groups.data()[0]["key"], "+8613800138000");

    let body = json!({"into": a.body["id"], "from": [b.body["id"]]});
    let preview = post(
        &app,
        &admin,
        "/api/v1/contacts/merge?dry_run=true",
        body.clone(),
    )
    .await;
    let done = post(&app, &admin, "/api/v1/contacts/merge", body).await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(outcome(&done), outcome(&preview));
    let record = &done.body["record"];
    assert_eq!(record["name"], "王芳");
    assert_eq!(
        record["phones"],
        json!(["+8613800138000", "+8675588886666"])
    );
    assert_eq!(
        record["emails"],
        json!(["wang@a.example", "fang@b.example"])
    );
    assert_eq!(record["title"], "采购经理");
    assert_eq!(record["account_id"], account["id"]);
    assert_eq!(done.body["moved"]["opportunities"], 1);
    let moved = get(
        &app,
        &admin,
        &format!("/api/v1/opportunities/{}", deal.str("/id")),
    )
    .await;
    assert_eq!(moved.body["contact_id"], a.body["id"]);
}

#[tokio::test]
async fn merges_and_duplicates_respect_visibility_and_bad_requests() {
    let app = TestApp::spawn().await;
    let admin = app.signup("合并权限").await;
    let alice = app.add_user(&admin, "sales", None).await;
    let bob = app.add_user(&admin, "sales", None).await;
    let mine = post(
        &app,
        &alice,
        "/api/v1/contacts",
        json!({"name": "甲", "phones": ["13800138000"]}),
    )
    .await;
    let theirs = post(
        &app,
        &bob,
        "/api/v1/contacts?force=true",
        json!({"name": "乙", "phones": ["13800138000"]}),
    )
    .await;
    assert_eq!(theirs.status, 201);
    assert_eq!(
        get(&app, &bob, "/api/v1/duplicates?entity=contacts")
            .await
            .data()
            .len(),
        0,
        "bob sees only his own"
    );
    assert_eq!(
        get(&app, &admin, "/api/v1/duplicates?entity=contacts")
            .await
            .data()
            .len(),
        1
    );
    let refused = post(
        &app,
        &bob,
        "/api/v1/contacts/merge",
        json!({"into": theirs.body["id"], "from": [mine.body["id"]]}),
    )
    .await;
    assert!(refused.is_problem(404), "{refused:?}");
    let itself = post(
        &app,
        &admin,
        "/api/v1/contacts/merge",
        json!({"into": mine.body["id"], "from": [mine.body["id"]]}),
    )
    .await;
    assert!(itself.is_problem(422));
    assert_eq!(itself.body["errors"][0]["field"], "from[0]");
    let nothing = post(
        &app,
        &admin,
        "/api/v1/contacts/merge",
        json!({"into": mine.body["id"], "from": []}),
    )
    .await;
    assert!(nothing.is_problem(422));
    assert!(
        get(&app, &admin, "/api/v1/duplicates?entity=planets")
            .await
            .is_problem(422)
            || get(&app, &admin, "/api/v1/duplicates?entity=planets")
                .await
                .is_problem(403)
    );
    assert!(get(&app, &admin, "/api/v1/duplicates")
        .await
        .is_problem(400));
}
