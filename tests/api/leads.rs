use serde_json::{json, Value};
use testkit::{urlencode, Res, Session, TestApp};

async fn create(app: &TestApp, who: &Session, body: Value) -> Res {
    app.post("/api/v1/leads")
        .auth(&who.token)
        .json(&body)
        .send()
        .await
}

async fn convert(app: &TestApp, who: &Session, lead: &Value, body: Value) -> Res {
    app.post(&format!(
        "/api/v1/leads/{}/convert",
        lead["id"].as_str().expect("id")
    ))
    .auth(&who.token)
    .if_match("*")
    .json(&body)
    .send()
    .await
}

fn fields(res: &Res) -> Vec<String> {
    res.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn leads_are_normalized_worked_and_disqualified_with_a_reason() {
    let app = TestApp::spawn().await;
    let admin = app.signup("线索测试").await;
    let res = create(
        &app,
        &admin,
        json!({"name": " 李强 ", "company": "广州市白云日化有限公司", "title": "采购总监",
               "phone": "139 1234 5678", "email": " Li.Qiang@Example.COM ", "region": "440111",
               "industry": "manufacturing", "source": "trade_show", "description": "广交会展位留资"}),
    )
    .await;
    assert_eq!(res.status, 201, "{res:?}");
    assert_eq!(res.body["name"], "李强");
    assert_eq!(res.body["phone"], "+8613912345678");
    assert_eq!(res.body["email"], "li.qiang@example.com");
    assert_eq!(res.body["status"], "new");
    let lead = res.body.clone();
    let id = lead["id"].as_str().expect("id").to_string();

    let bad = create(
        &app,
        &admin,
        json!({"name": "", "phone": "12", "email": "nope", "region": "999999",
               "source": "telepathy", "industry": "alchemy", "status": "converted"}),
    )
    .await;
    assert!(bad.is_problem(422), "{bad:?}");
    let named = fields(&bad);
    for f in [
        "name", "phone", "email", "status", "region", "source", "industry",
    ] {
        assert!(named.iter().any(|n| n == f), "{f} is named in {named:?}");
    }

    let url = format!("/api/v1/leads/{id}");
    let contacted = app
        .patch(&url)
        .auth(&admin.token)
        .if_match(&res.etag())
        .json(&json!({"status": "contacted"}))
        .send()
        .await;
    assert_eq!(contacted.status, 200, "{contacted:?}");
    let no_reason = app
        .patch(&url)
        .auth(&admin.token)
        .if_match(&contacted.etag())
        .json(&json!({"status": "disqualified"}))
        .send()
        .await;
    assert!(no_reason.is_problem(422));
    assert_eq!(fields(&no_reason), ["disqualify_reason"]);
    let unknown_reason = app
        .patch(&url)
        .auth(&admin.token)
        .if_match(&contacted.etag())
        .json(&json!({"status": "disqualified", "disqualify_reason": "bad_luck"}))
        .send()
        .await;
    assert_eq!(fields(&unknown_reason), ["disqualify_reason"]);
    let disqualified = app
        .patch(&url)
        .auth(&admin.token)
        .if_match(&contacted.etag())
        .json(&json!({"status": "disqualified", "disqualify_reason": "no_budget"}))
        .send()
        .await;
    assert_eq!(disqualified.status, 200, "{disqualified:?}");
    assert_eq!(disqualified.body["disqualify_reason"], "no_budget");
    let refused = convert(&app, &admin, &lead, json!({})).await;
    assert!(
        refused.is_problem(409),
        "a disqualified lead does not convert"
    );

    let listed = app
        .get("/api/v1/leads?status=disqualified")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(listed.data().len(), 1);
    let reopened = app
        .patch(&url)
        .auth(&admin.token)
        .if_match(&disqualified.etag())
        .json(&json!({"status": "qualified"}))
        .send()
        .await;
    assert_eq!(reopened.status, 200, "{reopened:?}");
    assert_eq!(reopened.body["disqualify_reason"], Value::Null);

    for q in ["白云日化", "13912345678", "li.qiang"] {
        let found = app
            .get(&format!("/api/v1/leads?q={}", urlencode(q)))
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
                .any(|h| h["entity"] == "lead" && h["id"] == id.as_str()),
            "global search {q}: {global:?}"
        );
    }
    let history = app
        .get(&format!("{url}/history"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(
        history.data().len(),
        4,
        "create + three updates: {history:?}"
    );
}

#[tokio::test]
async fn lead_duplicates_are_found_among_leads_contacts_and_accounts() {
    let app = TestApp::spawn().await;
    let admin = app.signup("线索查重").await;
    let account = app
        .add_account(&admin, json!({"name": "深圳市丰泽日用品有限公司"}))
        .await;
    let contact = app
        .post("/api/v1/contacts")
        .auth(&admin.token)
        .json(&json!({"name": "王芳", "phones": ["13800138000"], "account_id": account["id"]}))
        .send()
        .await;
    assert_eq!(contact.status, 201);
    let first = create(
        &app,
        &admin,
        json!({"name": "赵敏", "email": "zhao@example.com"}),
    )
    .await;
    assert_eq!(first.status, 201);

    let by_phone = create(
        &app,
        &admin,
        json!({"name": "王女士", "phone": "138 0013 8000"}),
    )
    .await;
    assert!(by_phone.is_problem(409), "{by_phone:?}");
    let c = &by_phone.body["candidates"][0];
    assert_eq!(
        (c["entity"].as_str(), c["id"].as_str(), c["reasons"].clone()),
        (
            Some("contact"),
            contact.body["id"].as_str(),
            json!(["phone"])
        )
    );
    let by_email = create(
        &app,
        &admin,
        json!({"name": "Zhao", "email": "ZHAO@example.com"}),
    )
    .await;
    assert!(by_email.is_problem(409));
    assert_eq!(by_email.body["candidates"][0]["entity"], "lead");
    assert_eq!(by_email.body["candidates"][0]["reasons"], json!(["email"]));
    let by_company = create(
        &app,
        &admin,
        json!({"name": "陈总", "company": "深圳市丰泽日用品有限公司"}),
    )
    .await;
    assert!(by_company.is_problem(409));
    assert_eq!(by_company.body["candidates"][0]["entity"], "account");
    assert_eq!(by_company.body["candidates"][0]["id"], account["id"]);

    let forced = app
        .post("/api/v1/leads?force=true")
        .auth(&admin.token)
        .json(&json!({"name": "王女士", "phone": "138 0013 8000"}))
        .send()
        .await;
    assert_eq!(forced.status, 201, "{forced:?}");
}

#[tokio::test]
async fn conversion_creates_the_account_contact_and_deal_once() {
    let app = TestApp::spawn().await;
    let admin = app.signup("线索转化").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let lead = create(
        &app,
        &sales,
        json!({"name": "李强", "company": "广州市白云日化有限公司", "title": "采购总监",
               "phone": "13912345678", "email": "li@baiyun.example.cn", "region": "440111",
               "industry": "manufacturing", "source": "trade_show", "tags": ["广交会"]}),
    )
    .await;
    assert_eq!(lead.status, 201, "{lead:?}");
    let done = convert(
        &app,
        &sales,
        &lead.body,
        json!({"opportunity": {"name": "白云日化 2027 年度采购",
               "amount": {"amount": "120000.50", "currency": "CNY"}, "expected_close": "2027-03-31"}}),
    )
    .await;
    assert_eq!(done.status, 200, "{done:?}");
    let b = &done.body;
    assert_eq!(b["account_created"], true);
    assert_eq!(b["contact_created"], true);
    assert_eq!(b["account"]["name"], "广州市白云日化有限公司");
    assert_eq!(b["account"]["region"], "440111");
    assert_eq!(b["account"]["source"], "trade_show");
    assert_eq!(b["account"]["owner_id"], sales.user_id.to_string());
    assert_eq!(b["contact"]["account_id"], b["account"]["id"]);
    assert_eq!(b["contact"]["phones"], json!(["+8613912345678"]));
    assert_eq!(b["contact"]["title"], "采购总监");
    assert_eq!(b["opportunity"]["account_id"], b["account"]["id"]);
    assert_eq!(b["opportunity"]["contact_id"], b["contact"]["id"]);
    assert_eq!(
        b["opportunity"]["amount"],
        json!({"amount": "120000.50", "currency": "CNY"})
    );
    assert_eq!(b["opportunity"]["source"], "trade_show");
    assert_eq!(b["lead"]["status"], "converted");
    assert_eq!(b["lead"]["account_id"], b["account"]["id"]);
    assert_eq!(b["lead"]["contact_id"], b["contact"]["id"]);
    assert_eq!(b["lead"]["opportunity_id"], b["opportunity"]["id"]);

    let account_id = b["account"]["id"].as_str().expect("id").to_string();
    let contacts = app
        .get(&format!("/api/v1/accounts/{account_id}/contacts"))
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(contacts.data().len(), 1);
    let deals = app
        .get(&format!("/api/v1/accounts/{account_id}/opportunities"))
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(deals.data().len(), 1);

    let again = convert(&app, &sales, &lead.body, json!({})).await;
    assert!(again.is_problem(409), "{again:?}");
    assert!(again.body["detail"]
        .as_str()
        .expect("detail")
        .contains(&account_id));
    let edit = app
        .patch(&format!("/api/v1/leads/{}", lead.str("/id")))
        .auth(&sales.token)
        .if_match("*")
        .json(&json!({"name": "改名"}))
        .send()
        .await;
    assert!(edit.is_problem(409), "converted leads are read-only");

    // A second person at the same company: linked to the existing account, no new one.
    let second = create(
        &app,
        &sales,
        json!({"name": "周洁", "email": "zhou@baiyun.example.cn"}),
    )
    .await;
    assert_eq!(second.status, 201, "{second:?}");
    let linked = convert(
        &app,
        &sales,
        &second.body,
        json!({"account_id": account_id}),
    )
    .await;
    assert_eq!(linked.status, 200, "{linked:?}");
    assert_eq!(linked.body["account_created"], false);
    assert_eq!(linked.body["contact"]["account_id"], account_id.as_str());
    assert_eq!(linked.body["opportunity"], Value::Null);
    assert_eq!(app.total(&sales, "accounts").await, 1);
    assert_eq!(app.total(&sales, "contacts").await, 2);

    // A lead whose phone is already a contact's: 409 with the candidate, then linked to it.
    let third = app
        .post("/api/v1/leads?force=true")
        .auth(&sales.token)
        .json(&json!({"name": "李强", "phone": "139 1234 5678"}))
        .send()
        .await;
    let dup = convert(&app, &sales, &third.body, json!({"account_id": account_id})).await;
    assert!(dup.is_problem(409), "{dup:?}");
    assert_eq!(dup.body["candidates"][0]["id"], b["contact"]["id"]);
    let to_contact = convert(
        &app,
        &sales,
        &third.body,
        json!({"account_id": account_id, "contact_id": b["contact"]["id"]}),
    )
    .await;
    assert_eq!(to_contact.status, 200, "{to_contact:?}");
    assert_eq!(to_contact.body["contact_created"], false);
    assert_eq!(app.total(&sales, "contacts").await, 2);
}

#[tokio::test]
async fn a_failed_conversion_leaves_nothing_behind() {
    let app = TestApp::spawn().await;
    let admin = app.signup("转化回滚").await;
    let lead = create(
        &app,
        &admin,
        json!({"name": "李强", "company": "广州市白云日化有限公司", "phone": "13912345678"}),
    )
    .await;
    let counts = async || {
        (
            app.total(&admin, "accounts").await,
            app.total(&admin, "contacts").await,
            app.total(&admin, "opportunities").await,
        )
    };
    assert_eq!(counts().await, (0, 0, 0));

    // The deal is the last part created: a stage from nowhere fails after account and contact.
    let bad_stage = convert(
        &app,
        &admin,
        &lead.body,
        json!({"opportunity": {"name": "年度采购", "stage_id": uuid::Uuid::now_v7()}}),
    )
    .await;
    assert!(bad_stage.is_problem(422), "{bad_stage:?}");
    assert_eq!(fields(&bad_stage), ["opportunity.stage_id"]);
    assert_eq!(counts().await, (0, 0, 0));

    // A failure injected into the very last write (marking the lead converted).
    app.sql(
        "CREATE FUNCTION inject_failure() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$; \
         CREATE TRIGGER inject_failure BEFORE UPDATE ON leads \
         FOR EACH ROW EXECUTE FUNCTION inject_failure();",
    )
    .await;
    let failed = convert(
        &app,
        &admin,
        &lead.body,
        json!({"opportunity": {"name": "年度采购"}}),
    )
    .await;
    assert!(failed.is_problem(500), "{failed:?}");
    assert!(
        !failed.body.to_string().contains("injected"),
        "no internals leak: {failed:?}"
    );
    assert_eq!(counts().await, (0, 0, 0));
    let unchanged = app
        .get(&format!("/api/v1/leads/{}", lead.str("/id")))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(unchanged.body["status"], "new");
    assert_eq!(unchanged.body["version"], 1);
    let history = app
        .get(&format!("/api/v1/leads/{}/history", lead.str("/id")))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(history.data().len(), 1, "only the create");

    app.sql("DROP TRIGGER inject_failure ON leads;").await;
    let done = convert(
        &app,
        &admin,
        &lead.body,
        json!({"opportunity": {"name": "年度采购"}}),
    )
    .await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(counts().await, (1, 1, 1));
}

#[tokio::test]
async fn a_salesperson_sees_only_own_leads() {
    let app = TestApp::spawn().await;
    let admin = app.signup("线索权限").await;
    let alice = app.add_user(&admin, "sales", None).await;
    let bob = app.add_user(&admin, "sales", None).await;
    let lead = create(&app, &alice, json!({"name": "李强", "company": "白云日化"})).await;
    let url = format!("/api/v1/leads/{}", lead.str("/id"));
    assert!(app.get(&url).auth(&bob.token).send().await.is_problem(404));
    let listed = app.get("/api/v1/leads").auth(&bob.token).send().await;
    assert_eq!(listed.data().len(), 0);
    let searched = app
        .get(&format!("/api/v1/search?q={}", urlencode("白云")))
        .auth(&bob.token)
        .send()
        .await;
    assert_eq!(searched.data().len(), 0);
    assert!(convert(&app, &bob, &lead.body, json!({}))
        .await
        .is_problem(404));
    assert_eq!(app.get(&url).auth(&admin.token).send().await.status, 200);
    let other = app.signup("另一家公司").await;
    assert!(app
        .get(&url)
        .auth(&other.token)
        .send()
        .await
        .is_problem(404));
}
