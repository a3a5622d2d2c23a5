//! The metadata API describes every registered entity, and what it says of a list is what the
//! list does: each described filter is accepted, each sortable field sorts, the others do not.

use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};

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

/// What a form enters for a required field: fresh text (names and codes repeat nowhere), or the
/// account a reference needs.
fn entered(field: &Value, n: &mut usize, account: &str) -> Value {
    *n += 1;
    match (field["input"].as_str(), field["target"].as_str()) {
        (Some("text" | "long_text"), _) => json!(format!("样例{n}")),
        (Some("reference"), Some("account")) => json!(account),
        other => panic!("no sample for required field {field}: {other:?}"),
    }
}

/// A valid value of an optional field: a picklist's first value.
async fn a_value(app: &TestApp, admin: &Session, field: &Value) -> Value {
    let name = field["picklist"].as_str().expect("a picklist field");
    let res = app
        .get(&format!("/api/v1/picklists/{name}"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let values = res.body["values"].as_array().cloned().unwrap_or_default();
    values
        .first()
        .map(|v| v["key"].clone())
        .unwrap_or_else(|| panic!("picklist {name} has values: {res:?}"))
}

fn names_field(res: &Res, name: &str) -> bool {
    res.body["errors"]
        .as_array()
        .is_some_and(|e| e.iter().any(|x| x["field"] == name))
}

#[tokio::test]
async fn each_form_field_is_checked_as_its_description_says() {
    let app = TestApp::spawn().await;
    let admin = app.signup("元数据表单").await;
    let account = app.add_account(&admin, json!({"name": "表单客户"})).await;
    let account = account["id"].as_str().expect("id").to_string();
    let all = app.get("/api/v1/metadata").auth(&admin.token).send().await;
    let (mut n, mut checked) = (0, 0);
    for entity in all.data() {
        let plural = entity["plural"].as_str().expect("plural");
        let form = entity["form"].as_array().expect("form").clone();
        if form.is_empty() {
            continue;
        }
        let create = |body: Value| {
            let (app, admin) = (&app, &admin);
            async move {
                app.post(&format!("/api/v1/{plural}?force=true"))
                    .auth(&admin.token)
                    .json(&body)
                    .send()
                    .await
            }
        };
        let writable = || form.iter().filter(|f| f["read_only"] != true);
        let mut base = serde_json::Map::new();
        for f in writable().filter(|f| f["required"] == true) {
            let name = f["name"].as_str().expect("name").to_string();
            base.insert(name, entered(f, &mut n, &account));
        }
        let fresh = |n: &mut usize| {
            let mut body = base.clone();
            for f in writable().filter(|f| f["required"] == true) {
                let name = f["name"].as_str().expect("name").to_string();
                body.insert(name, entered(f, n, &account));
            }
            body
        };
        let res = create(Value::Object(fresh(&mut n))).await;
        assert_eq!(
            res.status, 201,
            "{plural}: the required fields are enough: {res:?}"
        );
        for f in writable() {
            let name = f["name"].as_str().expect("name");
            if f["required"] == true {
                let mut body = fresh(&mut n);
                body.remove(name);
                let res = create(Value::Object(body)).await;
                assert!(
                    res.is_problem(422) && names_field(&res, name),
                    "{plural}.{name} is required: {res:?}"
                );
                checked += 1;
            }
            if f["unique"] == true {
                let first = fresh(&mut n);
                let res = create(Value::Object(first.clone())).await;
                assert_eq!(res.status, 201, "{plural}: {res:?}");
                let mut again = fresh(&mut n);
                let taken = first[name].as_str().expect("a text value").to_uppercase();
                again.insert(name.into(), json!(taken));
                let res = create(Value::Object(again)).await;
                assert!(
                    res.is_problem(409) && res.body["errors"][0]["field"] == name,
                    "{plural}.{name} is unique, whatever its case: {res:?}"
                );
                checked += 1;
            }
            if let Some(max) = f["max_length"].as_u64() {
                let mut body = fresh(&mut n);
                body.insert(name.into(), json!("x".repeat(max as usize + 1)));
                let res = create(Value::Object(body)).await;
                assert!(
                    res.is_problem(422) && names_field(&res, name),
                    "{plural}.{name} takes at most {max}: {res:?}"
                );
                checked += 1;
            }
            for choice in f["choices"].as_array().into_iter().flatten() {
                let mut body = fresh(&mut n);
                body.insert(name.into(), choice["key"].clone());
                if let Some(needed) = choice["requires"].as_str() {
                    let res = create(Value::Object(body.clone())).await;
                    assert!(
                        res.is_problem(422) && names_field(&res, needed),
                        "{plural}.{name} = {choice}: {res:?}"
                    );
                    let needed_field = form
                        .iter()
                        .find(|x| x["name"] == needed)
                        .expect("described");
                    body.insert(needed.into(), a_value(&app, &admin, needed_field).await);
                }
                let res = create(Value::Object(body)).await;
                if choice["settable"] == true {
                    assert_eq!(res.status, 201, "{plural}.{name} = {choice}: {res:?}");
                } else {
                    assert!(
                        res.is_problem(422) && names_field(&res, name),
                        "{plural}.{name} = {choice}: {res:?}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "{checked} form rules checked");
}
