use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{json, Value};
use std::collections::HashSet;
use testkit::{Res, Session, TestApp};

fn id(v: &Value) -> &str {
    v["id"].as_str().expect("id")
}

fn days_from_now(days: i64) -> String {
    (Utc::now() + Duration::days(days)).to_rfc3339_opts(SecondsFormat::Micros, true)
}

async fn created(app: &TestApp, who: &Session, path: &str, body: Value) -> Value {
    let res = app.post(path).auth(&who.token).json(&body).send().await;
    assert_eq!(res.status, 201, "{path}: {res:?}");
    res.body
}

async fn log(app: &TestApp, who: &Session, kind: &str, subject: &str, on: (&str, &Value)) -> Value {
    created(
        app,
        who,
        "/api/v1/activities",
        json!({"kind": kind, "subject": subject, "entity": on.0, "entity_id": on.1["id"]}),
    )
    .await
}

async fn timeline(app: &TestApp, who: &Session, path: &str) -> Res {
    app.get(path).auth(&who.token).send().await
}

/// Every item of a timeline, read whole.
async fn all(app: &TestApp, who: &Session, path: &str) -> Vec<Value> {
    let res = timeline(app, who, &format!("{path}?limit=200")).await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.body["next_cursor"], Value::Null);
    res.data().clone()
}

