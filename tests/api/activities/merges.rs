//! Whose activities a salesperson sees, and where a merge takes them.

use super::*;

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
