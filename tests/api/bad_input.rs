//! Hostile and out-of-range input: always a 4xx naming the field or parameter, never a 500,
//! and nothing written.

use serde_json::{json, Value};
use testkit::{urlencode, TestApp};

const NUL: &str = "abc\u{0}def有限公司";

/// `body` with `field` (a JSON pointer) set to a text holding U+0000.
fn with_nul(body: &Value, pointer: &str) -> Value {
    let mut b = body.clone();
    *b.pointer_mut(pointer)
        .expect("the field exists in the body") = json!(NUL);
    b
}

#[tokio::test]
async fn a_nul_character_in_any_body_field_is_a_422_naming_it() {
    let app = TestApp::spawn().await;
    let admin = app.signup("零字符").await;
    let account = app
        .add_account(&admin, json!({"name": "杭州西湖茶业有限公司"}))
        .await;
    let account_id = account["id"].as_str().expect("id");
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        ("/api/v1/accounts", json!({"name": "x"}), "/name", "name"),
        (
            "/api/v1/accounts",
            json!({"name": "x", "address": "x"}),
            "/address",
            "address",
        ),
        (
            "/api/v1/accounts",
            json!({"name": "x", "tags": ["a", "b"]}),
            "/tags/1",
            "tags[1]",
        ),
        ("/api/v1/contacts", json!({"name": "x"}), "/name", "name"),
        (
            "/api/v1/contacts",
            json!({"name": "x", "title": "x"}),
            "/title",
            "title",
        ),
        (
            "/api/v1/contacts",
            json!({"name": "x", "wechat": "x"}),
            "/wechat",
            "wechat",
        ),
        ("/api/v1/leads", json!({"name": "x"}), "/name", "name"),
        (
            "/api/v1/leads",
            json!({"name": "x", "company": "x"}),
            "/company",
            "company",
        ),
        (
            "/api/v1/leads",
            json!({"name": "x", "description": "x"}),
            "/description",
            "description",
        ),
        (
            "/api/v1/opportunities",
            json!({"name": "x", "account_id": account_id}),
            "/name",
            "name",
        ),
        (
            "/api/v1/opportunities",
            json!({"name": "x", "account_id": account_id, "competitors": ["x"]}),
            "/competitors/0",
            "competitors[0]",
        ),
        (
            "/api/v1/activities",
            json!({"kind": "note", "subject": "x", "entity": "account", "entity_id": account_id}),
            "/subject",
            "subject",
        ),
        (
            "/api/v1/activities",
            json!({"kind": "note", "subject": "x", "body": "x", "entity": "account", "entity_id": account_id}),
            "/body",
            "body",
        ),
        (
            "/api/v1/api-keys",
            json!({"name": "x", "scopes": ["accounts:read"]}),
            "/name",
            "name",
        ),
        (
            "/api/v1/departments",
            json!({"name": "x", "parent_id": admin.department_id}),
            "/name",
            "name",
        ),
    ];
    for (path, body, pointer, field) in cases {
        let res = app
            .post(path)
            .auth(&admin.token)
            .json(&with_nul(&body, pointer))
            .send()
            .await;
        assert!(res.is_problem(422), "{path} {field}: {res:?}");
        assert_eq!(res.body["errors"][0]["field"], field, "{path}: {res:?}");
        assert_eq!(res.body["errors"][0]["code"], "nul", "{path}: {res:?}");
    }
    // Sign-up and sign-in need no account to reach the database.
    let signup = app
        .post("/api/v1/auth/signup")
        .json(&json!({"organization_name": "甲", "name": NUL, "email": "nul@example.cn", "password": testkit::PASSWORD}))
        .send()
        .await;
    assert!(signup.is_problem(422), "{signup:?}");
    assert_eq!(signup.body["errors"][0]["field"], "name");
    let login = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": "a\u{0}@example.cn", "password": "x"}))
        .send()
        .await;
    assert!(login.is_problem(422), "{login:?}");
    assert_eq!(login.body["errors"][0]["field"], "email");
    // An escaped backslash before "u0000" is ordinary text.
    let literal = app
        .post("/api/v1/accounts")
        .auth(&admin.token)
        .raw(
            "application/json",
            r#"{"name": "C:\\u0000 文件夹有限公司"}"#,
        )
        .send()
        .await;
    assert_eq!(literal.status, 201, "{literal:?}");
    assert_eq!(
        app.total(&admin, "accounts").await,
        2,
        "nothing else was written"
    );
}

