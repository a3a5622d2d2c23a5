//! Saved list views: checked against the entity's list, private or shared, changed only by their
//! owner (or an admin, when shared), compare-and-set, and never seen by another organization.

use futures::future::join_all;
use serde_json::json;
use testkit::{Res, Session, TestApp};

async fn save(app: &TestApp, who: &Session, body: serde_json::Value) -> Res {
    app.post("/api/v1/views")
        .auth(&who.token)
        .json(&body)
        .send()
        .await
}

fn names(res: &Res) -> Vec<&str> {
    res.data()
        .iter()
        .filter_map(|v| v["name"].as_str())
        .collect()
}

#[tokio::test]
async fn a_view_is_checked_against_its_lists_filters_and_fields() {
    let app = TestApp::spawn().await;
    let admin = app.signup("视图").await;
    let ok = save(
        &app,
        &admin,
        json!({"entity": "accounts", "name": " 重点客户 ", "query": "class=key&sort=-annual_revenue",
               "columns": ["name", "owner_id", "annual_revenue"]}),
    )
    .await;
    assert_eq!(ok.status, 201, "{ok:?}");
    assert_eq!(ok.body["name"], "重点客户");
    assert!(ok
        .header("Location")
        .is_some_and(|l| l.ends_with(ok.str("/id"))));

    let cases = [
        (json!({"entity": "spaceships", "name": "x"}), "entity"),
        (
            json!({"entity": "accounts", "name": "x", "query": "colour=red"}),
            "query",
        ),
        (
            json!({"entity": "accounts", "name": "x", "query": "sort=phone"}),
            "query",
        ),
        (
            json!({"entity": "accounts", "name": "x", "query": "cursor=abc"}),
            "query",
        ),
        (
            json!({"entity": "accounts", "name": "x", "columns": ["name", "shoe_size"]}),
            "columns[1]",
        ),
        (json!({"entity": "accounts", "name": ""}), "name"),
    ];
    for (body, field) in cases {
        let res = save(&app, &admin, body.clone()).await;
        assert!(res.is_problem(422), "{body}: {res:?}");
        assert_eq!(res.body["errors"][0]["field"], field, "{body}: {res:?}");
    }
    let again = save(
        &app,
        &admin,
        json!({"entity": "accounts", "name": "重点客户"}),
    )
    .await;
    assert!(again.is_problem(409), "{again:?}");
    assert_eq!(again.body["errors"][0]["field"], "name", "{again:?}");
    // The same name for another entity is another view.
    let contacts = save(
        &app,
        &admin,
        json!({"entity": "contacts", "name": "重点客户"}),
    )
    .await;
    assert_eq!(contacts.status, 201, "{contacts:?}");
}

#[tokio::test]
async fn private_views_are_their_owners_and_shared_ones_everyones_to_read() {
    let app = TestApp::spawn().await;
    let admin = app.signup("共享视图").await;
    let alice = app.add_user(&admin, "sales", None).await;
    let bob = app.add_user(&admin, "sales", None).await;
    let private = save(
        &app,
        &alice,
        json!({"entity": "leads", "name": "我的新线索", "query": "status=new"}),
    )
    .await;
    let shared = save(&app, &alice, json!({"entity": "leads", "name": "展会线索", "query": "source=trade_show", "shared": true})).await;
    assert_eq!((private.status, shared.status), (201, 201));

    let mine = app
        .get("/api/v1/views?entity=leads")
        .auth(&alice.token)
        .send()
        .await;
    assert_eq!(names(&mine), ["展会线索", "我的新线索"]);
    let bobs = app
        .get("/api/v1/views?entity=leads")
        .auth(&bob.token)
        .send()
        .await;
    assert_eq!(names(&bobs), ["展会线索"], "bob sees only the shared one");
    let hidden = app
        .get(&format!("/api/v1/views/{}", private.str("/id")))
        .auth(&bob.token)
        .send()
        .await;
    assert!(hidden.is_problem(404), "{hidden:?}");

    let url = format!("/api/v1/views/{}", shared.str("/id"));
    let by_bob = app
        .patch(&url)
        .auth(&bob.token)
        .if_match("*")
        .json(&json!({"name": "鲍勃改的"}))
        .send()
        .await;
    assert!(by_bob.is_problem(403), "{by_bob:?}");
    let by_admin = app
        .patch(&url)
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"query": "source=referral"}))
        .send()
        .await;
    assert_eq!(
        by_admin.status, 200,
        "an admin tidies shared views: {by_admin:?}"
    );

    let other = app.signup("别的公司").await;
    let outside = app.get(&url).auth(&other.token).send().await;
    assert!(outside.is_problem(404), "{outside:?}");
    let listed = app
        .get("/api/v1/views?entity=leads")
        .auth(&other.token)
        .send()
        .await;
    assert!(listed.data().is_empty(), "{listed:?}");

    let gone = app
        .delete(&url)
        .auth(&alice.token)
        .if_match("*")
        .send()
        .await;
    assert_eq!(gone.status, 204, "{gone:?}");
    let bobs = app
        .get("/api/v1/views?entity=leads")
        .auth(&bob.token)
        .send()
        .await;
    assert!(names(&bobs).is_empty());
}

#[tokio::test]
async fn simultaneous_edits_of_a_view_at_one_version_let_one_through() {
    let app = TestApp::spawn().await;
    let admin = app.signup("视图版本").await;
    let view = save(
        &app,
        &admin,
        json!({"entity": "opportunities", "name": "本月成交"}),
    )
    .await;
    let url = format!("/api/v1/views/{}", view.str("/id"));
    let edits = (0..10).map(|i| {
        app.patch(&url)
            .auth(&admin.token)
            .if_match(&view.etag())
            .json(&json!({ "name": format!("本月成交{i}") }))
            .send()
    });
    let mut statuses: Vec<u16> = join_all(edits).await.iter().map(|r| r.status).collect();
    statuses.sort();
    let mut expected = vec![200];
    expected.extend([412; 9]);
    assert_eq!(statuses, expected);
}
