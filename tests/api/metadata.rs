//! The metadata API describes every registered entity, and what it says of a list is what the
//! list does: each described filter is accepted, each sortable field sorts, the others do not.

use serde_json::Value;
use testkit::TestApp;

#[tokio::test]
async fn every_entity_is_described_as_the_registry_has_it() {
    let app = TestApp::spawn().await;
    let admin = app.signup("元数据").await;
    let all = app.get("/api/v1/metadata").auth(&admin.token).send().await;
    assert_eq!(all.status, 200, "{all:?}");
    let names: Vec<&str> = all
        .data()
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "account",
            "contact",
            "lead",
            "opportunity",
            "activity",
            "product"
        ]
    );

    let account = app
        .get("/api/v1/metadata/accounts")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(account.status, 200, "{account:?}");
    let a = &account.body;
    assert_eq!(a["label"]["zh"], "客户");
    assert_eq!(a["plural_label"]["en"], "Accounts");
    assert_eq!(
        a["duplicate_keys"],
        serde_json::json!(["credit_code", "name"])
    );
    assert_eq!(a["joins"]["search"], true);
    assert_eq!(a["searchable"], true);
    let field = |name: &str| -> Value {
        a["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no field {name}"))
    };
    assert_eq!(field("name")["type"], "text");
    assert_eq!(field("name")["sortable"], true);
    assert_eq!(
        field("class")["values"],
        serde_json::json!(["potential", "target", "key"])
    );
    assert_eq!(
        field("neglected")["operators"],
        serde_json::json!(["eq", "ne"])
    );

    let missing = app
        .get("/api/v1/metadata/spaceships")
        .auth(&admin.token)
        .send()
        .await;
    assert!(missing.is_problem(404), "{missing:?}");
    let unknown = app
        .get("/api/v1/metadata?x=1")
        .auth(&admin.token)
        .send()
        .await;
    assert!(unknown.is_problem(400), "{unknown:?}");
    let anonymous = app.get("/api/v1/metadata").send().await;
    assert!(anonymous.is_problem(401), "{anonymous:?}");
}

/// A value of `type` that its filters accept.
fn sample(field: &Value) -> String {
    match field["type"].as_str().unwrap_or_default() {
        "uuid" => "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into(),
        "integer" | "decimal" => "1".into(),
        "timestamp" => "2026-01-01".into(),
        "boolean" => "true".into(),
        "enum" => field["values"][0].as_str().unwrap_or_default().into(),
        _ => "x".into(),
    }
}

#[tokio::test]
async fn each_list_does_what_its_description_says() {
    let app = TestApp::spawn().await;
    let admin = app.signup("元数据列表").await;
    let all = app.get("/api/v1/metadata").auth(&admin.token).send().await;
    let mut checked = 0;
    for entity in all.data() {
        let plural = entity["plural"].as_str().expect("plural");
        for field in entity["fields"].as_array().expect("fields") {
            let name = field["name"].as_str().expect("name");
            for op in field["operators"].as_array().expect("operators") {
                let op = op.as_str().expect("op");
                let url = format!("/api/v1/{plural}?{name}[{op}]={}", sample(field));
                let res = app.get(&url).auth(&admin.token).send().await;
                assert_eq!(res.status, 200, "{url}: {res:?}");
                checked += 1;
            }
            let sort = format!("/api/v1/{plural}?sort=-{name}");
            let res = app.get(&sort).auth(&admin.token).send().await;
            let expected = if field["sortable"] == true { 200 } else { 400 };
            assert_eq!(res.status, expected, "{sort}: {res:?}");
        }
        let q = format!("/api/v1/{plural}?q=xy");
        let res = app.get(&q).auth(&admin.token).send().await;
        let expected = if entity["searchable"] == true {
            200
        } else {
            400
        };
        assert_eq!(res.status, expected, "{q}: {res:?}");
    }
    assert!(checked > 100, "{checked} filters checked");
}
