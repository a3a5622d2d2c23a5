//! Custom fields in lists, search and duplicate rules: filterable fields filter and sort through
//! the one list mechanism (served by their own index once built), searchable ones answer quick
//! search, unique ones hold under simultaneous writes, and adding a field alters no table.

use crate::custom_fields::field;
use futures::future::join_all;
use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};

/// Polls the field until its index is built.
pub async fn until_indexed(app: &TestApp, admin: &Session, f: &Value) -> Value {
    let path = format!("/api/v1/custom-fields/{}", f["id"].as_str().unwrap_or(""));
    for _ in 0..300 {
        let res = app.get(&path).auth(&admin.token).send().await;
        if res.body["index"] == "ready" {
            return res.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the index of {path} was not built within 30 s");
}

async fn list(app: &TestApp, who: &Session, query: &str) -> Res {
    app.get(&format!("/api/v1/accounts?{query}"))
        .auth(&who.token)
        .send()
        .await
}

fn names(res: &Res) -> Vec<String> {
    res.data()
        .iter()
        .filter_map(|a| a["name"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn lists_filter_and_sort_on_custom_fields() {
    let app = TestApp::spawn().await;
    let admin = app.signup("筛选").await;
    let label = json!({"zh": "x", "en": "x"});
    let defs = [
        json!({"key": "budget", "type": "number"}),
        json!({"key": "deal", "type": "money"}),
        json!({"key": "signed", "type": "date"}),
        json!({"key": "vip", "type": "boolean"}),
        json!({"key": "tier", "type": "picklist", "options": [
            {"key": "a", "zh": "A", "en": "A"}, {"key": "b", "zh": "B", "en": "B"}]}),
        json!({"key": "tags2", "type": "multi_picklist", "options": [
            {"key": "x", "zh": "X", "en": "X"}, {"key": "y", "zh": "Y", "en": "Y"}]}),
    ];
    let mut fields = Vec::new();
    for mut d in defs {
        d["entity"] = json!("accounts");
        d["label"] = label.clone();
        d["filterable"] = json!(true);
        let f = field(&app, &admin, d).await;
        assert_eq!(f["index"], "building", "{f}");
        fields.push(f);
    }
    for f in &fields {
        assert_eq!(until_indexed(&app, &admin, f).await["index"], "ready");
    }
    let rows = [
        (
            "甲",
            json!({"budget": 500, "deal": {"amount": "10", "currency": "CNY"}, "signed": "2026-01-05", "vip": true, "tier": "a", "tags2": ["x"]}),
        ),
        (
            "乙",
            json!({"budget": "1000", "deal": {"amount": "200.5", "currency": "CNY"}, "signed": "2026-03-01", "vip": false, "tier": "b", "tags2": ["x", "y"]}),
        ),
        ("丙", json!({"budget": "25000.75", "tier": "a"})),
        ("丁", json!({})),
    ];
    for (name, custom) in rows {
        app.add_account(&admin, json!({"name": name, "custom": custom}))
            .await;
    }
    let cases = [
        ("custom.budget[gte]=1000", vec!["乙", "丙"]),
        ("custom.budget[lt]=1000", vec!["甲"]),
        ("custom.budget=25000.75", vec!["丙"]),
        ("custom.deal[gt]=100", vec!["乙"]),
        ("custom.signed[gte]=2026-02-01", vec!["乙"]),
        ("custom.signed[lt]=2026-02-01", vec!["甲"]),
        ("custom.vip=true", vec!["甲"]),
        ("custom.vip=false", vec!["乙"]),
        ("custom.tier=a", vec!["甲", "丙"]),
        ("custom.tier[in]=a,b", vec!["甲", "乙", "丙"]),
        ("custom.tier[ne]=a", vec!["乙", "丁"]),
        ("custom.tags2[contains]=y", vec!["乙"]),
        ("custom.tags2=x", vec!["甲", "乙"]),
        ("custom.tags2[in]=y,z", vec!["乙"]),
    ];
    for (query, expected) in cases {
        let res = list(&app, &admin, &format!("{query}&sort=name")).await;
        assert_eq!(res.status, 200, "{query}: {res:?}");
        let mut got = names(&res);
        got.sort();
        let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{query}");
    }
    // Sorted both ways (no value last), across pages by cursor.
    for (sort, order) in [
        ("custom.budget", ["甲", "乙", "丙", "丁"]),
        ("-custom.budget", ["丙", "乙", "甲", "丁"]),
        ("-custom.deal", ["乙", "甲", "丁", "丙"]),
    ] {
        let mut seen = Vec::new();
        let mut query = format!("sort={sort}&limit=1");
        loop {
            let res = list(&app, &admin, &query).await;
            assert_eq!(res.status, 200, "{query}: {res:?}");
            seen.extend(names(&res));
            match res.body["next_cursor"].as_str() {
                Some(c) => query = format!("sort={sort}&limit=1&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen, order, "{sort}");
    }
    // Bad requests name the parameter.
    for query in [
        "custom.budget[gte]=lots",
        "custom.signed[gte]=2026/1/5",
        "custom.nothing=1",
        "sort=custom.tags2",
        "custom.vip[gt]=true",
    ] {
        let res = list(&app, &admin, query).await;
        assert!(res.is_problem(400), "{query}: {res:?}");
    }
    // A field that is not filterable is not a filter; a deactivated one still is.
    field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "memo", "type": "text", "label": label}),
    )
    .await;
    assert!(list(&app, &admin, "custom.memo=x").await.is_problem(400));
}

#[tokio::test]
async fn searchable_fields_answer_quick_and_global_search() {
    let app = TestApp::spawn().await;
    let admin = app.signup("搜索").await;
    field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "alias", "type": "text", "searchable": true,
               "label": {"zh": "别名", "en": "Alias"}}),
    )
    .await;
    let later = field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "nickname", "type": "text",
               "label": {"zh": "昵称", "en": "Nickname"}}),
    )
    .await;
    app.add_account(
        &admin,
        json!({"name": "深圳市丰泽日用品有限公司", "custom": {"alias": "老丰泽工厂", "nickname": "蓝色巨人"}}),
    )
    .await;
    let q = list(
        &app,
        &admin,
        &format!("q={}", testkit::urlencode("老丰泽工厂")),
    )
    .await;
    assert_eq!(names(&q), ["深圳市丰泽日用品有限公司"], "{q:?}");
    let global = app
        .get(&format!(
            "/api/v1/search?q={}",
            testkit::urlencode("老丰泽工厂")
        ))
        .auth(&admin.token)
        .send()
        .await;
    assert!(global.body.to_string().contains("丰泽日用品"), "{global:?}");
    // Not searchable: not found; made searchable, existing records answer to it (recomputed in
    // the background).
    let nick = format!("q={}", testkit::urlencode("蓝色巨人"));
    assert!(names(&list(&app, &admin, &nick).await).is_empty());
    let on = app
        .patch(&format!(
            "/api/v1/custom-fields/{}",
            later["id"].as_str().unwrap_or("")
        ))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"searchable": true}))
        .send()
        .await;
    assert_eq!(on.status, 200, "{on:?}");
    let mut found = Vec::new();
    for _ in 0..100 {
        found = names(&list(&app, &admin, &nick).await);
        if !found.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(found, ["深圳市丰泽日用品有限公司"]);

    // Every searchable entity alike: a product's field made searchable later.
    let brand = field(
        &app,
        &admin,
        json!({"entity": "products", "key": "brand", "type": "text",
               "label": {"zh": "品牌", "en": "Brand"}}),
    )
    .await;
    let product = app
        .post("/api/v1/products")
        .auth(&admin.token)
        .json(&json!({"code": "P-1", "name": "洗衣液", "custom": {"brand": "蓝月亮"}}))
        .send()
        .await;
    assert_eq!(product.status, 201, "{product:?}");
    let on = app
        .patch(&format!(
            "/api/v1/custom-fields/{}",
            brand["id"].as_str().unwrap_or("")
        ))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"searchable": true}))
        .send()
        .await;
    assert_eq!(on.status, 200, "{on:?}");
    let path = format!("/api/v1/products?q={}", testkit::urlencode("蓝月亮"));
    let mut hits = 0;
    for _ in 0..100 {
        hits = app.get(&path).auth(&admin.token).send().await.data().len();
        if hits > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(hits, 1, "the product answers to its brand");
}

