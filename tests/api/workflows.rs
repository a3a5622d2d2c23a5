//! Workflow rules: a rule runs after the change, from the outbox (the test runs the outbox worker
//! itself), doing exactly what its dry run said; a rule's own change does not run it again and
//! chains stop at depth 5; a rule turned off does nothing; round-robin assignment takes turns
//! also when two workers run at once; rules and their runs stay inside the organization.

use crate::webhooks::{quiet_app, sender};
use api::jobs::Clock;
use chrono::Utc;
use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};

async fn add_rule(app: &TestApp, admin: &Session, body: Value) -> Value {
    let res = app
        .post("/api/v1/workflow-rules")
        .auth(&admin.token)
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    res.body
}

async fn runs_on(app: &TestApp, who: &Session, entity: &str, id: &str) -> Res {
    app.get(&format!(
        "/api/v1/workflow-runs?entity={entity}&entity_id={id}"
    ))
    .auth(&who.token)
    .send()
    .await
}

async fn patch(app: &TestApp, who: &Session, path: &str, body: Value) -> Res {
    let res = app
        .patch(path)
        .auth(&who.token)
        .if_match("*")
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res
}

#[tokio::test]
async fn a_rule_runs_after_the_change_and_does_what_its_dry_run_said() {
    let app = quiet_app().await;
    let clock = Clock::fixed(Utc::now());
    let worker = sender(&app, &clock);
    let admin = app.signup("工作流").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let manager = app.add_user(&admin, "manager", None).await;
    let rule = add_rule(
        &app,
        &admin,
        json!({
            "entity": "account", "name": "升级为重点客户", "trigger": "saved",
            "fields": ["class"],
            "conditions": [{"field": "industry", "value": "manufacturing"}],
            "changed": {"field": "class", "to": "key"},
            "actions": [
                {"type": "set_field", "field": "address", "value": "重点客户：专人对接"},
                {"type": "create_task", "subject": "重点客户首次拜访", "due_in_days": 3,
                 "to": {"type": "owner"}},
                {"type": "notify", "to": {"type": "users", "user_ids": [manager.user_id]},
                 "message": "客户升级为重点客户"},
            ],
        }),
    )
    .await;
    let rule_id = rule["id"].as_str().expect("id");
    let account = app
        .add_account(
            &rep,
            json!({"name": "东莞长安五金制品有限公司", "industry": "manufacturing"}),
        )
        .await;
    let id = account["id"].as_str().expect("id");
    let path = format!("/api/v1/accounts/{id}");
    worker.run_due().await.expect("outbox");
    // Created as a potential customer: queued (saved), and skipped (the change is not to key).
    let runs = runs_on(&app, &rep, "account", id).await;
    assert_eq!(runs.data().len(), 1, "{runs:?}");
    assert_eq!(runs.data()[0]["state"], "skipped");
    assert!(runs.data()[0]["error"]
        .as_str()
        .unwrap_or("")
        .contains("class"));

    // The dry run of the coming change, against the record as it is.
    let dry = app
        .post(&format!("/api/v1/workflow-rules/{rule_id}/dry-run"))
        .auth(&admin.token)
        .json(&json!({"record_id": id,
                      "changes": [{"field": "class", "old": "potential", "new": "key"}]}))
        .send()
        .await;
    assert_eq!(dry.status, 200, "{dry:?}");
    assert_eq!(dry.body["matched"], true, "{dry:?}");
    let planned = dry.body["effects"].as_array().expect("effects").clone();
    assert_eq!(planned.len(), 3, "{planned:?}");
    assert_eq!(
        planned[0],
        json!({"type": "set_field", "field": "address", "from": null, "to": "重点客户：专人对接"})
    );
    assert_eq!(account["version"], 1, "a dry run writes nothing");
    assert_eq!(
        app.get(&path).auth(&rep.token).send().await.body["version"],
        1
    );

    patch(&app, &rep, &path, json!({"class": "key"})).await;
    worker.run_due().await.expect("outbox");
    let after = app.get(&path).auth(&rep.token).send().await;
    assert_eq!(after.body["address"], "重点客户：专人对接", "{after:?}");
    let runs = runs_on(&app, &rep, "account", id).await;
    let done = &runs.data()[0];
    assert_eq!(done["state"], "done", "{runs:?}");
    assert_eq!(done["rule_name"], "升级为重点客户");
    let made = done["effects"].as_array().expect("effects");
    // The same effects as the dry run (the task's due time counts from each one's moment).
    assert_eq!(made[0], planned[0]);
    assert_eq!(made[2], planned[2]);
    assert_eq!(made[1]["subject"], planned[1]["subject"]);
    assert_eq!(made[1]["owner_id"], json!(rep.user_id));
    let tasks = app
        .get(&format!("/api/v1/activities?entity_id={id}&kind=task"))
        .auth(&rep.token)
        .send()
        .await;
    assert_eq!(tasks.data().len(), 1, "{tasks:?}");
    assert_eq!(tasks.data()[0]["subject"], "重点客户首次拜访");
    let notices = app
        .get("/api/v1/notifications?kind=workflow_notice")
        .auth(&manager.token)
        .send()
        .await;
    assert_eq!(notices.data().len(), 1, "{notices:?}");
    assert!(notices.data()[0]["title"]["zh"]
        .as_str()
        .expect("zh")
        .contains("客户升级为重点客户"));
    // The rule's own change (the address) queued nothing more.
    worker.run_due().await.expect("outbox");
    assert_eq!(runs_on(&app, &rep, "account", id).await.data().len(), 2);

    // Turned off, it does nothing.
    patch(
        &app,
        &admin,
        &format!("/api/v1/workflow-rules/{rule_id}"),
        json!({"enabled": false}),
    )
    .await;
    patch(&app, &rep, &path, json!({"class": "target"})).await;
    patch(&app, &rep, &path, json!({"class": "key"})).await;
    worker.run_due().await.expect("outbox");
    assert_eq!(runs_on(&app, &rep, "account", id).await.data().len(), 2);
    assert_eq!(
        app.get(&format!("/api/v1/activities?entity_id={id}&kind=task"))
            .auth(&rep.token)
            .send()
            .await
            .data()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_rule_does_not_rerun_on_its_own_change_and_chains_stop_at_depth_five() {
    let app = quiet_app().await;
    let clock = Clock::fixed(Utc::now());
    let worker = sender(&app, &clock);
    let admin = app.signup("循环").await;
    // Its own change would match it again (any update): it runs once per person's change.
    add_rule(
        &app,
        &admin,
        json!({"entity": "contact", "name": "自我触发", "trigger": "updated",
               "actions": [{"type": "set_field", "field": "title", "value": "已处理"}]}),
    )
    .await;
    // Two pairs that keep changing each other's field: a chain without end but for the cap.
    for (name, on, set, value) in [
        ("甲", "wechat", "birthday", "2000-01-01"),
        ("乙", "wechat", "birthday", "2000-02-02"),
        ("丙", "birthday", "wechat", "wx-1"),
        ("丁", "birthday", "wechat", "wx-2"),
    ] {
        add_rule(
            &app,
            &admin,
            json!({"entity": "contact", "name": name, "trigger": "updated", "fields": [on],
                   "actions": [{"type": "set_field", "field": set, "value": value}]}),
        )
        .await;
    }
    let contact = app
        .post("/api/v1/contacts")
        .auth(&admin.token)
        .json(&json!({"name": "王小明"}))
        .send()
        .await;
    assert_eq!(contact.status, 201, "{contact:?}");
    let id = contact.str("/id").to_string();
    patch(
        &app,
        &admin,
        &format!("/api/v1/contacts/{id}"),
        json!({"wechat": "wx-0"}),
    )
    .await;
    for _ in 0..10 {
        worker.run_due().await.expect("outbox");
    }
    let runs = app
        .get(&format!(
            "/api/v1/workflow-runs?entity=contact&entity_id={id}&limit=200"
        ))
        .auth(&admin.token)
        .send()
        .await;
    let runs = runs.data();
    let own: Vec<&Value> = runs
        .iter()
        .filter(|r| r["rule_name"] == "自我触发")
        .collect();
    let depths: Vec<i64> = runs
        .iter()
        .map(|r| r["depth"].as_i64().unwrap_or(0))
        .collect();
    assert!(depths.iter().all(|d| (1..=5).contains(d)), "{depths:?}");
    assert!(depths.contains(&5), "the chain ran to the cap: {depths:?}");
    assert!(runs.iter().all(|r| r["state"] != "pending"), "{runs:?}");
    // Each person's or other rule's change ran it at most once; its own changes never did.
    let person_runs = own.iter().filter(|r| r["depth"] == 1).count();
    assert_eq!(person_runs, 1, "{own:?}");
}

#[tokio::test]
async fn round_robin_takes_turns_also_with_two_workers() {
    let app = quiet_app().await;
    let clock = Clock::fixed(Utc::now());
    let (a, b) = (sender(&app, &clock), sender(&app, &clock));
    let admin = app.signup("轮流分配").await;
    let mut reps = Vec::new();
    for _ in 0..3 {
        reps.push(app.add_user(&admin, "sales", None).await);
    }
    let ids: Vec<_> = reps.iter().map(|r| r.user_id).collect();
    add_rule(
        &app,
        &admin,
        json!({"entity": "lead", "name": "线索轮流分配", "trigger": "created",
               "actions": [{"type": "assign", "user_ids": ids}]}),
    )
    .await;
    let creates = (0..9).map(|i| {
        app.post("/api/v1/leads")
            .auth(&admin.token)
            .json(&json!({"name": format!("线索{i}"), "company": format!("轮流{i}号公司")}))
            .send()
    });
    for res in futures::future::join_all(creates).await {
        assert_eq!(res.status, 201, "{res:?}");
    }
    let (ra, rb) = futures::future::join(a.run_due(), b.run_due()).await;
    ra.expect("a");
    rb.expect("b");
    for rep in &reps {
        assert_eq!(app.total(rep, "leads").await, 3, "each in turn");
    }
}

#[tokio::test]
async fn rules_are_checked_and_stay_inside_their_organization() {
    let app = TestApp::spawn().await;
    let admin = app.signup("规则校验").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let post = |who: &Session, body: Value| {
        app.post("/api/v1/workflow-rules")
            .auth(&who.token)
            .json(&body)
            .send()
    };
    let ok = json!({"entity": "opportunity", "name": "大单", "trigger": "created",
                    "conditions": [{"field": "amount", "op": "gte", "value": "100000"}],
                    "actions": [{"type": "notify", "to": {"type": "owner"}, "message": "大单"}]});
    assert_eq!(post(&rep, ok.clone()).await.status, 403);
    for (field, bad) in [
        ("entity", json!({"entity": "activity"})),
        (
            "conditions",
            json!({"conditions": [{"field": "nope", "value": "1"}]}),
        ),
        ("actions", json!({"actions": []})),
        (
            "actions",
            json!({"actions": [{"type": "assign", "user_ids": [uuid::Uuid::now_v7()]}]}),
        ),
    ] {
        let mut body = ok.clone();
        for (k, v) in bad.as_object().expect("object") {
            body[k] = v.clone();
        }
        let res = post(&admin, body).await;
        assert!(res.is_problem(422), "{field}: {res:?}");
        assert_eq!(res.body["errors"][0]["field"], field, "{res:?}");
    }
    let rule = post(&admin, ok.clone()).await;
    assert_eq!(rule.status, 201, "{rule:?}");
    let again = post(&admin, ok).await;
    assert!(again.is_problem(409), "{again:?}");
    let path = format!("/api/v1/workflow-rules/{}", rule.str("/id"));
    let stale = app
        .patch(&path)
        .auth(&admin.token)
        .if_match("\"7\"")
        .json(&json!({"enabled": false}))
        .send()
        .await;
    assert_eq!(stale.status, 412, "{stale:?}");
    // Simultaneous edits at one version let one through.
    let edits = (0..6).map(|i| {
        app.patch(&path)
            .auth(&admin.token)
            .if_match("\"1\"")
            .json(&json!({"description": format!("第{i}版")}))
            .send()
    });
    let results = futures::future::join_all(edits).await;
    assert_eq!(
        results.iter().filter(|r| r.status == 200).count(),
        1,
        "{results:?}"
    );
    assert!(results
        .iter()
        .filter(|r| r.status != 200)
        .all(|r| r.status == 412));
    // Another organization sees neither the rule nor the runs on this one's records.
    let other = app.signup("别家规则").await;
    assert_eq!(app.get(&path).auth(&other.token).send().await.status, 404);
    let account = app
        .add_account(&rep, json!({"name": "看不见的客户有限公司"}))
        .await;
    let id = account["id"].as_str().expect("id");
    assert_eq!(runs_on(&app, &other, "account", id).await.status, 404);
    assert_eq!(runs_on(&app, &rep, "account", id).await.status, 200);
    let bad = runs_on(&app, &rep, "nothing", id).await;
    assert!(bad.is_problem(422), "{bad:?}");
}

#[tokio::test]
async fn a_date_rule_runs_once_on_each_record_when_its_day_comes() {
    let app = quiet_app().await;
    let start = Utc::now();
    let clock = Clock::fixed(start);
    let worker = sender(&app, &clock);
    let pool = persistence::db::pool(&app.db.url, 2).expect("pool");
    api::maintenance::schedule(&pool).await.expect("schedules");
    let runner = api::jobs::Runner::new(
        pool,
        "node-test".into(),
        clock.clone(),
        vec![(api::rule_dates::KIND, api::rule_dates::run)],
    );
    let admin = app.signup("日期规则").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let bad = app
        .post("/api/v1/workflow-rules")
        .auth(&admin.token)
        .json(
            &json!({"entity": "opportunity", "name": "坏规则", "trigger": "date",
                      "date_field": "name",
                      "actions": [{"type": "notify", "to": {"type": "owner"}, "message": "x"}]}),
        )
        .send()
        .await;
    assert!(bad.is_problem(422), "{bad:?}");
    assert_eq!(bad.body["errors"][0]["field"], "date_field");
    add_rule(
        &app,
        &admin,
        json!({"entity": "opportunity", "name": "预计成交前三天提醒", "trigger": "date",
               "date_field": "expected_close", "offset_days": -3,
               "actions": [{"type": "notify", "to": {"type": "owner"}, "message": "三天后预计成交，请跟进"}]}),
    )
    .await;
    let account = app
        .add_account(&rep, json!({"name": "日期规则客户有限公司"}))
        .await;
    let close = (start + chrono::Duration::days(10)).date_naive();
    let opp = app
        .post("/api/v1/opportunities")
        .auth(&rep.token)
        .json(&json!({"name": "十天后成交", "account_id": account["id"], "expected_close": close}))
        .send()
        .await;
    assert_eq!(opp.status, 201, "{opp:?}");
    let notices = |who: &Session| {
        let token = who.token.clone();
        let app = &app;
        async move {
            app.get("/api/v1/notifications?kind=workflow_notice")
                .auth(&token)
                .send()
                .await
                .data()
                .len()
        }
    };
    let run_at = |at: chrono::DateTime<Utc>| {
        clock.set(at);
        async {
            runner.run_due().await.expect("jobs");
            worker.run_due().await.expect("outbox");
        }
    };
    // The moment: midnight (Beijing time) of the expected close, less three days.
    let moment = close.and_hms_opt(0, 0, 0).expect("midnight").and_utc()
        - chrono::Duration::hours(8)
        - chrono::Duration::days(3);
    run_at(moment - chrono::Duration::hours(1)).await;
    assert_eq!(notices(&rep).await, 0, "not yet");
    run_at(moment + chrono::Duration::minutes(10)).await;
    assert_eq!(notices(&rep).await, 1, "three days before");
    run_at(moment + chrono::Duration::days(1)).await;
    assert_eq!(notices(&rep).await, 1, "once");
}

#[tokio::test]
async fn a_rule_calls_a_webhook_with_the_record_signed_like_every_delivery() {
    use crate::webhooks::{add_endpoint, signed_by, Receiver};
    let app = quiet_app().await;
    let clock = Clock::fixed(Utc::now());
    let worker = sender(&app, &clock);
    let admin = app.signup("规则回调").await;
    let receiver = Receiver::always(200);
    let (endpoint, secret) = add_endpoint(&app, &admin, &receiver.url, &["lead.deleted"]).await;
    let bad = app
        .post("/api/v1/workflow-rules")
        .auth(&admin.token)
        .json(
            &json!({"entity": "lead", "name": "坏回调", "trigger": "created",
                      "actions": [{"type": "call_webhook", "endpoint_id": uuid::Uuid::now_v7()}]}),
        )
        .send()
        .await;
    assert!(bad.is_problem(422), "{bad:?}");
    add_rule(
        &app,
        &admin,
        json!({"entity": "lead", "name": "新线索推送ERP", "trigger": "created",
               "actions": [{"type": "call_webhook", "endpoint_id": endpoint}]}),
    )
    .await;
    let lead = app
        .post("/api/v1/leads")
        .auth(&admin.token)
        .json(&json!({"name": "周杰", "company": "厦门思明软件有限公司"}))
        .send()
        .await;
    assert_eq!(lead.status, 201, "{lead:?}");
    worker.run_due().await.expect("rules");
    worker.run_due().await.expect("deliveries");
    let got = receiver.messages();
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(signed_by(&got[0], &secret));
    assert_eq!(got[0].body["type"], "workflow.rule");
    assert_eq!(got[0].body["data"]["rule"]["name"], "新线索推送ERP");
    assert_eq!(
        got[0].body["data"]["object"]["company"],
        "厦门思明软件有限公司"
    );
    assert_eq!(got[0].body["data"]["id"], lead.body["id"]);
}
