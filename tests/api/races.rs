//! Invariants under concurrency: many clients at once, real HTTP, real PostgreSQL. Each test
//! sends its requests simultaneously and checks that exactly the promised outcome happened.

use futures::future::join_all;
use serde_json::{json, Value};
use testkit::{Call, Res, TestApp};

/// Sends every call at once and returns the responses in order.
async fn all(calls: Vec<Call>) -> Vec<Res> {
    join_all(calls.into_iter().map(Call::send)).await
}

fn statuses(responses: &[Res]) -> Vec<u16> {
    let mut s: Vec<u16> = responses.iter().map(|r| r.status).collect();
    s.sort();
    s
}

fn one_then(n: usize, first: u16, rest: u16) -> Vec<u16> {
    let mut v = vec![first];
    v.extend(std::iter::repeat_n(rest, n - 1));
    v.sort();
    v
}

/// The one 201 and the 409s, which must each name the created record.
fn one_created_rest_duplicates(responses: &[Res]) {
    assert_eq!(
        statuses(responses),
        one_then(responses.len(), 201, 409),
        "{responses:?}"
    );
    let created = responses.iter().find(|r| r.status == 201).expect("a 201");
    let id = created.str("/id");
    for r in responses.iter().filter(|r| r.status == 409) {
        assert!(r.is_problem(409), "{r:?}");
        let named = r.body["candidates"]
            .as_array()
            .expect("candidates")
            .iter()
            .any(|c| c["id"] == id);
        assert!(named, "the 409 names the record created: {r:?}");
    }
}

#[tokio::test]
async fn simultaneous_creates_of_one_account_make_exactly_one() {
    let app = TestApp::spawn().await;
    let admin = app.signup("并发").await;
    let same_name = (0..8)
        .map(|_| {
            app.post("/api/v1/accounts")
                .auth(&admin.token)
                .json(&json!({"name": "武汉市光谷新材料有限公司"}))
        })
        .collect();
    one_created_rest_duplicates(&all(same_name).await);

    // Different names, one credit code.
    let same_code = (0..8)
        .map(|i| {
            app.post("/api/v1/accounts").auth(&admin.token).json(
                &json!({"name": format!("长沙第{i}分公司"), "credit_code": "91440300708461136T"}),
            )
        })
        .collect();
    one_created_rest_duplicates(&all(same_code).await);
    assert_eq!(app.total(&admin, "accounts").await, 2);
}

#[tokio::test]
async fn simultaneous_creates_of_one_lead_or_contact_phone_make_exactly_one() {
    let app = TestApp::spawn().await;
    let admin = app.signup("并发线索").await;
    let leads = (0..8)
        .map(|i| {
            app.post("/api/v1/leads")
                .auth(&admin.token)
                .json(&json!({"name": format!("王{i}"), "phone": "139 0000 1111"}))
        })
        .collect();
    one_created_rest_duplicates(&all(leads).await);

    let contacts = (0..8)
        .map(|i| {
            app.post("/api/v1/contacts")
                .auth(&admin.token)
                .json(&json!({"name": format!("李{i}"), "emails": ["li@example.cn"]}))
        })
        .collect();
    one_created_rest_duplicates(&all(contacts).await);
}

#[tokio::test]
async fn a_burst_of_retries_with_one_idempotency_key_all_get_the_first_result() {
    let app = TestApp::spawn().await;
    let admin = app.signup("重试").await;
    for round in 0..5 {
        let body = json!({"name": format!("成都市天府软件{round}有限公司")});
        let key = format!("import-row-{round}");
        let retries = (0..8)
            .map(|_| {
                app.post("/api/v1/accounts")
                    .auth(&admin.token)
                    .header("Idempotency-Key", &key)
                    .json(&body)
            })
            .collect();
        let responses = all(retries).await;
        assert_eq!(
            statuses(&responses),
            vec![201; 8],
            "round {round}: {responses:?}"
        );
        let id = responses[0].str("/id").to_string();
        assert!(
            responses.iter().all(|r| r.str("/id") == id),
            "{responses:?}"
        );
        let replayed = responses
            .iter()
            .filter(|r| r.header("Idempotent-Replayed") == Some("true"))
            .count();
        assert_eq!(replayed, 7, "all but the first are replays");
    }
    assert_eq!(app.total(&admin, "accounts").await, 5);
}

/// `n` simultaneous writes at one `If-Match` version: exactly one 200, the rest 412.
async fn one_wins(calls: Vec<Call>) -> Vec<Res> {
    let n = calls.len();
    let responses = all(calls).await;
    assert_eq!(statuses(&responses), one_then(n, 200, 412), "{responses:?}");
    responses
}

