//! Activities (calls, visits, notes, tasks) on the records they belong to: kinds and their
//! rules, my tasks, neglect, visibility and merges. The helpers here are shared by the parts.

mod kinds;
mod merges;
mod neglect;
mod tasks;

use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{json, Value};
use testkit::{urlencode, Res, Session, TestApp};

async fn log(app: &TestApp, who: &Session, body: Value) -> Res {
    app.post("/api/v1/activities")
        .auth(&who.token)
        .json(&body)
        .send()
        .await
}

/// `now + days`, as RFC 3339.
fn days_from_now(days: i64) -> String {
    (Utc::now() + Duration::days(days)).to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn error_fields(res: &Res) -> Vec<String> {
    res.body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {res:?}"))
        .iter()
        .filter_map(|e| e["field"].as_str().map(String::from))
        .collect()
}

fn id(v: &Value) -> &str {
    v["id"].as_str().expect("id")
}

async fn contact(app: &TestApp, who: &Session, account: &Value, name: &str) -> Value {
    let res = app
        .post("/api/v1/contacts")
        .auth(&who.token)
        .json(&json!({"name": name, "account_id": account["id"]}))
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    res.body
}

async fn opportunity(app: &TestApp, who: &Session, account: &Value, name: &str) -> Value {
    let res = app
        .post("/api/v1/opportunities")
        .auth(&who.token)
        .json(&json!({"name": name, "account_id": account["id"]}))
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    res.body
}

async fn account(app: &TestApp, who: &Session, account: &Value) -> Res {
    let res = app
        .get(&format!("/api/v1/accounts/{}", id(account)))
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res
}

async fn ids_of(app: &TestApp, who: &Session, path: &str) -> Vec<String> {
    let res = app.get(path).auth(&who.token).send().await;
    assert_eq!(res.status, 200, "{path}: {res:?}");
    res.data()
        .iter()
        .map(|v| id(v).to_string())
        .collect::<Vec<_>>()
}
