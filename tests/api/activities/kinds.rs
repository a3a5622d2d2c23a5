//! Every kind of activity on every record it may belong to, and the rules each kind is checked by.

use super::*;

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