#[tokio::test]
async fn versioned_writes_of_departments_picklists_and_users_are_compare_and_set() {
    let app = TestApp::spawn().await;
    let admin = app.signup("版本").await;
    let dept = app.add_department(&admin, "华东区", None).await;
    let url = format!("/api/v1/departments/{dept}");
    let renames = (0..20)
        .map(|i| {
            app.patch(&url)
                .auth(&admin.token)
                .if_match("\"1\"")
                .json(&json!({"name": format!("华东区{i}")}))
        })
        .collect();
    let won = one_wins(renames).await;
    let winner = won.iter().find(|r| r.status == 200).expect("a winner");
    assert_eq!(winner.body["version"], 2);

    let list = app
        .get("/api/v1/picklists/industry")
        .auth(&admin.token)
        .send()
        .await;
    let values: Value = list.body["values"].clone();
    let puts = (0..10)
        .map(|_| {
            app.call(reqwest::Method::PUT, "/api/v1/picklists/industry")
                .auth(&admin.token)
                .if_match(&list.etag())
                .json(&json!({ "values": values }))
        })
        .collect();
    one_wins(puts).await;

    let sales = app.add_user(&admin, "sales", None).await;
    let user_url = format!("/api/v1/users/{}", sales.user_id);
    let patches = (0..10)
        .map(|i| {
            app.patch(&user_url)
                .auth(&admin.token)
                .if_match("\"1\"")
                .json(&json!({"name": format!("销售{i}")}))
        })
        .collect();
    one_wins(patches).await;
}

#[tokio::test]
async fn departments_moved_under_each_other_at_once_never_form_a_cycle() {
    let app = TestApp::spawn().await;
    let admin = app.signup("部门树").await;
    for round in 0..6 {
        let a = app
            .add_department(&admin, &format!("甲{round}"), None)
            .await;
        let b = app
            .add_department(&admin, &format!("乙{round}"), None)
            .await;
        let moves = vec![
            app.patch(&format!("/api/v1/departments/{a}"))
                .auth(&admin.token)
                .if_match("*")
                .json(&json!({ "parent_id": b })),
            app.patch(&format!("/api/v1/departments/{b}"))
                .auth(&admin.token)
                .if_match("*")
                .json(&json!({ "parent_id": a })),
        ];
        let responses = all(moves).await;
        assert_eq!(
            statuses(&responses),
            [200, 422],
            "round {round}: {responses:?}"
        );
        let refused = responses.iter().find(|r| r.status == 422).expect("a 422");
        assert_eq!(refused.body["errors"][0]["code"], "cycle", "{refused:?}");
    }
}

#[tokio::test]
async fn a_cycle_in_stored_data_neither_hangs_requests_nor_blocks_its_repair() {
    let app = TestApp::spawn().await;
    let admin = app.signup("坏数据").await;
    let a = app.add_department(&admin, "甲", None).await;
    let b = app.add_department(&admin, "乙", Some(a)).await;
    let manager = app.add_user(&admin, "manager", Some(b)).await;
    // Data as an old bug or a hand edit could leave it: a and b each other's parent.
    app.sql(&format!(
        "UPDATE departments SET parent_id = '{b}' WHERE id = '{a}'"
    ))
    .await;
    let started = std::time::Instant::now();
    let me = app.get("/api/v1/me").auth(&manager.token).send().await;
    assert_eq!(me.status, 200, "{me:?}");
    let accounts = app
        .get("/api/v1/accounts")
        .auth(&manager.token)
        .send()
        .await;
    assert_eq!(accounts.status, 200, "{accounts:?}");
    assert!(started.elapsed().as_secs() < 30, "answered, not hung");

    let root = app.get("/api/v1/me").auth(&admin.token).send().await;
    let root_dept = root.body["user"]["department_id"]
        .as_str()
        .expect("dept")
        .to_string();
    let repair = app
        .patch(&format!("/api/v1/departments/{a}"))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({ "parent_id": root_dept }))
        .send()
        .await;
    assert_eq!(repair.status, 200, "{repair:?}");
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = TestApp::spawn().await;
    for round in 0..4 {
        let first = app.signup(&format!("最后管理员{round}")).await;
        let second = app.add_user(&first, "admin", None).await;
        let demote = |who: &testkit::Session, whom: &testkit::Session| {
            app.patch(&format!("/api/v1/users/{}", whom.user_id))
                .auth(&who.token)
                .if_match("*")
                .json(&json!({"role": "sales"}))
        };
        let responses = all(vec![demote(&first, &second), demote(&second, &first)]).await;
        // The loser is refused as the last admin (409), or — when it arrives after the winner
        // committed — as no longer an admin at all (403).
        let s = statuses(&responses);
        assert!(
            s == [200, 409] || s == [200, 403],
            "round {round}: {responses:?}"
        );
        let admins = app
            .get("/api/v1/users?role=admin&active=true&count=true")
            .auth(&first.token)
            .send()
            .await;
        assert_eq!(admins.body["total"], 1, "round {round}: {admins:?}");
    }
}

#[tokio::test]
async fn opposite_merges_at_once_never_deadlock() {
    let app = TestApp::spawn().await;
    let admin = app.signup("反向合并").await;
    for round in 0..6 {
        let a = app
            .add_account(
                &admin,
                json!({"name": format!("重庆甲{round}实业有限公司")}),
            )
            .await;
        let b = app
            .add_account(
                &admin,
                json!({"name": format!("重庆乙{round}贸易有限公司")}),
            )
            .await;
        let merge = |into: &Value, from: &Value| {
            app.post("/api/v1/accounts/merge")
                .auth(&admin.token)
                .json(&json!({"into": into["id"], "from": [from["id"]]}))
        };
        let responses = all(vec![merge(&a, &b), merge(&b, &a)]).await;
        let s = statuses(&responses);
        assert_eq!(s[0], 200, "round {round}: one wins: {responses:?}");
        assert!(
            s[1] == 404 || s[1] == 409,
            "round {round}: the other is told the record is gone: {responses:?}"
        );
    }
}
