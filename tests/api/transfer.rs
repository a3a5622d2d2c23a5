use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};

async fn transfer(app: &TestApp, admin: &Session, from: &Session, query: &str, body: Value) -> Res {
    app.post(&format!("/api/v1/users/{}/transfer{query}", from.user_id))
        .auth(&admin.token)
        .json(&body)
        .send()
        .await
}

#[tokio::test]
async fn a_transfer_moves_exactly_what_its_preview_counted() {
    let app = TestApp::spawn().await;
    let admin = app.signup("客户移交").await;
    let alice = app.add_user(&admin, "sales", None).await;
    let bob = app.add_user(&admin, "sales", None).await;
    let mut accounts = Vec::new();
    for name in ["离职甲公司", "离职乙公司", "离职丙公司"] {
        accounts.push(app.add_account(&alice, json!({"name": name})).await);
    }
    app.add_account(&bob, json!({"name": "鲍勃自己的客户"}))
        .await;
    let gone = app
        .delete(&format!(
            "/api/v1/accounts/{}",
            accounts[2]["id"].as_str().expect("id")
        ))
        .auth(&alice.token)
        .if_match("*")
        .send()
        .await;
    assert_eq!(gone.status, 204, "one in the recycle bin moves too");
    for (i, phone) in ["13800000001", "13800000002"].iter().enumerate() {
        let c = app
            .post("/api/v1/contacts")
            .auth(&alice.token)
            .json(&json!({"name": format!("联系人{i}"), "phones": [phone], "account_id": accounts[0]["id"]}))
            .send()
            .await;
        assert_eq!(c.status, 201, "{c:?}");
    }
    for name in ["线索甲", "线索乙"] {
        let l = app
            .post("/api/v1/leads")
            .auth(&alice.token)
            .json(&json!({"name": name}))
            .send()
            .await;
        assert_eq!(l.status, 201, "{l:?}");
    }
    let deal = app
        .post("/api/v1/opportunities")
        .auth(&alice.token)
        .json(&json!({"name": "年度合同", "account_id": accounts[0]["id"]}))
        .send()
        .await;
    assert_eq!(deal.status, 201, "{deal:?}");
    let task = app
        .post("/api/v1/activities")
        .auth(&alice.token)
        .json(&json!({"kind": "task", "subject": "续约", "entity": "opportunity", "entity_id": deal.body["id"],
                      "due_at": "2027-01-15T02:00:00Z"}))
        .send()
        .await;
    assert_eq!(task.status, 201, "{task:?}");

    let body = json!({"to_user_id": bob.user_id});
    assert!(transfer(&app, &alice, &alice, "", body.clone())
        .await
        .is_problem(403));
    let preview = transfer(&app, &admin, &alice, "?dry_run=true", body.clone()).await;
    assert_eq!(preview.status, 200, "{preview:?}");
    assert_eq!(preview.body["dry_run"], true);
    let expected =
        json!({"accounts": 3, "contacts": 2, "leads": 2, "opportunities": 1, "activities": 1});
    assert_eq!(preview.body["counts"], expected);
    assert_eq!(
        app.total(&alice, "accounts").await,
        2,
        "a preview changes nothing"
    );
    let history = |who: Session| {
        let app = &app;
        let admin = &admin;
        async move {
            app.get(&format!("/api/v1/users/{}/history", who.user_id))
                .auth(&admin.token)
                .send()
                .await
        }
    };
    // The user's history holds their creation (audited since); the dry run added no transfer.
    let transfers = |events: &testkit::Res| {
        events
            .data()
            .iter()
            .filter(|e| e["action"] == "transfer")
            .count()
    };
    assert_eq!(transfers(&history(alice.clone()).await), 0);

    let done = transfer(&app, &admin, &alice, "", body.clone()).await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.body["dry_run"], false);
    assert_eq!(
        done.body["counts"], preview.body["counts"],
        "exactly the preview"
    );
    for collection in [
        "accounts",
        "contacts",
        "leads",
        "opportunities",
        "activities",
    ] {
        assert_eq!(app.total(&alice, collection).await, 0, "{collection}");
    }
    assert_eq!(app.total(&bob, "accounts").await, 3);
    assert_eq!(app.total(&bob, "contacts").await, 2);
    let bobs_tasks = app.get("/api/v1/tasks/mine").auth(&bob.token).send().await;
    assert_eq!(bobs_tasks.data().len(), 1, "alice's open task is bob's now");
    let restored = app
        .post(&format!(
            "/api/v1/accounts/{}/restore",
            accounts[2]["id"].as_str().expect("id")
        ))
        .auth(&bob.token)
        .send()
        .await;
    assert_eq!(
        restored.status, 200,
        "bob now owns the deleted one: {restored:?}"
    );
    let stale = app
        .patch(&format!(
            "/api/v1/accounts/{}",
            accounts[0]["id"].as_str().expect("id")
        ))
        .auth(&admin.token)
        .if_match("\"1\"")
        .json(&json!({"phone": "0755-8888 6666"}))
        .send()
        .await;
    assert!(stale.is_problem(412), "moved records have a new version");
    let events = history(alice.clone()).await;
    assert_eq!(transfers(&events), 1, "one event: {events:?}");
    assert_eq!(events.data()[0]["action"], "transfer");
    let changes = events.data()[0]["changes"]
        .as_array()
        .expect("changes")
        .clone();
    assert!(changes
        .iter()
        .any(|c| c["field"] == "owner_id" && c["new"] == bob.user_id.to_string()));
    assert!(changes
        .iter()
        .any(|c| c["field"] == "accounts" && c["new"] == 3));

    let again = transfer(&app, &admin, &alice, "", body).await;
    assert_eq!(
        again.body["counts"],
        json!({"accounts": 0, "contacts": 0, "leads": 0, "opportunities": 0, "activities": 0})
    );
}

