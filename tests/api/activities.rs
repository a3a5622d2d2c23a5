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

#[tokio::test]
async fn every_kind_attaches_to_accounts_contacts_and_opportunities() {
    let app = TestApp::spawn().await;
    let admin = app.signup("活动测试").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let acc = app
        .add_account(&sales, json!({"name": "深圳市丰泽日用品有限公司"}))
        .await;
    let person = contact(&app, &sales, &acc, "王芳").await;
    let deal = opportunity(&app, &sales, &acc, "2027 包材采购").await;

    let targets = [
        ("account", id(&acc)),
        ("contact", id(&person)),
        ("opportunity", id(&deal)),
    ];
    let kinds = ["call", "visit", "meeting", "email", "note"];
    let mut created = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let (entity, entity_id) = targets[i % targets.len()];
        let res = log(
            &app,
            &sales,
            json!({"kind": kind, "subject": format!(" {kind} 丰泽 "), "body": "王经理确认下季度追加订单",
                   "entity": entity, "entity_id": entity_id, "tags": ["跟进"]}),
        )
        .await;
        assert_eq!(res.status, 201, "{kind}: {res:?}");
        assert_eq!(
            res.header("location"),
            Some(format!("/api/v1/activities/{}", res.str("/id")).as_str())
        );
        assert_eq!(res.etag(), "\"1\"");
        assert_eq!(res.body["kind"], *kind);
        assert_eq!(res.body["subject"], format!("{kind} 丰泽"), "trimmed");
        assert_eq!(res.body["entity"], entity);
        assert_eq!(
            res.body["account_id"],
            id(&acc),
            "a {entity}'s activity rolls up to its account"
        );
        assert!(res.body["occurred_at"].is_string(), "defaults to now");
        assert_eq!(res.body["owner_id"], sales.user_id.to_string());
        assert_eq!(res.body["status"], Value::Null);
        assert_eq!(res.body["overdue"], false);
        created.push(res.str("/id").to_string());
    }
    let visit = log(
        &app,
        &sales,
        json!({"kind": "visit", "subject": "拜访丰泽采购部", "body": "拜访纪要：需两周内报价。",
               "entity": "contact", "entity_id": id(&person), "occurred_at": "2026-11-20T02:30:00Z"}),
    )
    .await;
    assert_eq!(visit.status, 201, "{visit:?}");
    assert_eq!(visit.body["occurred_at"], "2026-11-20T02:30:00Z");
    assert_eq!(visit.body["body"], "拜访纪要：需两周内报价。");
    let task = log(
        &app,
        &sales,
        json!({"kind": "task", "subject": "发送报价", "entity": "opportunity", "entity_id": id(&deal),
               "due_at": days_from_now(3), "reminder_at": days_from_now(2)}),
    )
    .await;
    assert_eq!(task.status, 201, "{task:?}");
    assert_eq!(task.body["status"], "open");
    assert_eq!(
        task.body["occurred_at"],
        Value::Null,
        "an open task has not happened"
    );
    assert_eq!(task.body["overdue"], false);

    // Each record's own activities, and the account's roll-up of all of them.
    let on_account = ids_of(
        &app,
        &sales,
        &format!("/api/v1/accounts/{}/activities?limit=200", id(&acc)),
    )
    .await;
    assert_eq!(on_account.len(), 7, "{on_account:?}");
    let on_contact = ids_of(
        &app,
        &sales,
        &format!("/api/v1/contacts/{}/activities", id(&person)),
    )
    .await;
    assert_eq!(on_contact.len(), 3, "visit, note, visit: {on_contact:?}");
    let on_deal = ids_of(
        &app,
        &sales,
        &format!("/api/v1/opportunities/{}/activities", id(&deal)),
    )
    .await;
    assert_eq!(on_deal.len(), 2, "meeting, task: {on_deal:?}");
    assert!(on_deal.contains(&task.str("/id").to_string()));

    // Filters and quick search over the one list mechanism.
    let visits = ids_of(&app, &sales, "/api/v1/activities?kind=visit").await;
    assert_eq!(visits.len(), 2);
    let found = ids_of(
        &app,
        &sales,
        &format!("/api/v1/activities?q={}", urlencode("两周内报价")),
    )
    .await;
    assert_eq!(found, [visit.str("/id")]);
    let before = ids_of(
        &app,
        &sales,
        &format!(
            "/api/v1/activities?occurred_at[lt]={}",
            urlencode("2026-11-21T00:00:00Z")
        ),
    )
    .await;
    assert_eq!(before, [visit.str("/id")]);
    let bad = app
        .get("/api/v1/activities?colour=red")
        .auth(&sales.token)
        .send()
        .await;
    assert!(bad.is_problem(400), "{bad:?}");

    // An opportunity that changes account takes its activities along.
    let other = app
        .add_account(&sales, json!({"name": "广州市白云化工有限公司"}))
        .await;
    let moved = app
        .patch(&format!("/api/v1/opportunities/{}", id(&deal)))
        .auth(&sales.token)
        .if_match("\"1\"")
        .json(&json!({"account_id": other["id"]}))
        .send()
        .await;
    assert_eq!(moved.status, 200, "{moved:?}");
    let now_at_other = ids_of(
        &app,
        &sales,
        &format!("/api/v1/accounts/{}/activities", id(&other)),
    )
    .await;
    assert_eq!(now_at_other.len(), 2, "{now_at_other:?}");
    let task_now = app
        .get(&format!("/api/v1/activities/{}", task.str("/id")))
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(task_now.body["account_id"], id(&other));
    assert!(account(&app, &sales, &other).await.body["last_activity_at"].is_string());

    // History of an activity.
    let history = app
        .get(&format!("/api/v1/activities/{}/history", created[0]))
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(history.status, 200, "{history:?}");
    assert_eq!(history.data()[0]["action"], "create");
}

