//! Upkeep a request starts but must not wait for, and `kehu serve` runs once at start: the
//! indexes of custom fields (built concurrently; at a million rows that takes seconds) and search
//! text that a change of rules or of a field's `searchable` left to recompute. One run at a time
//! per process, on a connection of its own without the request limits; every step is idempotent
//! and resumable, so a run cut short is finished by the next.

use persistence::db::{self, DbPool};
use std::sync::Arc;

pub struct Maintenance {
    pool: DbPool,
    running: tokio::sync::Mutex<()>,
}

impl Maintenance {
    pub fn new(database_url: &str) -> Result<Self, String> {
        Ok(Maintenance {
            pool: db::pool(database_url, 1)?,
            running: tokio::sync::Mutex::new(()),
        })
    }

    /// Starts a run in the background (after the one in progress, if any).
    pub fn start(self: &Arc<Self>) {
        let me = self.clone();
        tokio::spawn(async move {
            if let Err(e) = me.run().await {
                log::error!("maintenance: {e} (it resumes on the next start or change)");
            }
        });
    }

    /// Builds and drops custom field indexes as their definitions ask, then recomputes pending
    /// search text.
    pub async fn run(&self) -> Result<(), String> {
        let _one = self.running.lock().await;
        let mut conn = db::conn(&self.pool).await.map_err(|e| e.to_string())?;
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
        if persistence::reindex::pending(&mut conn)
            .await
            .map_err(|e| e.to_string())?
        {
            let report = persistence::reindex::run(&mut conn)
                .await
                .map_err(|e| format!("recomputing search text: {e}"))?;
            log::info!(
                "recomputed the search text of {} records ({} changed)",
                report.read,
                report.written
            );
        }
        Ok(())
    }
}
