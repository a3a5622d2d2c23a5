//! Neglected accounts: no activity within the organization's `neglect_days`.

use super::*;

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