#[tokio::test]
async fn a_transfer_can_move_chosen_kinds_and_refuses_bad_owners() {
    let app = TestApp::spawn().await;
    let admin = app.signup("部分移交").await;
    let alice = app.add_user(&admin, "sales", None).await;
    let bob = app.add_user(&admin, "sales", None).await;
    let account = app.add_account(&alice, json!({"name": "保留的客户"})).await;
    let lead = app
        .post("/api/v1/leads")
        .auth(&alice.token)
        .json(&json!({"name": "要移交的线索"}))
        .send()
        .await;
    assert_eq!(lead.status, 201);
    let only_leads = transfer(
        &app,
        &admin,
        &alice,
        "",
        json!({"to_user_id": bob.user_id, "kinds": ["leads"]}),
    )
    .await;
    assert_eq!(only_leads.status, 200, "{only_leads:?}");
    assert_eq!(
        only_leads.body["counts"],
        json!({"accounts": 0, "contacts": 0, "leads": 1, "opportunities": 0, "activities": 0})
    );
    let still = app
        .get(&format!(
            "/api/v1/accounts/{}",
            account["id"].as_str().expect("id")
        ))
        .auth(&alice.token)
        .send()
        .await;
    assert_eq!(still.status, 200, "accounts stay with alice");

    let to_self = transfer(
        &app,
        &admin,
        &alice,
        "",
        json!({"to_user_id": alice.user_id}),
    )
    .await;
    assert!(to_self.is_problem(422));
    assert_eq!(to_self.body["errors"][0]["field"], "to_user_id");
    let outsider = app.signup("别的公司").await;
    let to_outsider = transfer(
        &app,
        &admin,
        &alice,
        "",
        json!({"to_user_id": outsider.user_id}),
    )
    .await;
    assert!(to_outsider.is_problem(422), "{to_outsider:?}");
    let from_outsider = transfer(
        &app,
        &admin,
        &outsider,
        "",
        json!({"to_user_id": bob.user_id}),
    )
    .await;
    assert!(from_outsider.is_problem(404));
    let unknown_kind = transfer(
        &app,
        &admin,
        &alice,
        "",
        json!({"to_user_id": bob.user_id, "kinds": ["invoices"]}),
    )
    .await;
    assert!(
        unknown_kind.is_problem(422) || unknown_kind.is_problem(400),
        "{unknown_kind:?}"
    );
    let bad_flag = transfer(
        &app,
        &admin,
        &alice,
        "?dry_run=maybe",
        json!({"to_user_id": bob.user_id}),
    )
    .await;
    assert!(bad_flag.is_problem(400));
}
