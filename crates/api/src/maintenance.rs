//! Upkeep a request starts but must not wait for, and `kehu serve` asks for at start: the
//! indexes of custom fields (built concurrently; at a million rows that takes seconds) and search
//! text that a change of rules or of a field's `searchable` left to recompute. It runs as a job
//! of the platform (`maintenance`): asked for again while one waits, it joins that one; several
//! processes never run the same request twice; a run cut short is taken over by another process
//! or redone at the next start, as every step is idempotent and resumable.
//!
//! Nightly, the platform's `prune` job removes what is past keeping (`persistence::retention`).

use crate::jobs::{Outcome, Run, Runner};
use chrono::Utc;
use persistence::db;
use persistence::jobs::{self, NewJob};
use serde_json::json;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub const KIND: &str = "maintenance";
pub const PRUNE: &str = "prune";
/// The platform's schedules: kind, cron expression, minutes east of UTC it is read at (480:
/// Beijing time). Pruning at 03:30, the quietest hour of Chinese working days; task notices
/// each minute; neglected accounts at 09:00, as the working day starts; customer pools and
/// date rules every ten minutes.
const SCHEDULES: &[(&str, &str, i32)] = &[
    (PRUNE, "30 3 * * *", 480),
    (crate::reminders::TASKS, "* * * * *", 480),
    (crate::reminders::NEGLECTED, "0 9 * * *", 480),
    (crate::pool_recycling::KIND, "*/10 * * * *", 480),
    (crate::rule_dates::KIND, "*/10 * * * *", 480),
];
/// Rows of each kind one pruning statement removes.
const PRUNE_BATCH: i64 = 5_000;

/// Puts the platform's schedules in place (at every start: a changed time takes effect).
pub async fn schedule(pool: &db::DbPool) -> Result<(), String> {
    let mut conn = db::conn(pool).await.map_err(|e| e.to_string())?;
    for (kind, cron, offset) in SCHEDULES {
        persistence::job_schedules::ensure_platform(&mut conn, kind, cron, *offset, Utc::now())
            .await
            .map_err(|e| format!("{kind}: {e}"))?;
    }
    Ok(())
}

/// The job: prunes batch after batch, reporting each (which renews its lease), until a batch
/// finds nothing left.
pub fn prune(job: Run) -> Pin<Box<dyn Future<Output = Outcome> + Send>> {
    Box::pin(async move {
        let mut conn = db::conn(&job.pool).await.map_err(|e| e.to_string())?;
        let now = job.now();
        let mut total = persistence::retention::Pruned::default();
        loop {
            let batch = persistence::retention::prune_batch(&mut conn, now, PRUNE_BATCH)
                .await
                .map_err(|e| format!("pruning: {e}"))?;
            total.jobs += batch.jobs;
            total.deliveries += batch.deliveries;
            total.events += batch.events;
            total.mail += batch.mail;
            total.runs += batch.runs;
            if batch.total() == 0 {
                break;
            }
            if !job.progress(total.total() as i64, None).await? {
                return Err("another process took the pruning over".into());
            }
        }
        serde_json::to_value(total).map_err(|e| e.to_string())
    })
}

/// Queues a run (joining one that waits) and wakes the runner; returns at once.
pub fn start(runner: &Arc<Runner>, pool: &db::DbPool) {
    let (runner, pool) = (runner.clone(), pool.clone());
    tokio::spawn(async move {
        let job = NewJob {
            org_id: None,
            kind: KIND.into(),
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
