//! The transactional outbox: exactly one event per committed change of a record, in order, with
//! the changed fields and the actor; none for a change that rolled back.

use diesel::{sql_query, Connection, PgConnection, QueryableByName, RunQueryDsl};
use serde_json::{json, Value};
use testkit::{Session, TestApp};
use uuid::Uuid;

#[derive(QueryableByName, Debug)]
pub struct Event {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub entity: String,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    pub entity_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub action: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    pub actor_id: Option<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub changes: Value,
}

/// The organization's events in outbox order.
pub fn events(app: &TestApp, org: Uuid) -> Vec<Event> {
    let mut conn = PgConnection::establish(&app.db.url).expect("connect");
    sql_query("SELECT entity, entity_id, action, actor_id, changes FROM events WHERE org_id = $1 ORDER BY seq")
        .bind::<diesel::sql_types::Uuid, _>(org)
        .load(&mut conn)
        .expect("events")
}

fn of(events: &[Event], id: Uuid) -> Vec<&str> {
    events
        .iter()
        .filter(|e| e.entity_id == id)
        .map(|e| e.action.as_str())
        .collect()
}

pub fn changed(event: &Event) -> Vec<&str> {
    event.changes.as_array().map_or(Vec::new(), |c| {
        c.iter().filter_map(|c| c["field"].as_str()).collect()
    })
}

async fn write(app: &TestApp, who: &Session, method: reqwest::Method, path: &str, body: Value) {
    let res = app
        .call(method, path)
        .auth(&who.token)
        .if_match("*")
        .json(&body)
        .send()
        .await;
    assert!(res.status < 300, "{path}: {res:?}");
}

#[tokio::test]
async fn each_committed_change_is_one_event_in_order() {
    let app = TestApp::spawn().await;
    let admin = app.signup("事件").await;
    let account = app
        .add_account(&admin, json!({"name": "青岛海滨食品有限公司"}))
        .await;
    let id: Uuid = account["id"].as_str().expect("id").parse().expect("uuid");
    let url = format!("/api/v1/accounts/{id}");
    write(
        &app,
        &admin,
        reqwest::Method::PATCH,
        &url,
        json!({"employees": 120}),
    )
    .await;
    // The same values again change nothing, so there is nothing to tell.
    write(
        &app,
        &admin,
        reqwest::Method::PATCH,
        &url,
        json!({"employees": 120}),
    )
    .await;
    write(&app, &admin, reqwest::Method::DELETE, &url, json!({})).await;
    write(
        &app,
        &admin,
        reqwest::Method::POST,
        &format!("{url}/restore"),
        json!({}),
    )
    .await;

    let all = events(&app, admin.org_id);
    assert_eq!(
        of(&all, id),
        ["created", "updated", "deleted", "restored"],
        "{all:?}"
    );
    let mine: Vec<&Event> = all.iter().filter(|e| e.entity_id == id).collect();
    assert!(mine
        .iter()
        .all(|e| e.entity == "account" && e.actor_id == Some(admin.user_id)));
    assert!(changed(mine[0]).contains(&"name"), "{:?}", mine[0]);
    assert_eq!(changed(mine[1]), ["employees"], "{:?}", mine[1]);
}

#[tokio::test]
async fn set_based_changes_are_one_event_per_record() {
    let app = TestApp::spawn().await;
    let admin = app.signup("批量事件").await;
    let alice = app.add_user(&admin, "sales", None).await;
    let bob = app.add_user(&admin, "sales", None).await;
    let mut ids = Vec::new();
    for name in ["烟台甲公司", "烟台乙公司", "烟台丙公司"] {
        let a = app.add_account(&alice, json!({ "name": name })).await;
        ids.push(a["id"].as_str().expect("id").parse::<Uuid>().expect("uuid"));
    }
    let res = app
        .post(&format!("/api/v1/users/{}/transfer", alice.user_id))
        .auth(&admin.token)
        .json(&json!({"to_user_id": bob.user_id, "kinds": ["accounts"]}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let all = events(&app, admin.org_id);
    for id in &ids {
        assert_eq!(of(&all, *id), ["created", "transferred"], "{all:?}");
    }
    // Merging b into a: a is merged into, b is binned (deleted), each one event more.
    let res = app
        .post("/api/v1/accounts/merge")
        .auth(&admin.token)
        .json(&json!({"into": ids[0], "from": [ids[1]]}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let all = events(&app, admin.org_id);
    assert_eq!(
        of(&all, ids[1]),
        ["created", "transferred", "deleted"],
        "{all:?}"
    );
    let kept = of(&all, ids[0]);
    assert_eq!(kept.first(), Some(&"created"));
    assert_eq!(kept.last(), Some(&"merged"), "{kept:?}");
}

#[tokio::test]
async fn a_change_that_rolls_back_leaves_no_event() {
    let app = TestApp::spawn().await;
    let admin = app.signup("回滚").await;
    let lead = app
        .post("/api/v1/leads")
        .auth(&admin.token)
        .json(&json!({"name": "赵六", "company": "大连港湾物流有限公司"}))
        .send()
        .await;
    assert_eq!(lead.status, 201, "{lead:?}");
    let before = events(&app, admin.org_id).len();
    // The conversion creates an account and a contact, then fails creating the deal.
    app.sql(
        "CREATE FUNCTION fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$; \
         CREATE TRIGGER fail BEFORE INSERT ON opportunities FOR EACH ROW EXECUTE FUNCTION fail();",
    )
    .await;
    let res = app
        .post(&format!("/api/v1/leads/{}/convert", lead.str("/id")))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"opportunity": {"name": "港湾物流 年度合同"}}))
        .send()
        .await;
    assert_eq!(res.status, 500, "the injected failure: {res:?}");
    assert_eq!(
        events(&app, admin.org_id).len(),
        before,
        "nothing of it was told"
    );
    assert_eq!(app.total(&admin, "accounts").await, 0);
}

#[tokio::test]
async fn simultaneous_duplicate_creates_tell_of_the_one_that_was_made() {
    let app = TestApp::spawn().await;
    let admin = app.signup("并发事件").await;
    let creates = (0..8).map(|_| {
        app.post("/api/v1/accounts")
            .auth(&admin.token)
            .json(&json!({"name": "威海蓝天渔业有限公司"}))
            .send()
    });
    let responses = futures::future::join_all(creates).await;
    assert_eq!(responses.iter().filter(|r| r.status == 201).count(), 1);
    let created = events(&app, admin.org_id)
        .into_iter()
        .filter(|e| e.entity == "account")
        .count();
    assert_eq!(created, 1);
}