#[tokio::test]
async fn invalid_activities_are_422_naming_each_field() {
    let app = TestApp::spawn().await;
    let admin = app.signup("活动校验").await;
    let acc = app.add_account(&admin, json!({"name": "丰泽"})).await;

    let call_with_task_fields = log(
        &app,
        &admin,
        json!({"kind": "call", "subject": "回访", "entity": "account", "entity_id": id(&acc),
               "due_at": days_from_now(1), "status": "open", "reminder_at": days_from_now(1)}),
    )
    .await;
    assert!(
        call_with_task_fields.is_problem(422),
        "{call_with_task_fields:?}"
    );
    assert_eq!(
        error_fields(&call_with_task_fields),
        ["due_at", "reminder_at", "status"]
    );

    let task_without_due = log(
        &app,
        &admin,
        json!({"kind": "task", "subject": "", "entity": "account", "entity_id": id(&acc)}),
    )
    .await;
    assert!(task_without_due.is_problem(422));
    assert_eq!(error_fields(&task_without_due), ["due_at", "subject"]);

    let reminder_after_due = log(
        &app,
        &admin,
        json!({"kind": "task", "subject": "报价", "entity": "account", "entity_id": id(&acc),
               "due_at": days_from_now(1), "reminder_at": days_from_now(2)}),
    )
    .await;
    assert_eq!(error_fields(&reminder_after_due), ["reminder_at"]);

    let open_task_that_occurred = log(
        &app,
        &admin,
        json!({"kind": "task", "subject": "报价", "entity": "account", "entity_id": id(&acc),
               "due_at": days_from_now(1), "occurred_at": days_from_now(0)}),
    )
    .await;
    assert_eq!(error_fields(&open_task_that_occurred), ["occurred_at"]);

    let nowhere = log(
        &app,
        &admin,
        json!({"kind": "note", "subject": "备注", "entity": "contact", "entity_id": uuid::Uuid::now_v7()}),
    )
    .await;
    assert!(nowhere.is_problem(422));
    assert_eq!(error_fields(&nowhere), ["entity_id"]);

    let no_lead = log(
        &app,
        &admin,
        json!({"kind": "note", "subject": "备注", "entity": "lead", "entity_id": uuid::Uuid::now_v7()}),
    )
    .await;
    assert_eq!(error_fields(&no_lead), ["entity_id"]);
    let no_such_entity = log(
        &app,
        &admin,
        json!({"kind": "note", "subject": "备注", "entity": "campaign", "entity_id": uuid::Uuid::now_v7()}),
    )
    .await;
    assert!(
        no_such_entity.status == 400 || no_such_entity.status == 422,
        "{no_such_entity:?}"
    );

    let unknown_kind = log(
        &app,
        &admin,
        json!({"kind": "fax", "subject": "传真", "entity": "account", "entity_id": id(&acc)}),
    )
    .await;
    assert!(
        unknown_kind.status == 400 || unknown_kind.status == 422,
        "{unknown_kind:?}"
    );
    assert!(unknown_kind.body["type"].is_string(), "problem details");

    // A valid note, then a PATCH that would make it invalid.
    let note = log(
        &app,
        &admin,
        json!({"kind": "note", "subject": "备注", "entity": "account", "entity_id": id(&acc)}),
    )
    .await;
    assert_eq!(note.status, 201);
    let bad_patch = app
        .patch(&format!("/api/v1/activities/{}", note.str("/id")))
        .auth(&admin.token)
        .if_match(&note.etag())
        .json(&json!({"due_at": days_from_now(1)}))
        .send()
        .await;
    assert!(bad_patch.is_problem(422));
    assert_eq!(error_fields(&bad_patch), ["due_at"]);
}

