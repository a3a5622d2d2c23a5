//! What a credential may do: an API key's timeline shows only what its scopes read, a key cannot
//! be made already expired, and `/forecast` refuses parameters it does not know.

use serde_json::{json, Value};
use testkit::{Session, TestApp};

async fn created(app: &TestApp, who: &Session, path: &str, body: Value) -> Value {
    let res = app.post(path).auth(&who.token).json(&body).send().await;
    assert_eq!(res.status, 201, "{path}: {res:?}");
    res.body
}

async fn key(app: &TestApp, who: &Session, scopes: &[&str]) -> String {
    let res = app
        .post("/api/v1/api-keys")
        .auth(&who.token)
        .json(&json!({"name": "集成", "scopes": scopes}))
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    res.str("/secret").to_string()
}

/// (kind, entity) of every item of a timeline read with `token`.
async fn timeline(app: &TestApp, token: &str, path: &str) -> Vec<(String, String)> {
    let res = app
        .get(&format!("{path}?limit=200"))
        .auth(token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let mut items: Vec<(String, String)> = res
        .data()
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_string();
            (s("kind"), s("entity"))
        })
        .collect();
    items.sort();
    items.dedup();
    items
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(k, e)| (k.to_string(), e.to_string()))
        .collect()
}

#[tokio::test]
async fn a_timeline_shows_only_what_the_api_key_may_read() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let acc = app.add_account(&admin, json!({"name": "丰泽日用品"})).await;
    let contact = created(
        &app,
        &admin,
        "/api/v1/contacts",
        json!({"name": "王芳", "account_id": acc["id"]}),
    )
    .await;
    let deal = created(
        &app,
        &admin,
        "/api/v1/opportunities",
        json!({"name": "包材采购", "account_id": acc["id"]}),
    )
    .await;
    for (entity, record) in [
        ("account", &acc),
        ("contact", &contact),
        ("opportunity", &deal),
    ] {
        created(
            &app,
            &admin,
            "/api/v1/activities",
            json!({"kind": "call", "subject": "回访", "entity": entity, "entity_id": record["id"]}),
        )
        .await;
    }
    let path = format!(
        "/api/v1/accounts/{}/timeline",
        acc["id"].as_str().expect("id")
    );
    let everything = pairs(&[
        ("activity", "account"),
        ("activity", "contact"),
        ("activity", "opportunity"),
        ("field_change", "account"),
        ("field_change", "contact"),
        ("field_change", "opportunity"),
        ("stage_change", "opportunity"),
    ]);
    assert_eq!(timeline(&app, &admin.token, &path).await, everything);

    let accounts_only = key(&app, &admin, &["accounts:read"]).await;
    assert_eq!(
        timeline(&app, &accounts_only, &path).await,
        pairs(&[("field_change", "account")]),
        "no activities, contacts or deals through an accounts-only key"
    );
    let with_deals = key(&app, &admin, &["accounts:read", "opportunities:write"]).await;
    assert_eq!(
        timeline(&app, &with_deals, &path).await,
        pairs(&[
            ("field_change", "account"),
            ("field_change", "opportunity"),
            ("stage_change", "opportunity"),
        ])
    );
    let with_activities = key(&app, &admin, &["accounts:read", "activities:read"]).await;
    assert_eq!(
        timeline(&app, &with_activities, &path).await,
        pairs(&[
            ("activity", "account"),
            ("activity", "contact"),
            ("activity", "opportunity"),
            ("field_change", "account"),
        ])
    );
    let contacts_only = key(&app, &admin, &["contacts:read"]).await;
    let contact_path = format!(
        "/api/v1/contacts/{}/timeline",
        contact["id"].as_str().expect("id")
    );
    assert_eq!(
        timeline(&app, &contacts_only, &contact_path).await,
        pairs(&[("field_change", "contact")])
    );
}

#[tokio::test]
async fn an_api_key_cannot_expire_in_the_past() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let res = app
        .post("/api/v1/api-keys")
        .auth(&admin.token)
        .json(&json!({"name": "过期", "scopes": ["accounts:read"], "expires_at": past}))
        .send()
        .await;
    assert!(res.is_problem(422), "{res:?}");
    assert_eq!(res.body["errors"][0]["field"], "expires_at");
    let future = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let ok = app
        .post("/api/v1/api-keys")
        .auth(&admin.token)
        .json(&json!({"name": "一个月", "scopes": ["accounts:read"], "expires_at": future}))
        .send()
        .await;
    assert_eq!(ok.status, 201, "{ok:?}");
}

#[tokio::test]
async fn the_forecast_refuses_unknown_query_parameters() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let res = app
        .get("/api/v1/forecast?by=owner&group=team")
        .auth(&admin.token)
        .send()
        .await;
    assert!(res.is_problem(400), "{res:?}");
    assert!(
        res.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("group")),
        "names the parameter: {res:?}"
    );
    let ok = app
        .get("/api/v1/forecast?by=owner")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(ok.status, 200, "{ok:?}");
}
