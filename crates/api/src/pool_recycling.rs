//! The customer pools' job, every ten minutes: brings each owned account's due date up to date
//! (rules, departments and won deals change without touching the account), returns the accounts
//! that are due to their owners' pools, and tells owners what returns soon (once a day). Each
//! step is set-based over every organization; the clock is the runner's, so tests choose it.

use crate::jobs::{Outcome, Run};
use persistence::db;
use persistence::pools::{self, Due};
use serde_json::json;
use std::future::Future;
use std::pin::Pin;

pub const KIND: &str = "pool_recycle";
/// Accounts one statement returns.
const BATCH: i64 = 1_000;

pub fn run(job: Run) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
    Box::pin(async move {
        let mut conn = db::conn(&job.pool).await.map_err(|e| e.to_string())?;
        let now = job.now();
        pools::refresh_due(&mut conn, Due::All)
            .await
            .map_err(|e| format!("due dates: {e}"))?;
        let mut returned = 0;
        loop {
            let n = pools::recycle_batch(&mut conn, now, BATCH)
                .await
                .map_err(|e| format!("returning accounts: {e}"))?;
            returned += n;
            if n < BATCH {
                break;
            }
            if !job.progress(returned, None).await? {
                return Err("another process took the recycling over".into());
            }
        }
        let warned = pools::warn(&mut conn, now)
            .await
            .map_err(|e| format!("warnings: {e}"))?;
        Ok(json!({"returned": returned, "warned": warned}))
    })
}