#[tokio::test]
async fn a_nul_character_in_a_query_or_path_is_a_400_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let admin = app.signup("零字符查询").await;
    for (path, param) in [
        ("/api/v1/search?q=", "q"),
        ("/api/v1/accounts?q=", "q"),
        ("/api/v1/contacts?name=", "name"),
        ("/api/v1/leads?company[contains]=", "company[contains]"),
        ("/api/v1/regions?q=", "q"),
    ] {
        let url = format!("{path}{}", urlencode(NUL));
        let res = app.get(&url).auth(&admin.token).send().await;
        assert!(res.is_problem(400), "{url}: {res:?}");
        let detail = res.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(&format!("`{param}`")), "{url}: {detail}");
    }
    let path = app
        .get("/api/v1/picklists/abc%00def")
        .auth(&admin.token)
        .send()
        .await;
    assert!(path.is_problem(400), "{path:?}");
}

#[tokio::test]
async fn out_of_range_filter_values_are_a_400_naming_the_parameter() {
    let app = TestApp::spawn().await;
    let admin = app.signup("越界").await;
    app.add_account(
        &admin,
        json!({"name": "苏州工业园区精密有限公司", "employees": 10}),
    )
    .await;
    let huge = "9".repeat(400);
    for (query, param) in [
        ("created_at[gte]=99999-01-01".to_string(), "created_at"),
        (
            "created_at[lt]=+275760-09-13T00:00:00Z".to_string(),
            "created_at",
        ),
        ("updated_at=0000-01-01".to_string(), "updated_at"),
        (
            "employees[gt]=99999999999999999999".to_string(),
            "employees",
        ),
        (format!("annual_revenue[gt]={huge}"), "annual_revenue"),
        ("annual_revenue[lt]=1e400".to_string(), "annual_revenue"),
        ("annual_revenue[gt]=0.000001".to_string(), "annual_revenue"),
        (format!("annual_revenue[in]=1,{huge}"), "annual_revenue"),
        ("limit=99999999999999999999".to_string(), "limit"),
    ] {
        let url = format!("/api/v1/accounts?{query}");
        let res = app.get(&url).auth(&admin.token).send().await;
        assert!(res.is_problem(400), "{url}: {res:?}");
        let detail = res.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(param), "{url}: {detail}");
    }
    // In range, the same filters work.
    let ok = app
        .get("/api/v1/accounts?created_at[gte]=2000-01-01&annual_revenue[lt]=999999999999999.9999&employees[gt]=1")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(ok.status, 200, "{ok:?}");
}

#[tokio::test]
async fn every_reference_must_name_a_record_of_the_organization() {
    let app = TestApp::spawn().await;
    let admin = app.signup("引用检查").await;
    let account = app
        .add_account(&admin, json!({"name": "南京紫金山电子有限公司"}))
        .await;
    let account_id = account["id"].as_str().expect("id");
    let nowhere = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    let cases = [
        (
            "/api/v1/opportunities",
            json!({"name": "x", "account_id": account_id, "campaign_id": nowhere}),
            "campaign_id",
        ),
        (
            "/api/v1/opportunities",
            json!({"name": "x", "account_id": nowhere}),
            "account_id",
        ),
        (
            "/api/v1/contacts",
            json!({"name": "x", "account_id": nowhere}),
            "account_id",
        ),
        (
            "/api/v1/leads",
            json!({"name": "x", "owner_id": nowhere}),
            "owner_id",
        ),
        (
            "/api/v1/activities",
            json!({"kind": "note", "subject": "x", "entity": "account", "entity_id": nowhere}),
            "entity_id",
        ),
    ];
    for (path, body, field) in cases {
        let res = app.post(path).auth(&admin.token).json(&body).send().await;
        assert!(res.is_problem(422), "{path} {field}: {res:?}");
        let named = res.body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .any(|e| e["field"] == field);
        assert!(named, "{path}: {res:?}");
    }
    assert_eq!(app.total(&admin, "opportunities").await, 0);
}
