//! Custom fields: admins define them per entity without code; every write checks the values
//! (422 on `custom.<key>`), the audit trail lists them like built-in fields, a deactivated field
//! keeps its values, and another organization never sees a definition or a value.

use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};

pub async fn define(app: &TestApp, admin: &Session, body: Value) -> Res {
    app.post("/api/v1/custom-fields")
        .auth(&admin.token)
        .json(&body)
        .send()
        .await
}

/// Defines a field and returns its body; panics unless it is created.
pub async fn field(app: &TestApp, admin: &Session, body: Value) -> Value {
    let res = define(app, admin, body.clone()).await;
    assert_eq!(res.status, 201, "{body}: {res:?}");
    res.body
}

fn label(zh: &str, en: &str) -> Value {
    json!({"zh": zh, "en": en})
}

async fn create(app: &TestApp, who: &Session, collection: &str, body: Value) -> Res {
    app.post(&format!("/api/v1/{collection}?force=true"))
        .auth(&who.token)
        .json(&body)
        .send()
        .await
}

#[tokio::test]
async fn every_field_type_takes_good_values_and_names_bad_ones() {
    let app = TestApp::spawn().await;
    let admin = app.signup("字段").await;
    let contact = create(&app, &admin, "contacts", json!({"name": "王芳"})).await;
    let options = json!([{"key": "gold", "zh": "金牌", "en": "Gold"},
                         {"key": "silver", "zh": "银牌", "en": "Silver"}]);
    let types = [
        (
            "note",
            json!({"type": "text"}),
            json!(" 重要 "),
            json!("重要"),
            json!(12),
        ),
        (
            "story",
            json!({"type": "long_text"}),
            json!("很长"),
            json!("很长"),
            json!(["x"]),
        ),
        (
            "budget",
            json!({"type": "number", "min": "0"}),
            json!(1200.5),
            json!("1200.5"),
            json!(-1),
        ),
        (
            "deal_size",
            json!({"type": "money"}),
            json!({"amount": "12500.00", "currency": "CNY"}),
            json!({"amount": "12500.00", "currency": "CNY"}),
            json!({"amount": "1", "currency": "rmb"}),
        ),
        (
            "signed_on",
            json!({"type": "date"}),
            json!("2026-01-05"),
            json!("2026-01-05"),
            json!("2026/1/5"),
        ),
        (
            "visited_at",
            json!({"type": "datetime"}),
            json!("2026-01-05T09:30:00+08:00"),
            json!("2026-01-05T01:30:00Z"),
            json!("明天"),
        ),
        (
            "vip",
            json!({"type": "boolean"}),
            json!(true),
            json!(true),
            json!("yes"),
        ),
        (
            "tier",
            json!({"type": "picklist", "options": options}),
            json!("gold"),
            json!("gold"),
            json!("bronze"),
        ),
        (
            "tiers",
            json!({"type": "multi_picklist", "options": options}),
            json!(["gold", "silver", "gold"]),
            json!(["gold", "silver"]),
            json!(["gold", "bronze"]),
        ),
        (
            "manager",
            json!({"type": "user"}),
            json!(admin.user_id),
            json!(admin.user_id),
            json!(uuid::Uuid::now_v7()),
        ),
        (
            "champion",
            json!({"type": "lookup", "target": "contacts"}),
            json!(contact.str("/id")),
            json!(contact.str("/id")),
            json!(uuid::Uuid::now_v7()),
        ),
        (
            "billing",
            json!({"type": "email"}),
            json!("Bill@Example.COM"),
            json!("bill@example.com"),
            json!("bill@"),
        ),
        (
            "hotline",
            json!({"type": "phone"}),
            json!("0755-8888 6666"),
            json!("+8675588886666"),
            json!("12"),
        ),
        (
            "portal",
            json!({"type": "url"}),
            json!("https://fz.example/crm"),
            json!("https://fz.example/crm"),
            json!("fz.example"),
        ),
    ];
    let mut good = serde_json::Map::new();
    for (key, def, input, _, _) in &types {
        let mut body = def.clone();
        body["entity"] = json!("accounts");
        body["key"] = json!(key);
        body["label"] = label(key, key);
        let f = field(&app, &admin, body).await;
        assert_eq!(f["active"], true);
        good.insert(key.to_string(), input.clone());
    }
    let res = create(
        &app,
        &admin,
        "accounts",
        json!({"name": "丰泽", "custom": good}),
    )
    .await;
    assert_eq!(res.status, 201, "{res:?}");
    for (key, _, _, stored, _) in &types {
        assert_eq!(&res.body["custom"][key], stored, "{key}");
    }
    let read = app
        .get(&format!("/api/v1/accounts/{}", res.str("/id")))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(read.body["custom"], res.body["custom"]);

    // Each bad value alone is a 422 on its own path, and nothing is written.
    let before = app.total(&admin, "accounts").await;
    for (key, _, _, _, bad) in &types {
        let body = json!({"name": format!("坏{key}"), "custom": {*key: bad}});
        let res = create(&app, &admin, "accounts", body).await;
        assert!(res.is_problem(422), "{key}: {res:?}");
        assert_eq!(
            res.body["errors"][0]["field"],
            format!("custom.{key}"),
            "{key}: {res:?}"
        );
    }
    // Several at once, with a built-in field's error, are all reported.
    let res = create(
        &app,
        &admin,
        "accounts",
        json!({"name": "", "custom": {"budget": "abc", "nothing": 1, "vip": 3}}),
    )
    .await;
    let mut fields: Vec<&str> = res.body["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    fields.sort();
    assert_eq!(
        fields,
        ["custom.budget", "custom.nothing", "custom.vip", "name"],
        "{res:?}"
    );
    assert_eq!(app.total(&admin, "accounts").await, before);

    // PATCH changes only the keys it names; null clears one.
    let id = res_id(&read);
    let patched = app
        .patch(&format!("/api/v1/accounts/{id}"))
        .auth(&admin.token)
        .if_match(&read.etag())
        .json(&json!({"custom": {"budget": "99", "note": null}}))
        .send()
        .await;
    assert_eq!(patched.status, 200, "{patched:?}");
    assert_eq!(patched.body["custom"]["budget"], "99");
    assert!(patched.body["custom"].get("note").is_none());
    assert_eq!(patched.body["custom"]["tier"], "gold");
}

fn res_id(res: &Res) -> String {
    res.str("/id").to_string()
}

#[tokio::test]
async fn definitions_are_admin_only_checked_unique_per_entity_and_compare_and_set() {
    let app = TestApp::spawn().await;
    let admin = app.signup("定义").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let body = json!({"entity": "leads", "key": "budget", "type": "number",
                      "label": label("预算", "Budget"), "section": "商务信息"});
    let denied = define(&app, &sales, body.clone()).await;
    assert!(denied.is_problem(403), "{denied:?}");
    let f = field(&app, &admin, body.clone()).await;
    assert_eq!(f["entity"], "leads");
    assert_eq!(f["position"], 0);
    assert_eq!(f["index"], "none");
    let again = define(&app, &admin, body.clone()).await;
    assert!(again.is_problem(409), "{again:?}");
    assert_eq!(again.body["errors"][0]["field"], "key", "{again:?}");
    // The same key on another entity is another field.
    let mut other = body.clone();
    other["entity"] = json!("contacts");
    assert_eq!(field(&app, &admin, other).await["position"], 0);

    let cases = [
        (json!({"entity": "activities"}), "entity"),
        (json!({"key": "Budget 2"}), "key"),
        (json!({"type": "picklist"}), "options"),
        (json!({"type": "lookup"}), "target"),
        (json!({"type": "boolean", "unique": true}), "unique"),
        (json!({"type": "date", "default": "tomorrow"}), "default"),
        (json!({"label": {"zh": "", "en": "x"}}), "label.zh"),
    ];
    for (change, path) in cases {
        let mut bad = body.clone();
        bad["key"] = json!("other");
        for (k, v) in change.as_object().into_iter().flatten() {
            bad[k] = v.clone();
        }
        let res = define(&app, &admin, bad.clone()).await;
        assert!(res.is_problem(422), "{bad}: {res:?}");
        assert_eq!(res.body["errors"][0]["field"], path, "{bad}: {res:?}");
    }

    // Every member reads the definitions; changes need the current version.
    let path = format!("/api/v1/custom-fields/{}", f["id"].as_str().unwrap_or(""));
    let read = app.get(&path).auth(&sales.token).send().await;
    assert_eq!(read.status, 200, "{read:?}");
    let list = app
        .get("/api/v1/custom-fields?entity=leads")
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(list.data().len(), 1);
    let change = json!({"label": label("年度预算", "Annual budget"), "position": 5});
    let ok = app
        .patch(&path)
        .auth(&admin.token)
        .if_match(&read.etag())
        .json(&change)
        .send()
        .await;
    assert_eq!(ok.status, 200, "{ok:?}");
    assert_eq!(ok.body["label"]["zh"], "年度预算");
    assert_eq!(ok.body["position"], 5);
    let stale = app
        .patch(&path)
        .auth(&admin.token)
        .if_match(&read.etag())
        .json(&change)
        .send()
        .await;
    assert!(stale.is_problem(412), "{stale:?}");
    let fixed = app
        .patch(&path)
        .auth(&admin.token)
        .if_match(&ok.etag())
        .json(&json!({"type": "text"}))
        .send()
        .await;
    assert!(fixed.is_problem(422), "the type is fixed: {fixed:?}");
}

#[tokio::test]
async fn required_defaults_and_deactivated_fields() {
    let app = TestApp::spawn().await;
    let admin = app.signup("必填").await;
    let req = field(
        &app,
        &admin,
        json!({"entity": "opportunities", "key": "po_number", "type": "text",
               "label": label("采购单号", "PO number"), "required": true}),
    )
    .await;
    field(
        &app,
        &admin,
        json!({"entity": "opportunities", "key": "channel", "type": "picklist", "default": "direct",
               "label": label("渠道", "Channel"),
               "options": [{"key": "direct", "zh": "直销", "en": "Direct"},
                           {"key": "partner", "zh": "渠道", "en": "Partner"}]}),
    )
    .await;
    let account = app.add_account(&admin, json!({"name": "丰泽"})).await;
    let deal =
        |custom: Value| json!({"name": "大单", "account_id": account["id"], "custom": custom});
    let missing = create(&app, &admin, "opportunities", deal(json!({}))).await;
    assert!(missing.is_problem(422), "{missing:?}");
    assert_eq!(missing.body["errors"][0]["field"], "custom.po_number");
    assert_eq!(missing.body["errors"][0]["code"], "required");
    let ok = create(
        &app,
        &admin,
        "opportunities",
        deal(json!({"po_number": "PO-1"})),
    )
    .await;
    assert_eq!(ok.status, 201, "{ok:?}");
    assert_eq!(ok.body["custom"]["channel"], "direct", "the default");
    let path = format!("/api/v1/opportunities/{}", ok.str("/id"));
    let cleared = app
        .patch(&path)
        .auth(&admin.token)
        .if_match(&ok.etag())
        .json(&json!({"custom": {"po_number": null}}))
        .send()
        .await;
    assert!(cleared.is_problem(422), "{cleared:?}");

    // Deactivated: the value stays and reads back; changing or clearing it is refused; the field
    // is no longer required; other edits of the record go on.
    let def_path = format!("/api/v1/custom-fields/{}", req["id"].as_str().unwrap_or(""));
    let off = app
        .patch(&def_path)
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"active": false}))
        .send()
        .await;
    assert_eq!(off.body["active"], false, "{off:?}");
    let read = app.get(&path).auth(&admin.token).send().await;
    assert_eq!(read.body["custom"]["po_number"], "PO-1");
    for change in [json!("PO-2"), Value::Null] {
        let res = app
            .patch(&path)
            .auth(&admin.token)
            .if_match(&read.etag())
            .json(&json!({"custom": {"po_number": change}}))
            .send()
            .await;
        assert!(res.is_problem(422), "{res:?}");
        assert_eq!(res.body["errors"][0]["code"], "inactive");
    }
    let renamed = app
        .patch(&path)
        .auth(&admin.token)
        .if_match(&read.etag())
        .json(&json!({"name": "更大的单"}))
        .send()
        .await;
    assert_eq!(renamed.status, 200, "{renamed:?}");
    assert_eq!(renamed.body["custom"]["po_number"], "PO-1");
    let without = create(&app, &admin, "opportunities", deal(json!({}))).await;
    assert_eq!(
        without.status, 201,
        "not required once deactivated: {without:?}"
    );
}

