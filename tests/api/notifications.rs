//! Notifications: a record given to someone else and a transfer tell the new owner once; task
//! reminders, overdue tasks and neglected accounts come from the scheduled jobs at the times the
//! test sets on the runner's clock, once each; preferences are honoured; nobody reads another's
//! inbox; a webhook endpoint turned off tells whoever added it.

use api::jobs::{Clock, Runner};
use chrono::{DateTime, Duration, Utc};
use persistence::db;
use serde_json::{json, Value};
use testkit::{Session, TestApp};

async fn inbox(app: &TestApp, who: &Session, query: &str) -> Vec<Value> {
    let res = app
        .get(&format!("/api/v1/notifications?{query}"))
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res.data().clone()
}

async fn unread(app: &TestApp, who: &Session) -> i64 {
    let res = app
        .get("/api/v1/notifications/unread-count")
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res.body["unread"].as_i64().expect("count")
}

/// A runner of the scheduled notices, on the platform's schedules, at times the test chooses.
async fn notices(app: &TestApp, clock: &Clock) -> Runner {
    let pool = db::pool(&app.db.url, 2).expect("pool");
    api::maintenance::schedule(&pool).await.expect("schedules");
    Runner::new(
        pool,
        "node-test".into(),
        clock.clone(),
        vec![
            (api::reminders::TASKS, api::reminders::tasks),
            (api::reminders::NEGLECTED, api::reminders::neglected),
        ],
    )
}

async fn run_at(r: &Runner, clock: &Clock, at: DateTime<Utc>) {
    clock.set(at);
    r.run_due().await.expect("run");
}

#[tokio::test]
async fn a_new_owner_hears_of_a_record_or_a_transfer_once_and_only_they_read_it() {
    let app = TestApp::spawn().await;
    let admin = app.signup("通知").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let other = app.add_user(&admin, "sales", None).await;
    let account = app
        .add_account(&admin, json!({"name": "杭州西溪茶叶有限公司"}))
        .await;
    let path = format!("/api/v1/accounts/{}", account["id"].as_str().expect("id"));
    let res = app
        .patch(&path)
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"owner_id": rep.user_id}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    // The same owner again is no change, and no news.
    let res = app
        .patch(&path)
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"owner_id": rep.user_id}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(unread(&app, &rep).await, 1);
    assert_eq!(
        unread(&app, &admin).await,
        0,
        "the one who did it is not told"
    );
    let got = inbox(&app, &rep, "").await;
    assert_eq!(got[0]["kind"], "records_transferred");
    assert_eq!(got[0]["entity"], "account");
    assert_eq!(got[0]["entity_id"], account["id"]);
    assert!(
        got[0]["title"]["zh"]
            .as_str()
            .expect("zh")
            .contains("杭州西溪茶叶有限公司"),
        "{got:?}"
    );
    assert!(got[0]["title"]["en"]
        .as_str()
        .expect("en")
        .contains("made you the owner"));
    // Only the recipient reads or marks it.
    let id = got[0]["id"].as_str().expect("id");
    assert_eq!(inbox(&app, &other, "").await.len(), 0);
    let res = app
        .post(&format!("/api/v1/notifications/{id}/read"))
        .auth(&other.token)
        .send()
        .await;
    assert_eq!(res.status, 404, "{res:?}");
    let res = app
        .post(&format!("/api/v1/notifications/{id}/read"))
        .auth(&rep.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    assert!(res.body["read_at"].is_string());
    assert_eq!(unread(&app, &rep).await, 0);

    // A transfer of many records is one notice with the count.
    for i in 0..3 {
        app.add_account(&other, json!({"name": format!("移交客户{i}号有限公司")}))
            .await;
    }
    let res = app
        .post(&format!("/api/v1/users/{}/transfer", other.user_id))
        .auth(&admin.token)
        .json(&json!({"to_user_id": rep.user_id}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let got = inbox(&app, &rep, "unread=true").await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["params"]["count"], 3);
    assert!(got[0]["title"]["en"]
        .as_str()
        .expect("en")
        .contains("transferred 3 records"));
    let all = app
        .post("/api/v1/notifications/read-all")
        .auth(&rep.token)
        .send()
        .await;
    assert_eq!(all.body["marked"], 1);
    assert_eq!(inbox(&app, &rep, "unread=true").await.len(), 0);
    assert_eq!(inbox(&app, &rep, "").await.len(), 2);
    let bad = app
        .get("/api/v1/notifications?unread=maybe")
        .auth(&rep.token)
        .send()
        .await;
    assert_eq!(bad.status, 422, "{bad:?}");
}

#[tokio::test]
async fn task_reminders_and_overdue_tasks_come_at_their_time_once_as_preferred() {
    let app = TestApp::spawn().await;
    let admin = app.signup("提醒").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let account = app
        .add_account(&rep, json!({"name": "苏州园区精密机械有限公司"}))
        .await;
    let due: DateTime<Utc> = (Utc::now() + Duration::days(2))
        .format("%Y-%m-%dT%H:%M:00Z")
        .to_string()
        .parse()
        .expect("time");
    let remind = due - Duration::hours(3);
    let task = app
        .post("/api/v1/activities")
        .auth(&rep.token)
        .json(
            &json!({"kind": "task", "subject": "寄送样品", "entity": "account",
                      "entity_id": account["id"], "due_at": due, "reminder_at": remind}),
        )
        .send()
        .await;
    assert_eq!(task.status, 201, "{task:?}");
    let clock = Clock::fixed(remind - Duration::minutes(1));
    let r = notices(&app, &clock).await;
    run_at(&r, &clock, remind - Duration::minutes(1)).await;
    assert_eq!(unread(&app, &rep).await, 0, "not yet");
    run_at(&r, &clock, remind).await;
    run_at(&r, &clock, remind + Duration::minutes(1)).await;
    let got = inbox(&app, &rep, "").await;
    assert_eq!(got.len(), 1, "once: {got:?}");
    assert_eq!(got[0]["kind"], "task_reminder");
    assert_eq!(got[0]["entity_id"], task.body["id"]);
    assert_eq!(got[0]["title"]["zh"], "任务提醒：寄送样品");
    // Overdue tasks turned off: the reminder came, the overdue notice does not.
    let prefs = app
        .call(reqwest::Method::PUT, "/api/v1/notification-preferences")
        .auth(&rep.token)
        .json(&json!({"data": [{"kind": "task_overdue", "channel": "in_app", "enabled": false}]}))
        .send()
        .await;
    assert_eq!(prefs.status, 200, "{prefs:?}");
    let off: Vec<&Value> = prefs
        .data()
        .iter()
        .filter(|p| p["enabled"] == false)
        .collect();
    assert_eq!(off.len(), 1);
    run_at(&r, &clock, due + Duration::minutes(1)).await;
    assert_eq!(inbox(&app, &rep, "").await.len(), 1);
    // Turned on again, it tells of a task that goes overdue from then on.
    app.call(reqwest::Method::PUT, "/api/v1/notification-preferences")
        .auth(&rep.token)
        .json(&json!({"data": [{"kind": "task_overdue", "channel": "in_app", "enabled": true}]}))
        .send()
        .await;
    let second = app
        .post("/api/v1/activities")
        .auth(&rep.token)
        .json(
            &json!({"kind": "task", "subject": "电话回访", "entity": "account",
                      "entity_id": account["id"], "due_at": due + Duration::hours(1)}),
        )
        .send()
        .await;
    assert_eq!(second.status, 201, "{second:?}");
    run_at(&r, &clock, due + Duration::hours(1) + Duration::minutes(1)).await;
    let got = inbox(&app, &rep, "kind=task_overdue").await;
    assert_eq!(got.len(), 2, "both open tasks are overdue now: {got:?}");
    let bad = app
        .call(reqwest::Method::PUT, "/api/v1/notification-preferences")
        .auth(&rep.token)
        .json(&json!({"data": [{"kind": "task_overdue", "channel": "sms", "enabled": false}]}))
        .send()
        .await;
    assert_eq!(bad.status, 422, "{bad:?}");
    assert_eq!(bad.body["errors"][0]["field"], "data[0].channel", "{bad:?}");
}

#[tokio::test]
async fn owners_hear_of_their_neglected_accounts_once_a_day() {
    let app = TestApp::spawn().await;
    let admin = app.signup("久未跟进").await;
    let rep = app.add_user(&admin, "sales", None).await;
    for i in 0..3 {
        app.add_account(&rep, json!({"name": format!("久未跟进客户{i}号有限公司")}))
            .await;
    }
    app.add_account(&admin, json!({"name": "管理员的客户有限公司"}))
        .await;
    // Everything was last touched long ago.
    app.sql("UPDATE accounts SET neglect_at = now() - interval '1 day'")
        .await;
    let morning: DateTime<Utc> = "2030-06-03T01:00:00Z".parse().expect("time");
    let clock = Clock::fixed(morning);
    let r = notices(&app, &clock).await;
    run_at(&r, &clock, morning).await;
    run_at(&r, &clock, morning + Duration::hours(2)).await;
    let got = inbox(&app, &rep, "kind=accounts_neglected").await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["params"]["count"], 3);
    assert_eq!(got[0]["params"]["days"], 30);
    assert_eq!(got[0]["title"]["zh"], "3 个客户超过 30 天未跟进");
    assert_eq!(
        inbox(&app, &admin, "kind=accounts_neglected").await.len(),
        1
    );
    run_at(&r, &clock, morning + Duration::days(1)).await;
    assert_eq!(
        inbox(&app, &rep, "kind=accounts_neglected").await.len(),
        2,
        "the next day"
    );
}

