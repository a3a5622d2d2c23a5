//! A user's tasks: open ones, due first, overdue flagged.

use super::*;

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