#[tokio::test]
async fn custom_values_are_audited_in_history_and_the_outbox() {
    let app = TestApp::spawn().await;
    let admin = app.signup("审计").await;
    field(
        &app,
        &admin,
        json!({"entity": "contacts", "key": "hobby", "type": "text", "label": label("爱好", "Hobby")}),
    )
    .await;
    let c = create(
        &app,
        &admin,
        "contacts",
        json!({"name": "李雷", "custom": {"hobby": "茶"}}),
    )
    .await;
    let path = format!("/api/v1/contacts/{}", c.str("/id"));
    let up = app
        .patch(&path)
        .auth(&admin.token)
        .if_match(&c.etag())
        .json(&json!({"custom": {"hobby": "咖啡"}}))
        .send()
        .await;
    assert_eq!(up.status, 200, "{up:?}");
    let history = app
        .get(&format!("{path}/history"))
        .auth(&admin.token)
        .send()
        .await;
    let entries = history.data();
    assert_eq!(entries[0]["action"], "update");
    assert_eq!(
        entries[0]["changes"],
        json!([{"field": "custom.hobby", "old": "茶", "new": "咖啡"}])
    );
    let created = &entries[1]["changes"];
    assert!(
        created.as_array().is_some_and(
            |c| c.contains(&json!({"field": "custom.hobby", "old": null, "new": "茶"}))
        ),
        "{created}"
    );
    // The outbox tells of the field's definition and of each change, by field.
    let events = crate::outbox::events(&app, admin.org_id);
    assert!(events
        .iter()
        .any(|e| e.entity == "custom_field" && e.action == "created"));
    let last = events.last().expect("events");
    assert_eq!(
        (last.entity.as_str(), last.action.as_str()),
        ("contact", "updated")
    );
    assert_eq!(crate::outbox::changed(last), ["custom.hobby"]);
    // A record without custom values lists none (no empty `custom` change).
    let plain = create(&app, &admin, "contacts", json!({"name": "韩梅梅"})).await;
    let h = app
        .get(&format!("/api/v1/contacts/{}/history", plain.str("/id")))
        .auth(&admin.token)
        .send()
        .await;
    assert!(!h.body.to_string().contains("custom"), "{h:?}");
}