#[tokio::test]
async fn my_tasks_are_open_due_first_with_overdue_flagged() {
    let app = TestApp::spawn().await;
    let admin = app.signup("任务测试").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let colleague = app.add_user(&admin, "sales", None).await;
    let acc = app.add_account(&sales, json!({"name": "丰泽"})).await;
    let theirs = app.add_account(&colleague, json!({"name": "白云"})).await;
    let task = |subject: &str, due: i64, acc: &Value| {
        json!({"kind": "task", "subject": subject, "entity": "account", "entity_id": acc["id"],
               "due_at": days_from_now(due)})
    };
    let later = log(&app, &sales, task("下周回访", 7, &acc)).await;
    let late = log(&app, &sales, task("上周该报价", -7, &acc)).await;
    let soon = log(&app, &sales, task("明天寄样品", 1, &acc)).await;
    let other = log(&app, &colleague, task("同事的任务", -1, &theirs)).await;
    let call = log(
        &app,
        &sales,
        json!({"kind": "call", "subject": "电话", "entity": "account", "entity_id": acc["id"]}),
    )
    .await;
    for r in [&later, &late, &soon, &other, &call] {
        assert_eq!(r.status, 201, "{r:?}");
    }

    let mine = app
        .get("/api/v1/tasks/mine")
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(mine.status, 200, "{mine:?}");
    let summary: Vec<(&str, bool)> = mine
        .data()
        .iter()
        .map(|t| {
            (
                t["subject"].as_str().unwrap_or_default(),
                t["overdue"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("上周该报价", true),
            ("明天寄样品", false),
            ("下周回访", false)
        ],
        "open tasks of the caller only, earliest due first"
    );
    let overdue = ids_of(&app, &sales, "/api/v1/tasks/mine?overdue=true").await;
    assert_eq!(overdue, [late.str("/id")]);
    let not_overdue = ids_of(&app, &sales, "/api/v1/tasks/mine?overdue=false").await;
    assert_eq!(not_overdue.len(), 2);
    let paged = app
        .get("/api/v1/tasks/mine?limit=2")
        .auth(&sales.token)
        .send()
        .await;
    let cursor = paged.body["next_cursor"].as_str().expect("a second page");
    let rest = ids_of(
        &app,
        &sales,
        &format!("/api/v1/tasks/mine?limit=2&cursor={cursor}"),
    )
    .await;
    assert_eq!(rest, [later.str("/id")]);
    let theirs_listed = ids_of(&app, &colleague, "/api/v1/tasks/mine").await;
    assert_eq!(theirs_listed, [other.str("/id")]);

    // Done: it happened now, it is no longer open, and it counts as contact with the account.
    let path = format!("/api/v1/activities/{}", late.str("/id"));
    let stale = app
        .patch(&path)
        .auth(&sales.token)
        .if_match("\"9\"")
        .json(&json!({"status": "done"}))
        .send()
        .await;
    assert!(stale.is_problem(412), "{stale:?}");
    let no_if_match = app
        .patch(&path)
        .auth(&sales.token)
        .json(&json!({"status": "done"}))
        .send()
        .await;
    assert!(no_if_match.is_problem(428), "{no_if_match:?}");
    let done = app
        .patch(&path)
        .auth(&sales.token)
        .if_match(&late.etag())
        .json(&json!({"status": "done"}))
        .send()
        .await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.body["status"], "done");
    assert_eq!(done.body["overdue"], false, "done is never overdue");
    assert_eq!(done.etag(), "\"2\"");
    let done_at = done.str("/occurred_at").to_string();
    let mine = ids_of(&app, &sales, "/api/v1/tasks/mine").await;
    assert_eq!(mine, [soon.str("/id"), later.str("/id")]);
    let acc_now = account(&app, &sales, &acc).await;
    assert!(
        acc_now.str("/last_activity_at") >= done_at.as_str(),
        "{acc_now:?} vs {done_at}"
    );

    // Reopened: not done after all.
    let reopened = app
        .patch(&path)
        .auth(&sales.token)
        .if_match(&done.etag())
        .json(&json!({"status": "open", "due_at": days_from_now(2)}))
        .send()
        .await;
    assert_eq!(reopened.status, 200, "{reopened:?}");
    assert_eq!(reopened.body["occurred_at"], Value::Null);
    assert_eq!(reopened.body["overdue"], false);
    let mine = ids_of(&app, &sales, "/api/v1/tasks/mine").await;
    assert_eq!(
        mine,
        [soon.str("/id"), late.str("/id"), later.str("/id")],
        "due again in two days"
    );
}

#[tokio::test]
async fn neglected_follows_activity_and_the_setting() {
    let app = TestApp::spawn().await;
    let admin = app.signup("联系频率").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let settings = app.get("/api/v1/settings").auth(&sales.token).send().await;
    assert_eq!(settings.status, 200, "{settings:?}");
    assert_eq!(settings.body["neglect_days"], 30, "the default");

    let a = app.add_account(&sales, json!({"name": "丰泽日用品"})).await;
    let b = app.add_account(&sales, json!({"name": "白云化工"})).await;
    let fresh = account(&app, &sales, &a).await;
    assert_eq!(fresh.body["neglected"], false, "just created");
    assert_eq!(fresh.body["last_activity_at"], Value::Null);
    let neglected = |app: &TestApp, value: bool| {
        let path = format!("/api/v1/accounts?neglected={value}&sort=name");
        let token = sales.token.clone();
        let req = app.get(&path).auth(&token);
        async move {
            let res = req.send().await;
            assert_eq!(res.status, 200, "{res:?}");
            res.data()
                .iter()
                .map(|v| v["name"].as_str().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert!(neglected(&app, true).await.is_empty());

    // Both were created 60 days ago; the setting is re-applied to every account.
    app.sql("UPDATE accounts SET created_at = created_at - interval '60 days'")
        .await;
    let set = |days: i64| {
        app.patch("/api/v1/settings")
            .auth(&admin.token)
            .json(&json!({"neglect_days": days}))
            .send()
    };
    let res = set(30).await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.body["neglect_days"], 30);
    assert_eq!(neglected(&app, true).await, ["丰泽日用品", "白云化工"]);
    assert_eq!(account(&app, &sales, &a).await.body["neglected"], true);

    // A call with a's contact today: a is looked after again, without a new version.
    let person = contact(&app, &sales, &a, "王芳").await;
    let call = log(
        &app,
        &sales,
        json!({"kind": "call", "subject": "回访", "entity": "contact", "entity_id": person["id"]}),
    )
    .await;
    assert_eq!(call.status, 201, "{call:?}");
    let a_now = account(&app, &sales, &a).await;
    assert_eq!(a_now.body["neglected"], false);
    assert_eq!(a_now.body["last_activity_at"], call.body["occurred_at"]);
    assert_eq!(
        a_now.body["version"], 1,
        "derived fields do not bump the version"
    );
    assert_eq!(neglected(&app, true).await, ["白云化工"]);
    assert_eq!(neglected(&app, false).await, ["丰泽日用品"]);

    // b: an open task is no contact; a note 45 days ago is, but too long ago for 30 days.
    let open_task = log(
        &app,
        &sales,
        json!({"kind": "task", "subject": "约拜访", "entity": "account", "entity_id": b["id"], "due_at": days_from_now(1)}),
    )
    .await;
    assert_eq!(open_task.status, 201);
    assert_eq!(account(&app, &sales, &b).await.body["neglected"], true);
    let old_note = log(
        &app,
        &sales,
        json!({"kind": "note", "subject": "旧备注", "entity": "account", "entity_id": b["id"], "occurred_at": days_from_now(-45)}),
    )
    .await;
    assert_eq!(old_note.status, 201);
    let b_now = account(&app, &sales, &b).await;
    assert_eq!(b_now.body["neglected"], true);
    assert_eq!(b_now.body["last_activity_at"], old_note.body["occurred_at"]);

    // A longer cadence clears b; a shorter one brings it back.
    assert_eq!(set(60).await.status, 200);
    assert!(neglected(&app, true).await.is_empty());
    assert_eq!(set(40).await.status, 200);
    assert_eq!(neglected(&app, true).await, ["白云化工"]);

    // Deleting a's only activity makes it neglected again; restoring it undoes that.
    let del = app
        .delete(&format!("/api/v1/activities/{}", call.str("/id")))
        .auth(&sales.token)
        .if_match(&call.etag())
        .send()
        .await;
    assert_eq!(del.status, 204, "{del:?}");
    assert_eq!(account(&app, &sales, &a).await.body["neglected"], true);
    assert_eq!(
        account(&app, &sales, &a).await.body["last_activity_at"],
        Value::Null
    );
    let restored = app
        .post(&format!("/api/v1/activities/{}/restore", call.str("/id")))
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(restored.status, 200, "{restored:?}");
    assert_eq!(account(&app, &sales, &a).await.body["neglected"], false);

    // Doing the task on b counts as contact.
    let done = app
        .patch(&format!("/api/v1/activities/{}", open_task.str("/id")))
        .auth(&sales.token)
        .if_match(&open_task.etag())
        .json(&json!({"status": "done"}))
        .send()
        .await;
    assert_eq!(done.status, 200, "{done:?}");
    assert!(neglected(&app, true).await.is_empty());

    // Only an admin changes the setting, within range.
    let by_sales = app
        .patch("/api/v1/settings")
        .auth(&sales.token)
        .json(&json!({"neglect_days": 5}))
        .send()
        .await;
    assert!(by_sales.is_problem(403), "{by_sales:?}");
    let out_of_range = set(-1).await;
    assert!(out_of_range.is_problem(422), "{out_of_range:?}");
    assert_eq!(error_fields(&out_of_range), ["neglect_days"]);
    assert_eq!(
        app.get("/api/v1/settings")
            .auth(&sales.token)
            .send()
            .await
            .body["neglect_days"],
        40
    );
}

#[tokio::test]
async fn a_salesperson_never_sees_anothers_activities() {
    let app = TestApp::spawn().await;
    let admin = app.signup("活动可见性").await;
    let manager = app.add_user(&admin, "manager", None).await;
    let alice = app.add_user(&admin, "sales", None).await;
    let bob = app.add_user(&admin, "sales", None).await;
    let acc = app.add_account(&alice, json!({"name": "丰泽日用品"})).await;
    let bobs = app.add_account(&bob, json!({"name": "白云化工"})).await;

    let call = log(
        &app,
        &alice,
        json!({"kind": "call", "subject": "机密回访", "entity": "account", "entity_id": acc["id"]}),
    )
    .await;
    assert_eq!(call.status, 201);
    let task = log(
        &app,
        &alice,
        json!({"kind": "task", "subject": "机密任务", "entity": "account", "entity_id": acc["id"], "due_at": days_from_now(-1)}),
    )
    .await;
    assert_eq!(task.status, 201);
    let bobs_note = log(
        &app,
        &bob,
        json!({"kind": "note", "subject": "鲍勃备注", "entity": "account", "entity_id": bobs["id"]}),
    )
    .await;
    assert_eq!(bobs_note.status, 201);

    // Bob cannot attach to Alice's account, nor read, change or delete her activities.
    let attach = log(
        &app,
        &bob,
        json!({"kind": "note", "subject": "x", "entity": "account", "entity_id": acc["id"]}),
    )
    .await;
    assert!(attach.is_problem(422));
    assert_eq!(error_fields(&attach), ["entity_id"]);
    let path = format!("/api/v1/activities/{}", call.str("/id"));
    assert!(app.get(&path).auth(&bob.token).send().await.is_problem(404));
    assert!(app
        .patch(&path)
        .auth(&bob.token)
        .if_match("*")
        .json(&json!({"subject": "改"}))
        .send()
        .await
        .is_problem(404));
    assert!(app
        .delete(&path)
        .auth(&bob.token)
        .if_match("*")
        .send()
        .await
        .is_problem(404));
    assert!(app
        .get(&format!("{path}/history"))
        .auth(&bob.token)
        .send()
        .await
        .is_problem(404));
    assert!(app
        .get(&format!("/api/v1/accounts/{}/activities", id(&acc)))
        .auth(&bob.token)
        .send()
        .await
        .is_problem(404));

    // Lists and quick search show each their own; the manager sees the department's.
    assert_eq!(
        ids_of(&app, &bob, "/api/v1/activities").await,
        [bobs_note.str("/id")]
    );
    assert!(ids_of(
        &app,
        &bob,
        &format!("/api/v1/activities?q={}", urlencode("机密"))
    )
    .await
    .is_empty());
    assert!(ids_of(&app, &bob, "/api/v1/tasks/mine").await.is_empty());
    assert_eq!(ids_of(&app, &alice, "/api/v1/activities").await.len(), 2);
    assert_eq!(ids_of(&app, &manager, "/api/v1/activities").await.len(), 3);
    assert!(
        ids_of(&app, &manager, "/api/v1/tasks/mine")
            .await
            .is_empty(),
        "only the caller's own tasks"
    );

    // Handing the account and the call to Bob moves them into his view.
    let reassigned = app
        .patch(&path)
        .auth(&admin.token)
        .if_match(&call.etag())
        .json(&json!({"owner_id": bob.user_id}))
        .send()
        .await;
    assert_eq!(reassigned.status, 200, "{reassigned:?}");
    assert_eq!(ids_of(&app, &bob, "/api/v1/activities").await.len(), 2);
    assert!(app
        .get(&path)
        .auth(&alice.token)
        .send()
        .await
        .is_problem(404));
}

#[tokio::test]
async fn merges_carry_activities_to_the_kept_record() {
    let app = TestApp::spawn().await;
    let admin = app.signup("合并活动").await;
    let kept = app.add_account(&admin, json!({"name": "丰泽日用品"})).await;
    let dup = app
        .add_account(&admin, json!({"name": "丰泽日用品有限公司"}))
        .await;
    let on_dup = log(
        &app,
        &admin,
        json!({"kind": "visit", "subject": "拜访重复客户", "entity": "account", "entity_id": dup["id"],
               "occurred_at": days_from_now(-2)}),
    )
    .await;
    let dup_contact = contact(&app, &admin, &dup, "王芳").await;
    let via_contact = log(
        &app,
        &admin,
        json!({"kind": "call", "subject": "联系人电话", "entity": "contact", "entity_id": dup_contact["id"],
               "occurred_at": days_from_now(-1)}),
    )
    .await;
    for r in [&on_dup, &via_contact] {
        assert_eq!(r.status, 201, "{r:?}");
    }
    assert_eq!(
        account(&app, &admin, &kept).await.body["last_activity_at"],
        Value::Null
    );

    let merged = app
        .post("/api/v1/accounts/merge")
        .auth(&admin.token)
        .json(&json!({"into": kept["id"], "from": [dup["id"]]}))
        .send()
        .await;
    assert_eq!(merged.status, 200, "{merged:?}");
    assert_eq!(
        merged.body["moved"]["activities"], 1,
        "the one attached to the account"
    );
    let moved = app
        .get(&format!("/api/v1/activities/{}", on_dup.str("/id")))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(moved.body["entity_id"], id(&kept));
    assert_eq!(moved.body["account_id"], id(&kept));
    let at_kept = ids_of(
        &app,
        &admin,
        &format!("/api/v1/accounts/{}/activities", id(&kept)),
    )
    .await;
    assert_eq!(
        at_kept,
        [via_contact.str("/id"), on_dup.str("/id")],
        "newest first"
    );
    let kept_now = account(&app, &admin, &kept).await;
    assert_eq!(
        kept_now.body["last_activity_at"],
        via_contact.body["occurred_at"]
    );

    // Contacts: the merged one's activities move to the kept contact.
    let other = contact(&app, &admin, &kept, "王芳（重复）").await;
    let on_other = log(
        &app,
        &admin,
        json!({"kind": "email", "subject": "邮件", "entity": "contact", "entity_id": other["id"]}),
    )
    .await;
    let merged = app
        .post("/api/v1/contacts/merge")
        .auth(&admin.token)
        .json(&json!({"into": dup_contact["id"], "from": [other["id"]]}))
        .send()
        .await;
    assert_eq!(merged.status, 200, "{merged:?}");
    assert_eq!(merged.body["moved"]["activities"], 1);
    let on_kept_contact = ids_of(
        &app,
        &admin,
        &format!("/api/v1/contacts/{}/activities", id(&dup_contact)),
    )
    .await;
    assert_eq!(
        on_kept_contact,
        [on_other.str("/id"), via_contact.str("/id")]
    );
    assert_eq!(
        account(&app, &admin, &kept).await.body["last_activity_at"],
        on_other.body["occurred_at"]
    );
}