#[tokio::test]
async fn a_mention_in_a_note_tells_the_mentioned_once() {
    let app = TestApp::spawn().await;
    let admin = app.signup("提及").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let manager = app.add_user(&admin, "manager", None).await;
    let other = app.add_user(&admin, "sales", None).await;
    let account = app
        .add_account(&rep, json!({"name": "宁波北仑港务有限公司"}))
        .await;
    let note = app
        .post("/api/v1/activities")
        .auth(&rep.token)
        .json(&json!({"kind": "note", "subject": "报价审核",
                      "body": format!("@{}请看一下报价，@{} 也看看", manager.email, rep.email),
                      "entity": "account", "entity_id": account["id"]}))
        .send()
        .await;
    assert_eq!(note.status, 201, "{note:?}");
    let got = inbox(&app, &manager, "kind=mentioned").await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["entity"], "activity");
    assert_eq!(got[0]["entity_id"], note.body["id"]);
    assert!(got[0]["title"]["zh"]
        .as_str()
        .expect("zh")
        .contains("报价审核"));
    assert_eq!(
        inbox(&app, &rep, "kind=mentioned").await.len(),
        0,
        "not oneself"
    );
    // An edit tells only whom it newly mentions.
    let res = app
        .patch(&format!("/api/v1/activities/{}", note.str("/id")))
        .auth(&rep.token)
        .if_match("*")
        .json(&json!({"body": format!("@{} 请看报价，另请 @{} 确认", manager.email, other.email)}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(inbox(&app, &manager, "kind=mentioned").await.len(), 1);
    assert_eq!(inbox(&app, &other, "kind=mentioned").await.len(), 1);
}
