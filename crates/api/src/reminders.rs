//! The scheduled notices: each minute, open tasks whose reminder time came or that went past
//! their due time; each morning, every owner's neglected accounts. Each is one set-based
//! statement over every organization (`persistence::notifications`), and gives each notice
//! once however often it runs.

use crate::jobs::{Outcome, Run};
use persistence::db;
use persistence::notifications;
use serde_json::json;
use std::future::Future;
use std::pin::Pin;

pub const TASKS: &str = "task_notices";
pub const NEGLECTED: &str = "neglect_notices";

/// Task reminders and overdue tasks.
pub fn tasks(job: Run) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
    Box::pin(async move {
        let mut conn = db::conn(&job.pool).await.map_err(|e| e.to_string())?;
        let now = job.now();
        let reminders = notifications::queue_task_reminders(&mut conn, now)
            .await
            .map_err(|e| format!("task reminders: {e}"))?;
        let overdue = notifications::queue_overdue_tasks(&mut conn, now)
            .await
            .map_err(|e| format!("overdue tasks: {e}"))?;
        Ok(json!({"reminders": reminders, "overdue": overdue}))
    })
}

/// Each owner's count of neglected accounts.
pub fn neglected(job: Run) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
    Box::pin(async move {
        let mut conn = db::conn(&job.pool).await.map_err(|e| e.to_string())?;
        let owners = notifications::queue_neglected(&mut conn, job.now())
            .await
            .map_err(|e| format!("neglected accounts: {e}"))?;
        Ok(json!({"owners": owners}))
    })
}
