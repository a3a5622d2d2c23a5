//! Upkeep a request starts but must not wait for, and `kehu serve` asks for at start: the
//! indexes of custom fields (built concurrently; at a million rows that takes seconds) and search
//! text that a change of rules or of a field's `searchable` left to recompute. It runs as a job
//! of the platform (`maintenance`): asked for again while one waits, it joins that one; several
//! processes never run the same request twice; a run cut short is taken over by another process
//! or redone at the next start, as every step is idempotent and resumable.

use crate::jobs::{Outcome, Run, Runner};
use chrono::Utc;
use persistence::db;
use persistence::jobs::{self, NewJob};
use serde_json::json;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub const KIND: &str = "maintenance";

/// Queues a run (joining one that waits) and wakes the runner; returns at once.
pub fn start(runner: &Arc<Runner>, pool: &db::DbPool) {
    let (runner, pool) = (runner.clone(), pool.clone());
    tokio::spawn(async move {
        let job = NewJob {
            org_id: None,
            kind: KIND,
            payload: json!({}),
            dedupe_key: Some(KIND.to_string()),
            run_at: Utc::now(),
            max_attempts: 5,
            created_by: None,
        };
        let queued = match db::conn(&pool).await {
            Ok(mut conn) => jobs::enqueue(&mut conn, &job, Utc::now())
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match queued {
            Ok(_) => runner.wake(),
            Err(e) => log::error!("maintenance: {e} (it runs at the next start or change)"),
        }
    });
}

/// The job: builds and drops custom field indexes as their definitions ask, then recomputes
/// pending search text.
pub fn run(job: Run) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
    Box::pin(async move {
        let mut conn = db::conn(&job.pool).await.map_err(|e| e.to_string())?;
        let started = std::time::Instant::now();
        let built = persistence::custom_field_writes::build_indexes(&mut conn)
            .await
            .map_err(|e| format!("building custom field indexes: {e}"))?;
        if built > 0 {
            log::info!(
                "built {built} custom field index(es) in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        let mut recomputed = json!(null);
        if persistence::reindex::pending(&mut conn)
            .await
            .map_err(|e| e.to_string())?
        {
            // A batch at a time, reporting each: the report renews the job's lease, so a long
            // recompute is not taken for a stopped one.
            let mut report = persistence::reindex::Report::default();
            while persistence::reindex::next_batch(&mut conn, &mut report)
                .await
                .map_err(|e| format!("recomputing search text: {e}"))?
            {
                if !job.progress(report.read as i64, None).await? {
                    return Err("another process took the upkeep over".into());
                }
            }
            log::info!(
                "recomputed the search text of {} records ({} changed)",
                report.read,
                report.written
            );
            recomputed = json!({"read": report.read, "written": report.written});
        }
        Ok(json!({"indexes_built": built, "search_text": recomputed}))
    })
}
