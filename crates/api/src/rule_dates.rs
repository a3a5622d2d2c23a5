//! Every ten minutes: the runs of workflow rules that fire on a record's date (`trigger: date`,
//! e.g. three days before a deal's expected close) whose moment came; the outbox worker runs
//! them as it runs the rest. The clock is the runner's, so tests choose the moment.

use crate::jobs::{Outcome, Run};
use persistence::db;
use serde_json::json;
use std::future::Future;
use std::pin::Pin;

pub const KIND: &str = "workflow_dates";

pub fn run(job: Run) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
    Box::pin(async move {
        let mut conn = db::conn(&job.pool).await.map_err(|e| e.to_string())?;
        let queued = persistence::workflows::queue_dated(&mut conn, job.now())
            .await
            .map_err(|e| format!("date rules: {e}"))?;
        Ok(json!({"queued": queued}))
    })
}