async fn stage_ids(app: &TestApp, who: &Session) -> Vec<String> {
    let res = app.get("/api/v1/pipelines").auth(&who.token).send().await;
    assert_eq!(res.status, 200, "{res:?}");
    res.data()[0]["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| id(s).to_string())
        .collect()
}

async fn move_to(app: &TestApp, who: &Session, deal: &Value, stage: &str, reason: Option<&str>) {
    let path = format!("/api/v1/opportunities/{}", id(deal));
    let current = app.get(&path).auth(&who.token).send().await;
    let mut body = json!({"stage_id": stage});
    if let Some(r) = reason {
        body["reason"] = json!(r);
    }
    let res = app
        .post(&format!("{path}/move"))
        .auth(&who.token)
        .if_match(&current.etag())
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
}

fn kinds(items: &[Value]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap_or_default().to_string(),
                i["entity"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Newest first: `at` never increases, and equal times go by id, descending.
fn assert_newest_first(items: &[Value]) {
    for pair in items.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (at_a, at_b) = (
            a["at"]
                .as_str()
                .expect("at")
                .parse::<chrono::DateTime<Utc>>(),
            b["at"]
                .as_str()
                .expect("at")
                .parse::<chrono::DateTime<Utc>>(),
        );
        let (at_a, at_b) = (at_a.expect("time"), at_b.expect("time"));
        assert!(
            at_a > at_b || (at_a == at_b && id(a) > id(b)),
            "out of order: {a} before {b}"
        );
    }
}

#[tokio::test]
async fn an_account_timeline_gathers_its_contacts_and_opportunities_newest_first() {
    let app = TestApp::spawn().await;
    let admin = app.signup("时间线测试").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let stages = stage_ids(&app, &sales).await;
    let acc = app
        .add_account(&sales, json!({"name": "深圳市丰泽日用品有限公司"}))
        .await;
    let person = created(
        &app,
        &sales,
        "/api/v1/contacts",
        json!({"name": "王芳", "account_id": acc["id"]}),
    )
    .await;
    let deal = created(
        &app,
        &sales,
        "/api/v1/opportunities",
        json!({"name": "2027 包材采购", "account_id": acc["id"]}),
    )
    .await;
    let mut backdated = Vec::new();
    for (days, kind, on) in [
        (-3, "call", ("account", &acc)),
        (-2, "visit", ("contact", &person)),
        (-1, "meeting", ("opportunity", &deal)),
    ] {
        let a = created(
            &app,
            &sales,
            "/api/v1/activities",
            json!({"kind": kind, "subject": format!("{kind} 丰泽"), "entity": on.0, "entity_id": on.1["id"],
                   "occurred_at": days_from_now(days)}),
        )
        .await;
        backdated.push(id(&a).to_string());
    }
    let note = log(&app, &sales, "note", "今天的备注", ("account", &acc)).await;
    let retitled = app
        .patch(&format!("/api/v1/contacts/{}", id(&person)))
        .auth(&sales.token)
        .if_match("\"1\"")
        .json(&json!({"title": "采购经理"}))
        .send()
        .await;
    assert_eq!(retitled.status, 200, "{retitled:?}");
    move_to(&app, &sales, &deal, &stages[1], None).await;
    // Another account's events stay on its own timeline.
    let other = app.add_account(&sales, json!({"name": "白云化工"})).await;
    log(&app, &sales, "call", "别家", ("account", &other)).await;

    let path = format!("/api/v1/accounts/{}/timeline", id(&acc));
    let items = all(&app, &sales, &path).await;
    assert_newest_first(&items);
    let mut summary = kinds(&items);
    summary.sort();
    let expected: Vec<(String, String)> = [
        ("activity", "account"),
        ("activity", "account"),
        ("activity", "contact"),
        ("activity", "opportunity"),
        ("field_change", "account"),
        ("field_change", "contact"),
        ("field_change", "contact"),
        ("field_change", "opportunity"),
        ("stage_change", "opportunity"),
        ("stage_change", "opportunity"),
    ]
    .iter()
    .map(|(k, e)| (k.to_string(), e.to_string()))
    .collect();
    assert_eq!(
        summary, expected,
        "activities, stage changes and field changes of the account, its contact and its deal \
         (the move's audit event is its stage change): {items:#?}"
    );
    // The backdated activities are the oldest, in the order they happened.
    let tail: Vec<&str> = items[items.len() - 3..].iter().map(id).collect();
    assert_eq!(tail, [&backdated[2], &backdated[1], &backdated[0]]);
    assert_eq!(items[0]["kind"], "stage_change", "the move came last");
    assert_eq!(items[0]["stage_change"]["from_stage"], "资格确认");
    assert_eq!(items[0]["stage_change"]["to_stage"], "需求分析");
    assert_eq!(items[0]["actor_id"], sales.user_id.to_string());
    assert_eq!(items[0]["activity"], Value::Null);
    let update = items
        .iter()
        .find(|i| i["kind"] == "field_change" && i["field_change"]["action"] == "update")
        .expect("the contact's update");
    assert_eq!(update["entity_id"], id(&person));
    assert_eq!(
        update["field_change"]["changes"],
        json!([{"field": "title", "old": null, "new": "采购经理"}])
    );
    let logged = items
        .iter()
        .find(|i| i["id"] == id(&note))
        .expect("the note");
    assert_eq!(logged["kind"], "activity");
    assert_eq!(logged["activity"]["subject"], "今天的备注");
    assert_eq!(logged["activity"]["kind"], "note");
    assert_eq!(logged["activity"]["account_id"], id(&acc));
    assert_eq!(logged["at"], note["occurred_at"]);

    // A cursor walk returns every event exactly once, in the same order.
    let mut walked = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page_path = match &cursor {
            Some(c) => format!("{path}?limit=3&cursor={c}"),
            None => format!("{path}?limit=3"),
        };
        let page = timeline(&app, &sales, &page_path).await;
        assert_eq!(page.status, 200, "{page:?}");
        assert!(page.data().len() <= 3);
        walked.extend(page.data().iter().map(|i| id(i).to_string()));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let whole: Vec<String> = items.iter().map(|i| id(i).to_string()).collect();
    assert_eq!(walked, whole);
    assert_eq!(walked.iter().collect::<HashSet<_>>().len(), walked.len());

    // Filters.
    let activities = timeline(&app, &sales, &format!("{path}?kind=activity")).await;
    assert_eq!(activities.data().len(), 4);
    let of_contact = timeline(
        &app,
        &sales,
        &format!("{path}?entity=contact&entity_id={}", id(&person)),
    )
    .await;
    assert_eq!(of_contact.data().len(), 3);
    let unknown = timeline(&app, &sales, &format!("{path}?colour=red")).await;
    assert!(unknown.is_problem(400), "{unknown:?}");
}

#[tokio::test]
async fn opportunity_and_contact_timelines_hold_their_own_events() {
    let app = TestApp::spawn().await;
    let admin = app.signup("商机时间线").await;
    let stages = stage_ids(&app, &admin).await;
    let acc = app.add_account(&admin, json!({"name": "丰泽"})).await;
    let person = created(
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
        json!({"name": "包材", "account_id": acc["id"], "contact_id": person["id"]}),
    )
    .await;
    move_to(&app, &admin, &deal, &stages[2], None).await;
    let meeting = log(&app, &admin, "meeting", "报价会", ("opportunity", &deal)).await;
    move_to(&app, &admin, &deal, &stages[4], Some("价格优势")).await;
    let call = log(&app, &admin, "call", "问候", ("contact", &person)).await;
    log(&app, &admin, "note", "客户备注", ("account", &acc)).await;

    let deal_path = format!("/api/v1/opportunities/{}/timeline", id(&deal));
    let moves = timeline(&app, &admin, &format!("{deal_path}?kind=stage_change")).await;
    assert_eq!(moves.status, 200, "{moves:?}");
    let changes: Vec<(Value, Value, Value)> = moves
        .data()
        .iter()
        .map(|i| {
            let c = &i["stage_change"];
            (
                c["from_stage"].clone(),
                c["to_stage"].clone(),
                c["reason"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (json!("方案报价"), json!("赢单"), json!("价格优势")),
            (json!("资格确认"), json!("方案报价"), Value::Null),
            (Value::Null, json!("资格确认"), Value::Null),
        ]
    );
    assert_eq!(
        moves.data()[0]["stage_change"]["to_stage_id"],
        stages[4].as_str()
    );
    let items = all(&app, &admin, &deal_path).await;
    assert_newest_first(&items);
    assert_eq!(
        kinds(&items),
        [
            ("stage_change", "opportunity"),
            ("activity", "opportunity"),
            ("stage_change", "opportunity"),
            ("field_change", "opportunity"),
            ("stage_change", "opportunity"),
        ]
        .map(|(k, e)| (k.to_string(), e.to_string())),
        "moves are stage changes only; the account's and contact's events are not the deal's"
    );
    assert_eq!(items[1]["id"], id(&meeting));
    assert_eq!(items[3]["field_change"]["action"], "create");

    let contact_items = all(
        &app,
        &admin,
        &format!("/api/v1/contacts/{}/timeline", id(&person)),
    )
    .await;
    assert_eq!(
        kinds(&contact_items),
        [("activity", "contact"), ("field_change", "contact")]
            .map(|(k, e)| (k.to_string(), e.to_string()))
    );
    assert_eq!(contact_items[0]["id"], id(&call));

    // A deleted activity leaves the timeline; a deleted deal's timeline is gone.
    let del = app
        .delete(&format!("/api/v1/activities/{}", id(&meeting)))
        .auth(&admin.token)
        .if_match("*")
        .send()
        .await;
    assert_eq!(del.status, 204);
    assert_eq!(all(&app, &admin, &deal_path).await.len(), 4);
    let del = app
        .delete(&format!("/api/v1/opportunities/{}", id(&deal)))
        .auth(&admin.token)
        .if_match("*")
        .send()
        .await;
    assert_eq!(del.status, 204);
    assert!(timeline(&app, &admin, &deal_path).await.is_problem(404));
}

#[tokio::test]
async fn timelines_follow_visibility() {
    let app = TestApp::spawn().await;
    let admin = app.signup("时间线可见性").await;
    let alice = app.add_user(&admin, "sales", None).await;
    let bob = app.add_user(&admin, "sales", None).await;
    let acc = app.add_account(&alice, json!({"name": "丰泽"})).await;
    let alices_contact = created(
        &app,
        &alice,
        "/api/v1/contacts",
        json!({"name": "王芳", "account_id": acc["id"]}),
    )
    .await;
    let deal = created(
        &app,
        &alice,
        "/api/v1/opportunities",
        json!({"name": "包材", "account_id": acc["id"]}),
    )
    .await;
    log(&app, &alice, "call", "爱丽丝的电话", ("account", &acc)).await;
    // Bob owns one contact at Alice's account and logs a call with it.
    let bobs_contact = created(
        &app,
        &admin,
        "/api/v1/contacts",
        json!({"name": "李雷", "account_id": acc["id"], "owner_id": bob.user_id}),
    )
    .await;
    let bobs_call = log(&app, &bob, "call", "鲍勃的电话", ("contact", &bobs_contact)).await;
    assert_eq!(bobs_call["account_id"], id(&acc));

    for path in [
        format!("/api/v1/accounts/{}/timeline", id(&acc)),
        format!("/api/v1/contacts/{}/timeline", id(&alices_contact)),
        format!("/api/v1/opportunities/{}/timeline", id(&deal)),
        format!("/api/v1/accounts/{}/timeline", uuid::Uuid::now_v7()),
    ] {
        let res = timeline(&app, &bob, &path).await;
        assert!(res.is_problem(404), "{path}: {res:?}");
    }
    let other_org = app.signup("别的组织").await;
    assert!(timeline(
        &app,
        &other_org,
        &format!("/api/v1/accounts/{}/timeline", id(&acc))
    )
    .await
    .is_problem(404));

    let path = format!("/api/v1/accounts/{}/timeline", id(&acc));
    let alices = all(&app, &alice, &path).await;
    assert!(
        alices.iter().all(|i| i["entity_id"] != id(&bobs_contact)
            && i["id"] != id(&bobs_call)
            && i["actor_id"] != bob.user_id.to_string()),
        "Bob's contact and call are not Alice's to see: {alices:#?}"
    );
    let admins = all(&app, &admin, &path).await;
    assert_eq!(
        admins.len(),
        alices.len() + 2,
        "Bob's contact's creation and his call"
    );
    assert!(admins.iter().any(|i| i["id"] == id(&bobs_call)));
    let bobs_view = all(
        &app,
        &bob,
        &format!("/api/v1/contacts/{}/timeline", id(&bobs_contact)),
    )
    .await;
    assert_eq!(bobs_view.len(), 2, "{bobs_view:#?}");
    assert_eq!(bobs_view[0]["id"], id(&bobs_call));
}

#[tokio::test]
async fn a_lead_keeps_its_timeline_and_conversion_rolls_its_activities_up_to_the_account() {
    let app = TestApp::spawn().await;
    let admin = app.signup("线索时间线").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let colleague = app.add_user(&admin, "sales", None).await;
    let lead = created(
        &app,
        &sales,
        "/api/v1/leads",
        json!({"name": "李强", "company": "广州市白云日化有限公司", "phone": "139 1234 5678"}),
    )
    .await;
    let call = log(&app, &sales, "call", "首次电话", ("lead", &lead)).await;
    assert_eq!(call["account_id"], Value::Null, "not converted yet");
    let listed = app
        .get(&format!("/api/v1/leads/{}/activities", id(&lead)))
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(listed.status, 200, "{listed:?}");
    assert_eq!(listed.data().len(), 1);

    let path = format!("/api/v1/leads/{}/timeline", id(&lead));
    let items = all(&app, &sales, &path).await;
    assert_eq!(
        kinds(&items),
        [("activity", "lead"), ("field_change", "lead")]
            .map(|(k, e)| (k.to_string(), e.to_string()))
    );
    assert!(timeline(&app, &colleague, &path).await.is_problem(404));

    let converted = app
        .post(&format!("/api/v1/leads/{}/convert", id(&lead)))
        .auth(&sales.token)
        .if_match("*")
        .json(&json!({}))
        .send()
        .await;
    assert_eq!(converted.status, 200, "{converted:?}");
    let account_id = converted.str("/account/id").to_string();
    let after = all(&app, &sales, &path).await;
    assert_eq!(
        after.len(),
        3,
        "the conversion is on the lead's timeline: {after:#?}"
    );
    assert_eq!(after[0]["field_change"]["action"], "update");

    // The call made with the lead is now part of the account's history.
    let account_items = all(
        &app,
        &sales,
        &format!("/api/v1/accounts/{account_id}/timeline"),
    )
    .await;
    let rolled_up = account_items
        .iter()
        .find(|i| i["id"] == id(&call))
        .expect("the lead's call on the account's timeline");
    assert_eq!(rolled_up["entity"], "lead");
    assert_eq!(rolled_up["activity"]["account_id"], account_id.as_str());
    let account = app
        .get(&format!("/api/v1/accounts/{account_id}"))
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(account.body["last_activity_at"], call["occurred_at"]);
    assert_eq!(account.body["neglected"], false);
}