#[tokio::test]
async fn another_organization_never_sees_a_definition_or_a_value() {
    let app = TestApp::spawn().await;
    let a = app.signup("甲").await;
    let b = app.signup("乙").await;
    let f = field(
        &app,
        &a,
        json!({"entity": "accounts", "key": "budget", "type": "number", "filterable": true,
               "label": label("预算", "Budget")}),
    )
    .await;
    let list = app.get("/api/v1/custom-fields").auth(&b.token).send().await;
    assert_eq!(list.data().len(), 0, "{list:?}");
    let one = app
        .get(&format!(
            "/api/v1/custom-fields/{}",
            f["id"].as_str().unwrap_or("")
        ))
        .auth(&b.token)
        .send()
        .await;
    assert!(one.is_problem(404), "{one:?}");
    let patch = app
        .patch(&format!(
            "/api/v1/custom-fields/{}",
            f["id"].as_str().unwrap_or("")
        ))
        .auth(&b.token)
        .if_match("*")
        .json(&json!({"active": false}))
        .send()
        .await;
    assert!(patch.is_problem(404), "{patch:?}");
    let meta = app
        .get("/api/v1/metadata/accounts")
        .auth(&b.token)
        .send()
        .await;
    assert_eq!(meta.body["custom_fields"], json!([]));
    assert!(!meta.body.to_string().contains("custom.budget"));
    let write = create(
        &app,
        &b,
        "accounts",
        json!({"name": "乙客户", "custom": {"budget": 1}}),
    )
    .await;
    assert!(write.is_problem(422), "{write:?}");
    assert_eq!(write.body["errors"][0]["code"], "unknown");
    let filter = app
        .get("/api/v1/accounts?custom.budget[gte]=1")
        .auth(&b.token)
        .send()
        .await;
    assert!(filter.is_problem(400), "{filter:?}");
    // The owner's organization describes it.
    let meta = app
        .get("/api/v1/metadata/accounts")
        .auth(&a.token)
        .send()
        .await;
    assert_eq!(meta.body["custom_fields"][0]["key"], "budget");
    assert!(meta.body["fields"].as_array().is_some_and(|f| f
        .iter()
        .any(|f| f["name"] == "custom.budget" && f["sortable"] == true)));
}