#[tokio::test]
async fn unique_values_hold_under_simultaneous_writes() {
    let app = TestApp::spawn().await;
    let admin = app.signup("唯一").await;
    let f = field(
        &app,
        &admin,
        json!({"entity": "contacts", "key": "employee_no", "type": "text", "unique": true,
               "label": {"zh": "工号", "en": "Employee no."}}),
    )
    .await;
    assert_eq!(f["filterable"], true, "unique fields are indexed");
    for round in 0..3 {
        let value = format!("E-{round}");
        let results = join_all((0..8).map(|i| {
            let (app, admin, value) = (&app, &admin, value.clone());
            async move {
                app.post("/api/v1/contacts")
                    .auth(&admin.token)
                    .json(&json!({"name": format!("员工{round}-{i}"), "custom": {"employee_no": value}}))
                    .send()
                    .await
            }
        }))
        .await;
        let made = results.iter().filter(|r| r.status == 201).count();
        assert_eq!(made, 1, "round {round}: {results:?}");
        let winner = results.iter().find(|r| r.status == 201).map(|r| &r.body);
        let winner = winner.expect("one was made");
        assert!(results
            .iter()
            .filter(|r| r.status != 201)
            .all(|r| r.is_problem(409)
                && r.body["errors"][0]["field"] == "custom.employee_no"
                && r.body["detail"]
                    .as_str()
                    .is_some_and(|d| d.contains("custom.employee_no"))
                // The refusal names the contact that has the value, and its owner.
                && r.body["candidates"][0]["id"] == winner["id"]
                && r.body["candidates"][0]["owner_id"] == winner["owner_id"]
                && r.body["candidates"][0]["reasons"] == json!(["custom.employee_no"])));
    }
    // A deleted record's value is free again; a value can be written back by its own record.
    let taken = app
        .get("/api/v1/contacts?custom.employee_no=E-0")
        .auth(&admin.token)
        .send()
        .await;
    let holder = &taken.data()[0];
    let path = format!("/api/v1/contacts/{}", holder["id"].as_str().unwrap_or(""));
    let same = app
        .patch(&path)
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"custom": {"employee_no": "E-0"}, "title": "经理"}))
        .send()
        .await;
    assert_eq!(same.status, 200, "{same:?}");
    let del = app
        .delete(&path)
        .auth(&admin.token)
        .if_match("*")
        .send()
        .await;
    assert_eq!(del.status, 204, "{del:?}");
    let reuse = app
        .post("/api/v1/contacts")
        .auth(&admin.token)
        .json(&json!({"name": "新员工", "custom": {"employee_no": "E-0"}}))
        .send()
        .await;
    assert_eq!(reuse.status, 201, "{reuse:?}");

    // A field shared by two records cannot become unique.
    let plain = field(
        &app,
        &admin,
        json!({"entity": "contacts", "key": "desk", "type": "text",
               "label": {"zh": "工位", "en": "Desk"}}),
    )
    .await;
    for name in ["甲", "乙"] {
        let r = app
            .post("/api/v1/contacts")
            .auth(&admin.token)
            .json(&json!({"name": name, "custom": {"desk": "A-1"}}))
            .send()
            .await;
        assert_eq!(r.status, 201, "{r:?}");
    }
    let refused = app
        .patch(&format!(
            "/api/v1/custom-fields/{}",
            plain["id"].as_str().unwrap_or("")
        ))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"unique": true}))
        .send()
        .await;
    assert!(refused.is_problem(409), "{refused:?}");
    assert!(
        refused.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("A-1")),
        "{refused:?}"
    );
}

#[tokio::test]
async fn adding_a_field_alters_no_table() {
    use diesel::{sql_query, Connection, PgConnection, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Node {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let app = TestApp::spawn().await;
    let admin = app.signup("不改表").await;
    app.add_account(&admin, json!({"name": "已有"})).await;
    let file = || {
        let mut conn = PgConnection::establish(&app.db.url).expect("connect");
        sql_query("SELECT pg_relation_filenode('accounts')::bigint AS n")
            .get_result::<Node>(&mut conn)
            .expect("filenode")
            .n
    };
    let before = file();
    let f = field(
        &app,
        &admin,
        json!({"entity": "accounts", "key": "region_code", "type": "text", "filterable": true,
               "label": {"zh": "区号", "en": "Area"}}),
    )
    .await;
    until_indexed(&app, &admin, &f).await;
    assert_eq!(file(), before, "the table was rewritten");
}
