//! Background jobs in the SPA: an admin finds a dead job with its error from the settings page
//! and retries it.

use crate::browser::Ui;
use chrono::{Duration, Utc};
use persistence::db;
use persistence::jobs::{self, NewJob};
use serde_json::json;

#[tokio::test]
async fn an_admin_sees_a_dead_job_with_its_error_and_retries_it() {
    let Some(ui) = Ui::start().await else { return };
    // A job of the organization that failed its only attempt (no process here runs `import`).
    let pool = db::pool(&ui.app.db.url, 1).expect("pool");
    let mut conn = db::conn(&pool).await.expect("connection");
    let now = Utc::now() - Duration::minutes(5);
    let job = NewJob {
        org_id: Some(ui.admin.org_id),
        kind: "import".into(),
        payload: json!({"file": "客户.csv"}),
        dedupe_key: None,
        run_at: now,
        max_attempts: 1,
        created_by: Some(ui.admin.user_id),
    };
    let queued = jobs::enqueue(&mut conn, &job, now).await.expect("queued");
    let kinds = vec!["import".to_string()];
    let claim = jobs::claim(&mut conn, "elsewhere", &kinds, now, Duration::minutes(1))
        .await
        .expect("claim")
        .expect("due");
    jobs::fail(&mut conn, &claim, now, "第 12 行：客户名称为空")
        .await
        .expect("failed");

    ui.sign_in().await;
    ui.goto("/admin/settings").await;
    ui.click("#jobs-link").await;
    ui.wait_path("/admin/jobs").await;
    let row = format!("#jobs-table tr[data-id='{}']", queued.id);
    ui.wait_text(&format!("{row} td.error"), "第 12 行：客户名称为空")
        .await;
    ui.click("#job-states button[data-state='dead']").await;
    ui.wait_text(&format!("{row}[data-state='dead']"), "已停止")
        .await;
    ui.wait_text(&row, "1 / 1").await;
    ui.shot("jobs-dead").await;

    ui.click(&format!("{row} button.retry")).await;
    // Retried, it is queued again and no longer among the dead.
    ui.wait_text("#no-jobs", "没有任务").await;
    ui.click("#job-states button[data-state='all']").await;
    ui.wait_text(&format!("{row}[data-state='queued']"), "排队中")
        .await;
    let after = ui.api_get(&format!("/api/v1/jobs/{}", queued.id)).await;
    assert_eq!(after["state"], "queued");
    assert_eq!(after["attempt"], 0);
    ui.finish().await;
}
