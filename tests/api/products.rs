//! Products, the first entity on the generic record routes: CRUD with versions, history and the
//! recycle bin; codes unique per organization (case-insensitive, also under simultaneous
//! creates); a category tree without cycles; found by global and quick search; the whole
//! catalogue visible to every member and to no other organization.

use futures::future::join_all;
use serde_json::json;
use testkit::{Res, Session, TestApp};

async fn create(app: &TestApp, who: &Session, body: serde_json::Value) -> Res {
    app.post("/api/v1/products")
        .auth(&who.token)
        .json(&body)
        .send()
        .await
}

async fn category(app: &TestApp, who: &Session, name: &str, parent: Option<&str>) -> String {
    let res = app
        .post("/api/v1/product-categories")
        .auth(&who.token)
        .json(&json!({"name": name, "parent_id": parent}))
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    res.str("/id").to_string()
}

#[tokio::test]
async fn products_are_created_changed_deleted_and_restored_with_history() {
    let app = TestApp::spawn().await;
    let admin = app.signup("产品").await;
    let daily = category(&app, &admin, "日化用品", None).await;
    let soap = category(&app, &admin, "香皂", Some(&daily)).await;
    let res = create(
        &app,
        &admin,
        json!({"code": " FZ-SOAP-200 ", "name": " 丰泽香皂 ", "spec": "200g×48块/箱", "model": "S200",
               "unit": "箱", "unit_price": {"amount": "96.00", "currency": "CNY"},
               "remarks": "畅销", "category_id": soap}),
    )
    .await;
    assert_eq!(res.status, 201, "{res:?}");
    assert_eq!(res.body["code"], "FZ-SOAP-200");
    assert_eq!(res.body["name"], "丰泽香皂");
    assert_eq!(res.body["active"], true);
    assert_eq!(res.body["unit_price"]["amount"], "96.00");
    let id = res.str("/id").to_string();
    assert!(res
        .header("Location")
        .is_some_and(|l| l.ends_with(&format!("/products/{id}"))));

    let path = format!("/api/v1/products/{id}");
    let up = app
        .patch(&path)
        .auth(&admin.token)
        .if_match(&res.etag())
        .json(&json!({"unit_price": {"amount": "99.50", "currency": "CNY"}, "active": false}))
        .send()
        .await;
    assert_eq!(up.status, 200, "{up:?}");
    let stale = app
        .patch(&path)
        .auth(&admin.token)
        .if_match(&res.etag())
        .json(&json!({"name": "旧"}))
        .send()
        .await;
    assert!(stale.is_problem(412), "{stale:?}");
    let history = app
        .get(&format!("{path}/history"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(history.data()[0]["action"], "update");
    let changed: Vec<&str> = history.data()[0]["changes"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(changed, ["active", "unit_price"]);

    // Filters, sorts and totals of the one list mechanism.
    let list = app
        .get(&format!(
            "/api/v1/products?category_id={soap}&active=false&totals=unit_price"
        ))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(list.data().len(), 1, "{list:?}");
    assert_eq!(
        list.body["totals"]["unit_price"],
        json!([{"currency": "CNY", "sum": "99.50", "count": 1}])
    );

    let del = app
        .delete(&path)
        .auth(&admin.token)
        .if_match("*")
        .send()
        .await;
    assert_eq!(del.status, 204);
    assert!(app
        .get(&path)
        .auth(&admin.token)
        .send()
        .await
        .is_problem(404));
    let bin = app
        .get("/api/v1/products?deleted=true")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(bin.data().len(), 1);
    let back = app
        .post(&format!("{path}/restore"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(back.status, 200, "{back:?}");

    let bad = create(
        &app,
        &admin,
        json!({"code": "A B", "name": "", "unit_price": {"amount": "-1", "currency": "CNY"},
                                          "category_id": uuid::Uuid::now_v7()}),
    )
    .await;
    assert!(bad.is_problem(422), "{bad:?}");
    let mut fields: Vec<&str> = bad.body["errors"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default();
    fields.sort();
    assert_eq!(fields, ["code", "name", "unit_price.amount"], "{bad:?}");
    let nowhere = create(
        &app,
        &admin,
        json!({"code": "X1", "name": "无类", "category_id": uuid::Uuid::now_v7()}),
    )
    .await;
    assert!(nowhere.is_problem(422), "{nowhere:?}");
    assert_eq!(nowhere.body["errors"][0]["field"], "category_id");
}

#[tokio::test]
async fn product_codes_are_unique_per_organization_even_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.signup("代码").await;
    let other = app.signup("别家").await;
    assert_eq!(
        create(&app, &admin, json!({"code": "FZ-01", "name": "甲"}))
            .await
            .status,
        201
    );
    let taken = create(&app, &admin, json!({"code": "fz-01", "name": "乙"})).await;
    assert!(taken.is_problem(409), "case-insensitive: {taken:?}");
    assert!(taken.body["detail"]
        .as_str()
        .is_some_and(|d| d.contains("fz-01")));
    // Named on its field, so a form shows it there.
    assert_eq!(taken.body["errors"][0]["field"], "code", "{taken:?}");
    assert_eq!(taken.body["errors"][0]["code"], "taken");
    // And the product that has it, so a form links to it (a product has no owner).
    let holder = &taken.body["candidates"][0];
    assert_eq!(holder["entity"], "product", "{taken:?}");
    assert_eq!(holder["name"], "甲");
    assert_eq!(holder["reasons"], json!(["code"]));
    assert!(holder["owner_id"].is_null());
    assert_eq!(taken.body["candidates"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        create(&app, &other, json!({"code": "FZ-01", "name": "别家的"}))
            .await
            .status,
        201
    );

    for round in 0..3 {
        let code = format!("RACE-{round}");
        let results = join_all((0..8).map(|i| {
            let (app, admin, code) = (&app, &admin, code.clone());
            async move {
                create(
                    app,
                    admin,
                    json!({"code": code, "name": format!("并发{i}")}),
                )
                .await
            }
        }))
        .await;
        let made = results.iter().filter(|r| r.status == 201).count();
        assert_eq!(made, 1, "round {round}: {results:?}");
        assert!(
            results.iter().all(|r| r.status == 201
                || (r.is_problem(409) && r.body["errors"][0]["field"] == "code")),
            "{results:?}"
        );
    }

    // A deleted product's code is free; restoring it while another has the code is a 409.
    let first = app
        .get("/api/v1/products?code=FZ-01")
        .auth(&admin.token)
        .send()
        .await;
    let id = first.data()[0]["id"].as_str().unwrap_or("").to_string();
    let del = app
        .delete(&format!("/api/v1/products/{id}"))
        .auth(&admin.token)
        .if_match("*")
        .send()
        .await;
    assert_eq!(del.status, 204);
    assert_eq!(
        create(&app, &admin, json!({"code": "FZ-01", "name": "新甲"}))
            .await
            .status,
        201
    );
    let back = app
        .post(&format!("/api/v1/products/{id}/restore"))
        .auth(&admin.token)
        .send()
        .await;
    assert!(back.is_problem(409), "{back:?}");
}

#[tokio::test]
async fn categories_form_a_tree_that_never_holds_a_cycle() {
    let app = TestApp::spawn().await;
    let admin = app.signup("分类").await;
    let top = category(&app, &admin, "大类", None).await;
    let mid = category(&app, &admin, "小类", Some(&top)).await;
    let low = category(&app, &admin, "细类", Some(&mid)).await;
    let again = app
        .post("/api/v1/product-categories")
        .auth(&admin.token)
        .json(&json!({"name": "小类", "parent_id": top}))
        .send()
        .await;
    assert!(again.is_problem(409), "{again:?}");
    assert_eq!(again.body["errors"][0]["field"], "name", "{again:?}");
    let tree = app
        .get("/api/v1/product-categories")
        .auth(&admin.token)
        .send()
        .await;
    let names: Vec<&str> = tree
        .data()
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["大类", "小类", "细类"]);

    let under_own_child = app
        .patch(&format!("/api/v1/product-categories/{top}"))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"parent_id": low}))
        .send()
        .await;
    assert!(under_own_child.is_problem(422), "{under_own_child:?}");
    assert_eq!(under_own_child.body["errors"][0]["code"], "cycle");

    // Two categories moved under each other at once: one move wins, the other is refused.
    for round in 0..5 {
        let a = category(&app, &admin, &format!("甲{round}"), None).await;
        let b = category(&app, &admin, &format!("乙{round}"), None).await;
        let moves = [(a.clone(), b.clone()), (b, a)].map(|(node, parent)| {
            let app = &app;
            let token = admin.token.clone();
            async move {
                app.patch(&format!("/api/v1/product-categories/{node}"))
                    .auth(&token)
                    .if_match("*")
                    .json(&json!({"parent_id": parent}))
                    .send()
                    .await
            }
        });
        let mut statuses: Vec<u16> = join_all(moves).await.iter().map(|r| r.status).collect();
        statuses.sort();
        assert_eq!(statuses, [200, 422], "round {round}");
    }

    // Only an empty category can go; a product keeps its category.
    create(
        &app,
        &admin,
        json!({"code": "P-1", "name": "产品", "category_id": low}),
    )
    .await;
    let busy = app
        .delete(&format!("/api/v1/product-categories/{low}"))
        .auth(&admin.token)
        .if_match("*")
        .send()
        .await;
    assert!(busy.is_problem(409), "{busy:?}");
    let parent = app
        .delete(&format!("/api/v1/product-categories/{mid}"))
        .auth(&admin.token)
        .if_match("*")
        .send()
        .await;
    assert!(parent.is_problem(409), "{parent:?}");
}

#[tokio::test]
async fn the_catalogue_is_every_members_and_no_other_organizations() {
    let app = TestApp::spawn().await;
    let admin = app.signup("目录").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let readonly = app.add_user(&admin, "readonly", None).await;
    let other = app.signup("外人").await;
    let p = create(
        &app,
        &admin,
        json!({"code": "FZ-TEA-01", "name": "丰泽茶叶", "spec": "500克"}),
    )
    .await;
    let id = p.str("/id").to_string();
    for who in [&sales, &readonly] {
        let res = app
            .get(&format!("/api/v1/products/{id}"))
            .auth(&who.token)
            .send()
            .await;
        assert_eq!(res.status, 200, "{res:?}");
    }
    assert!(
        create(&app, &readonly, json!({"code": "R-1", "name": "只读"}))
            .await
            .is_problem(403)
    );
    assert_eq!(
        create(&app, &sales, json!({"code": "S-1", "name": "销售建的"}))
            .await
            .status,
        201
    );
    assert!(app
        .get(&format!("/api/v1/products/{id}"))
        .auth(&other.token)
        .send()
        .await
        .is_problem(404));
    assert_eq!(app.total(&other, "products").await, 0);

    // Global search by name and by code; quick search by pinyin.
    for q in ["丰泽茶叶", "fz-tea-01"] {
        let res = app
            .get(&format!("/api/v1/search?q={}", testkit::urlencode(q)))
            .auth(&sales.token)
            .send()
            .await;
        let hit = res.body.to_string();
        assert!(
            hit.contains("\"product\"") && hit.contains(&id),
            "{q}: {res:?}"
        );
        let theirs = app
            .get(&format!("/api/v1/search?q={}", testkit::urlencode(q)))
            .auth(&other.token)
            .send()
            .await;
        assert!(!theirs.body.to_string().contains(&id));
    }
    let py = app
        .get("/api/v1/products?q=fengze")
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(py.data().len(), 1, "{py:?}");
}
