//! What Kehu keeps of its own bookkeeping, and the pruning of the rest: finished jobs, the
//! webhook delivery log, outbox events no delivery still needs, e-mails and workflow runs. (The audit trail, which is
//! the records' history, is never pruned.) Deletes go in small batches, each its own statement,
//! so pruning never holds many locks or one long transaction.

use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Duration, Utc};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// Days a finished job, a dead job, a finished delivery and an outbox event are kept.
pub const DONE_JOB_DAYS: i64 = 30;
pub const DEAD_JOB_DAYS: i64 = 90;
pub const DELIVERY_DAYS: i64 = 30;
pub const EVENT_DAYS: i64 = 30;
/// Days an e-mail (sent, given up, or waiting for SMTP that is not set up) and a finished
/// workflow run are kept.
pub const MAIL_DAYS: i64 = 30;
pub const RUN_DAYS: i64 = 90;

/// Rows removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Pruned {
    pub jobs: u64,
    pub deliveries: u64,
    pub events: u64,
    pub mail: u64,
    pub runs: u64,
}

impl Pruned {
    pub fn total(&self) -> u64 {
        self.jobs + self.deliveries + self.events + self.mail + self.runs
    }
}

fn ago(now: DateTime<Utc>, days: i64) -> Bind {
    Bind::Timestamp(now - Duration::days(days))
}

/// Removes up to `batch` rows of each kind that are past keeping at `now`; a caller loops
/// until a batch removes nothing.
pub async fn prune_batch(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    batch: i64,
) -> Result<Pruned, StoreError> {
    let mut jobs = Sql::new(
        "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE (state = 'done' AND finished_at < ",
    );
    jobs.bind(ago(now, DONE_JOB_DAYS))
        .push(") OR (state = 'dead' AND finished_at < ")
        .bind(ago(now, DEAD_JOB_DAYS))
        .push(") LIMIT ")
        .bind(Bind::BigInt(batch))
        .push(")");
    let mut deliveries = Sql::new(
        "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries \
         WHERE state <> 'pending' AND finished_at < ",
    );
    deliveries
        .bind(ago(now, DELIVERY_DAYS))
        .push(" LIMIT ")
        .bind(Bind::BigInt(batch))
        .push(")");
    // Oldest first: they lead the primary key, so the scan stops early.
    let mut events =
        Sql::new("DELETE FROM events WHERE seq IN (SELECT e.seq FROM events e WHERE e.at < ");
    events
        .bind(ago(now, EVENT_DAYS))
        .push(
            " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_seq = e.seq) \
             ORDER BY e.seq LIMIT ",
        )
        .bind(Bind::BigInt(batch))
        .push(")");
    let mut mail = Sql::new(
        "DELETE FROM mail_messages WHERE id IN (SELECT id FROM mail_messages WHERE created_at < ",
    );
    mail.bind(ago(now, MAIL_DAYS))
        .push(" LIMIT ")
        .bind(Bind::BigInt(batch))
        .push(")");
    let mut runs = Sql::new(
        "DELETE FROM workflow_runs WHERE id IN (SELECT id FROM workflow_runs \
         WHERE state <> 'pending' AND finished_at < ",
    );
    runs.bind(ago(now, RUN_DAYS))
        .push(" LIMIT ")
        .bind(Bind::BigInt(batch))
        .push(")");
    Ok(Pruned {
        jobs: jobs.execute(conn).await? as u64,
        deliveries: deliveries.execute(conn).await? as u64,
        events: events.execute(conn).await? as u64,
        mail: mail.execute(conn).await? as u64,
        runs: runs.execute(conn).await? as u64,
    })
}
